"""Input validation shared by every API: unknown fields are refused, times are RFC 3339."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rest_framework import serializers


def rfc3339(value: datetime | None) -> str | None:
    """A timestamp in UTC with a Z suffix."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class RequestSerializer(serializers.Serializer[Any]):
    """A request body: a JSON object with only the declared fields."""

    def to_internal_value(self, data: Any) -> Any:
        """Refuse bodies that are not objects or that carry unknown fields."""
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Expected a JSON object."]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: ["Extra inputs are not permitted."] for name in unknown}
            )
        return super().to_internal_value(data)


class NameField(serializers.CharField):
    """A trimmed, non-empty name of at most 200 characters."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=200, trim_whitespace=True, allow_blank=False, **kwargs)
