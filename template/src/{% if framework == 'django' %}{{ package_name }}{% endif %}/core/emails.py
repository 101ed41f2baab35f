"""E-mail addresses: one spelling per account (the domain IDNA/NFKC-normalized, lower-cased)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from email_validator import EmailNotValidError, validate_email
from rest_framework import serializers


def normalize_email(value: str) -> str:
    """The address as stored and looked up; ValueError if `value` is not an address."""
    # As email-validator normalizes it (the domain IDNA/NFKC: a full-width e is an e), then
    # lower-cased: `X@example.com` and `x@example.com` are one account.
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None


@extend_schema_field(OpenApiTypes.EMAIL)
class EmailField(serializers.CharField):
    """An e-mail address in a request body, normalized (see normalize_email)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=320, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        """The normalized address, or a validation error."""
        value = super().to_internal_value(data)
        try:
            return normalize_email(value)
        except ValueError as exc:
            raise serializers.ValidationError(
                f"value is not a valid email address: {exc}", code="value_error"
            ) from None
