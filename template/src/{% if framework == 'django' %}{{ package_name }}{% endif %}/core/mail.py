"""E-mail messages: built from templates (plain text and HTML), and the backends that deliver them.

Messages are built and sent by the job worker (jobs/tasks.py), never inside a request.
"""

from __future__ import annotations

import re
import uuid
from email.generator import BytesGenerator
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import css_inline
import structlog
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import timezone

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from django.core.mail import EmailMessage

log = structlog.get_logger(__name__)
_LINK = re.compile(r"https?://\S+")


def build_message(*, template: str, to: str, context: Mapping[str, Any]) -> EmailMultiAlternatives:
    """A multipart/alternative message from `emails/<template>.{subject.txt,txt,html}`.

    Every template extends the shared layout (emails/base.*), which names the product;
    the HTML's stylesheet is inlined into `style` attributes, as mail clients want it.
    """
    values = {"product_name": settings.PROJECT_NAME, **context}
    subject = " ".join(render_to_string(f"emails/{template}.subject.txt", values).split())
    text = render_to_string(f"emails/{template}.txt", values)
    html = css_inline.inline(render_to_string(f"emails/{template}.html", values))
    message = EmailMultiAlternatives(subject, text, settings.EMAIL_FROM, [to])
    message.attach_alternative(html, "text/html")
    return message


def _rfc5322_bytes(message: EmailMessage) -> bytes:
    """The message as sent over SMTP: CRLF line ends, no `From ` lines mangled."""
    buffer = BytesIO()
    BytesGenerator(buffer, mangle_from_=False).flatten(message.message(), linesep="\r\n")
    return buffer.getvalue()


class LogBackend(BaseEmailBackend):
    """EMAIL_BACKEND=console: one log line per message (in development, with its links)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Log each message; nothing is delivered."""
        for message in email_messages:
            extra: dict[str, Any] = {}
            if settings.APP_ENV == "development":
                # So a developer can follow a verification or reset link from the log.
                extra["links"] = _LINK.findall(str(message.body))
            log.info("email.logged", to=list(message.to), subject=message.subject, **extra)
        return len(email_messages)


class EmlFileBackend(BaseEmailBackend):
    """EMAIL_BACKEND=file: each message is one .eml file (RFC 5322 bytes) in EMAIL_FILE_DIR."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Write each message to a file of its own (the directory is created if missing)."""
        directory = Path(settings.EMAIL_FILE_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            name = f"{timezone.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex}"
            # Written aside, then renamed: a reader never sees half a message.
            partial = directory / f".{name}.tmp"
            partial.write_bytes(_rfc5322_bytes(message))
            partial.replace(directory / f"{name}.eml")
        return len(email_messages)
