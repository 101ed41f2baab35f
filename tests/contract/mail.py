"""Reading the e-mails a served project's worker writes (file backend): their links' tokens."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tests.contract.client import problem
from tests.serving import PUBLIC_BASE_URL

if TYPE_CHECKING:
    from email.message import EmailMessage

    import httpx

    from tests.serving import Served

MAIL_TIMEOUT_SECONDS = 90


def invalid_token(response: httpx.Response) -> None:
    """A 400 problem whose type ends in invalid-token."""
    assert problem(response, 400)["type"].endswith("invalid-token")


def text_of(message: EmailMessage) -> str:
    """The plain-text part, decoded."""
    text = message.get_body(preferencelist=("plain",))
    assert text is not None, message
    return str(text.get_content())


def link_token(message: EmailMessage, page: str) -> str:
    """The token of the message's link to `page` (in the text part, as a reader follows
    it; the HTML part carries the same link)."""
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    pattern = rf"{re.escape(PUBLIC_BASE_URL)}/{page}\?token=([A-Za-z0-9_\-]+)"
    match = re.search(pattern, text_of(message))
    assert match is not None, text_of(message)
    assert match.group(1) in str(html.get_content())
    return match.group(1)


def link_tokens(served: Served, to: str, page: str, count: int) -> list[str]:
    """The tokens of the links to `page` in the e-mails to `to`, oldest first, once
    `count` e-mails to `to` (of any kind) were written."""
    messages = served.mail(to=to, count=count, timeout=MAIL_TIMEOUT_SECONDS)
    return [link_token(m, page) for m in messages if f"/{page}?token=" in text_of(m)]
