"""RFC 9457 problem details: every error the API returns has this shape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

PROBLEM_JSON = "application/problem+json"


class ProblemError(Exception):
    """An error the client caused or must be told about; rendered as problem+json."""

    status: ClassVar[int] = 500
    type: ClassVar[str] = "about:blank"

    def __init__(
        self,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        keep_writes: bool = False,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = dict(headers or {})
        # Extension members of the body (RFC 9457 section 3.2), e.g. the limit exceeded.
        self.extensions = dict(extensions or {})
        # Commit what the request wrote before failing (e.g. a failed-login counter).
        self.keep_writes = keep_writes

    @property
    def title(self) -> str:
        """The HTTP reason phrase of the status."""
        return HTTPStatus(self.status).phrase


class BadRequest(ProblemError):
    """The request is malformed in a way validation cannot express."""

    status = 400


class Unauthorized(ProblemError):
    """Credentials are missing, invalid or expired."""

    status = 401


class Forbidden(ProblemError):
    """Authenticated, but the permission is missing."""

    status = 403


class NotFound(ProblemError):
    """The object does not exist, is deleted, or belongs to another tenant."""

    status = 404


class LimitExceeded(Forbidden):
    """Creating this would take the organization past a limit of its plan
    (`limit`: the limit's name)."""

    type = "/problems/limit-exceeded"

    def __init__(self, name: str, limit: int) -> None:
        super().__init__(
            f"The {name} limit of the organization's plan ({limit}) is reached.",
            extensions={"limit": name},
        )


class FeatureDisabled(Forbidden):
    """The organization's plan does not include this feature (`feature`: its name)."""

    type = "/problems/feature-disabled"

    def __init__(self, feature: str) -> None:
        super().__init__(
            f"The organization's plan does not include the {feature} feature.",
            extensions={"feature": feature},
        )


class Conflict(ProblemError):
    """The request conflicts with the current state (a taken name, a request in flight)."""

    status = 409


class UnprocessableContent(ProblemError):
    """The request is well-formed but cannot be applied."""

    status = 422


class TooManyRequests(ProblemError):
    """Throttled; `Retry-After` says when to try again."""

    status = 429


class RateLimited(TooManyRequests):
    """A rate limit (requests per minute) of the organization or of the API key is spent
    for the current minute: `Retry-After` says when the next one starts; `limit` names it."""

    type = "/problems/rate-limited"

    def __init__(self, whose: str, limit: int, retry_after: int) -> None:
        super().__init__(
            f"{whose} limit of {limit} requests per minute is reached; retry in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
            extensions={"limit": "requests_per_minute"},
        )


class ServiceUnavailable(ProblemError):
    """A dependency (the database) is not answering."""

    status = 503


def problem_response(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    errors: Sequence[Mapping[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """A problem+json response."""
    body: dict[str, Any] = {
        **(extensions or {}),
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = jsonable_encoder(errors)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


class Problem(BaseModel):
    """The body of every error response (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries documenting `statuses` as problem+json responses."""
    # Inline, not `model=`: a model would also be listed as application/json.
    schema = Problem.model_json_schema()
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": schema}},
        }
        for status in statuses
    }


# What any /api/v1 route may answer besides its success status (400: a body that cannot
# be decoded at all, such as bytes that are not UTF-8).
API_PROBLEMS = problem_responses(400, 401, 403, 404, 409, 422, 429, 503)
