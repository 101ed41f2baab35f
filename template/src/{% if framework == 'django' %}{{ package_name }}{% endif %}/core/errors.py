"""RFC 9457 problem details: every error the API returns has this shape."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, ClassVar

import psycopg
import structlog
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError, connections
from django.http import Http404, HttpRequest, JsonResponse
from procrastinate.exceptions import ConnectorException
from psycopg_pool import PoolTimeout
from rest_framework import exceptions
from rest_framework.response import Response

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

PROBLEM_JSON = "application/problem+json"
CONTENT_TOO_LARGE = "/problems/content-too-large"
log = structlog.get_logger(__name__)
_UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    PoolTimeout,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` means the database cannot serve now (restarting, unreachable, pool empty).

    The job queue writes through the same connection and wraps driver errors in
    ConnectorException: its cause decides.
    """
    while isinstance(exc, ConnectorException):
        exc = exc.__cause__
    return isinstance(exc, _UNAVAILABLE)


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
        errors: Sequence[Mapping[str, Any]] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = dict(headers or {})
        # Extension members of the body (RFC 9457 section 3.2), e.g. the limit exceeded.
        self.extensions = dict(extensions or {})
        # Commit what the request wrote before failing (e.g. a failed-login counter).
        self.keep_writes = keep_writes
        self.errors = errors


class BadRequest(ProblemError):
    """The request is malformed in a way validation cannot express."""

    status = 400


class Unauthorized(ProblemError):
    """Credentials are missing, invalid or expired."""

    status = 401


class Forbidden(ProblemError):
    """Authenticated, but the permission is missing."""

    status = 403


class LimitExceeded(Forbidden):
    """Creating this would take the organization past a limit of its plan
    (`limit`: the limit's name)."""

    type = "/problems/limit-exceeded"

    def __init__(self, name: str, limit: int) -> None:
        super().__init__(
            f"The organization's plan allows at most {limit} {name}: the {name} limit is reached.",
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


class NotFound(ProblemError):
    """The object does not exist, is deleted, or belongs to another tenant."""

    status = 404


class Conflict(ProblemError):
    """The request conflicts with the current state (a taken name, a request in flight)."""

    status = 409


class EmailUnverified(Conflict):
    """The account's e-mail address is not verified, so it cannot be added directly."""

    type = "/problems/email-unverified"


class UnprocessableContent(ProblemError):
    """The request is well-formed but cannot be applied."""

    status = 422


class TooManyRequests(ProblemError):
    """Throttled; `Retry-After` says when to try again."""

    status = 429


class RateLimited(TooManyRequests):
    """A bucket of the caller's (the organization's, or the API key's) has no request left
    this minute (`limit`: requests_per_minute); the RateLimit headers say where it stands."""

    type = "/problems/rate-limited"

    def __init__(self, whose: str, limit: int, reset: int, headers: Mapping[str, str]) -> None:
        super().__init__(
            f"{whose} limit of {limit} requests per minute is reached; retry in {reset} s.",
            headers={**headers, "Retry-After": str(reset)},
            extensions={"limit": "requests_per_minute"},
        )


class IdempotentReplay(Exception):
    """The request was already handled: answer with the stored response."""

    def __init__(self, status_code: int, body: object) -> None:
        super().__init__(status_code)
        self.status_code = status_code
        self.body = body


REPLAYED_HEADER = "Idempotent-Replayed"


def problem_body(
    status: int,
    detail: str,
    *,
    errors: Sequence[Mapping[str, Any]] | None = None,
    type: str = "about:blank",  # noqa: A002 - RFC 9457's member name
    extensions: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON of a problem (`extensions`: members of its own, e.g. the limit exceeded)."""
    body: dict[str, Any] = {
        **(extensions or {}),
        "type": type,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = [dict(error) for error in errors]
    return body


def problem_response(
    status: int,
    detail: str,
    *,
    errors: Sequence[Mapping[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    type: str = "about:blank",  # noqa: A002 - RFC 9457's member name
    extensions: Mapping[str, Any] | None = None,
) -> Response:
    """A problem+json DRF response."""
    return Response(
        problem_body(status, detail, errors=errors, type=type, extensions=extensions),
        status=status,
        headers=dict(headers or {}),
        content_type=PROBLEM_JSON,
    )


def plain_problem(
    status: int,
    detail: str,
    headers: Mapping[str, str] | None = None,
    *,
    type: str = "about:blank",  # noqa: A002 - RFC 9457's member name
) -> JsonResponse:
    """A problem+json response outside DRF (unknown routes, middleware)."""
    body = problem_body(status, detail, type=type)
    response = JsonResponse(body, status=status, content_type=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def content_too_large() -> JsonResponse:
    """The 413 problem of a body over MAX_REQUEST_BODY_BYTES."""
    detail = f"The request body is larger than {settings.MAX_REQUEST_BODY_BYTES} bytes."
    return plain_problem(413, detail, type=CONTENT_TOO_LARGE)


def _rollback() -> None:
    """Roll the request's transaction back (ATOMIC_REQUESTS connections only: the rate
    limit's connection keeps what it leased, refused requests included)."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block and connection.settings_dict["ATOMIC_REQUESTS"]:
            connection.set_rollback(True)


def _validation_errors(detail: Any, location: list[str | int]) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        return [
            error
            for key, value in detail.items()
            for error in _validation_errors(value, [*location, key])
        ]
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail) for item in detail):
            return [
                {"loc": location, "msg": str(item), "type": item.code or "invalid"}
                for item in detail
            ]
        return [
            error
            for index, value in enumerate(detail)
            for error in _validation_errors(value, [*location, index])
        ]
    code = getattr(detail, "code", "invalid")
    return [{"loc": location, "msg": str(detail), "type": code}]


def _database_down(exc: Exception) -> Response:
    log.warning("database.unavailable", error=repr(exc))
    return problem_response(
        503, "The database is unavailable; retry shortly.", headers={"Retry-After": "1"}
    )


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response:  # noqa: PLR0911
    """DRF's exception hook: every error becomes problem+json and rolls the transaction back."""
    del context
    if isinstance(exc, IdempotentReplay):
        _rollback()
        return Response(exc.body, status=exc.status_code, headers={REPLAYED_HEADER: "true"})
    if isinstance(exc, ProblemError):
        if not exc.keep_writes:
            _rollback()
        return problem_response(
            exc.status,
            exc.detail,
            errors=exc.errors,
            headers=exc.headers,
            type=exc.type,
            extensions=exc.extensions,
        )
    _rollback()
    if isinstance(exc, exceptions.ValidationError):
        errors = _validation_errors(exc.detail, ["body"])
        return problem_response(422, "The request is invalid.", errors=errors)
    if isinstance(exc, RequestDataTooBig):
        # Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE), reached while reading the body.
        return problem_response(
            413,
            f"The request body is larger than {settings.MAX_REQUEST_BODY_BYTES} bytes.",
            type=CONTENT_TOO_LARGE,
        )
    if isinstance(exc, RecursionError):
        # The JSON parser recursing through a body nested thousands of levels deep.
        errors = [{"loc": ["body"], "msg": "JSON nested too deeply.", "type": "json_invalid"}]
        return problem_response(400, "The request body is nested too deeply.", errors=errors)
    if isinstance(exc, exceptions.ParseError):
        errors = [{"loc": ["body"], "msg": str(exc.detail), "type": "json_invalid"}]
        return problem_response(422, "The request body is not valid JSON.", errors=errors)
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        # DRF put the transport's challenge (its authenticate_header) on the exception.
        challenge = getattr(exc, "auth_header", None)
        headers = {"WWW-Authenticate": challenge} if challenge else None
        return problem_response(401, "Credentials are missing or invalid.", headers=headers)
    if isinstance(exc, Http404):
        return problem_response(404, "Not Found")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return problem_response(405, "Method Not Allowed")
    if isinstance(exc, exceptions.APIException):
        wait = getattr(exc, "wait", None)
        headers = {"Retry-After": str(wait)} if isinstance(exc, exceptions.Throttled) else {}
        return problem_response(exc.status_code, str(exc.detail), headers=headers)
    if database_unavailable(exc):
        return _database_down(exc)
    log.error("request.failed", exc_info=exc)
    return problem_response(500, "An unexpected error occurred.")


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Unknown routes: problem+json, like every other error."""
    del request, exception
    return plain_problem(404, "Not Found")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Requests Django refuses outside any view (a body over its own limit, say)."""
    del request
    if isinstance(exception, RequestDataTooBig):
        return content_too_large()
    return plain_problem(400, "Bad Request")


def server_error(request: HttpRequest) -> JsonResponse:
    """Errors outside any view: problem+json, never an HTML page."""
    del request
    return plain_problem(500, "An unexpected error occurred.")
