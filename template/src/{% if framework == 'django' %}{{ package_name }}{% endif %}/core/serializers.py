"""Serializers shared by every API: request bodies refuse unknown fields, times are RFC 3339,
and the problem and page shapes the OpenAPI document gives every response."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

# Controls, bidi overrides, zero-width characters and the BOM: invisible, or they reorder
# what a reader sees, so a name holding one can impersonate another.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf"})


def rfc3339(value: datetime | None) -> str | None:
    """A timestamp in UTC with a Z suffix."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


# DRF turns a JSON number into a string (`{"name": 5}` names a project "5") and an integer
# into a UUID; these fields take JSON strings only. The words and types are the ones the
# API's other implementation answers, so every client sees one problem for one body.
_STRICT_FIELDS: tuple[tuple[type[serializers.Field[Any, Any, Any, Any]], str, str], ...] = (
    (serializers.CharField, "string_type", "Input should be a valid string"),
    (serializers.UUIDField, "uuid_type", "UUID input should be a string, bytes or UUID object"),
)


def _not_a_string(field: serializers.Field[Any, Any, Any, Any], value: Any) -> ErrorDetail | None:
    """The error of a string-typed field given any other JSON value (null is the field's call)."""
    if value is None or isinstance(value, str):
        return None
    for kind, code, message in _STRICT_FIELDS:
        if isinstance(field, kind):
            return ErrorDetail(message, code=code)
    return None


class RequestSerializer(serializers.Serializer[Any]):
    """A request body: a JSON object with only the declared fields, strings only as strings."""

    def to_internal_value(self, data: Any) -> Any:
        """Refuse bodies that are not objects, carry unknown fields or mistype a string."""
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Expected a JSON object."]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: ["Extra inputs are not permitted."] for name in unknown}
            )
        mistyped = {
            name: [error]
            for name, field in self.fields.items()
            if name in data and (error := _not_a_string(field, data[name])) is not None
        }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not mistyped or not isinstance(exc.detail, dict):
                raise
            # Every invalid field is reported, in declaration order, with the type error first.
            found = {**exc.detail, **mistyped}
            raise serializers.ValidationError(
                {name: found[name] for name in (*self.fields, *found) if name in found}
            ) from exc
        if mistyped:
            raise serializers.ValidationError(mistyped)
        return value


def visible_name(value: str) -> None:
    """Refuse a name holding control or format characters (Unicode categories Cc, Cf)."""
    if any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in value):
        raise serializers.ValidationError(
            "Control and invisible formatting characters are not allowed.", code="invalid_name"
        )


class NameField(serializers.CharField):
    """A trimmed, non-empty name of at most 200 characters, without invisible characters."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_length=200,
            trim_whitespace=True,
            allow_blank=False,
            validators=[visible_name],
            **kwargs,
        )


class Problem(serializers.Serializer[Any]):
    """The body of every error response (RFC 9457, application/problem+json)."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """The members (declared here: a field named `errors` would hide Serializer.errors)."""
        return {
            "type": serializers.CharField(default="about:blank"),
            "title": serializers.CharField(),
            "status": serializers.IntegerField(),
            "detail": serializers.CharField(),
            "errors": serializers.ListField(
                child=serializers.DictField(),
                required=False,
                help_text="Each invalid input: loc, msg, type.",
            ),
        }


class Page(serializers.Serializer[Any]):
    """A page of a list: subclasses declare `items`; `next_cursor` is null on the last page."""

    next_cursor = serializers.CharField(
        allow_null=True, help_text="Pass as `cursor` for the next page; null on the last one."
    )
