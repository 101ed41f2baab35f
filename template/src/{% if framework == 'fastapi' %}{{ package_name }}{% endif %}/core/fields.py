"""Field types of request bodies beyond names (core/schemas.py): every type a domain's
fields may have (the ones `new-domain` offers), bounded so the database never refuses
what validation let through."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field


def _in_utc(value: datetime) -> datetime:
    return value if value.tzinfo is UTC else value.astimezone(UTC)


# Free text, as long as a description may be.
LongText = Annotated[str, Field(max_length=10_000)]
# A whole number PostgreSQL's bigint holds.
BigInt = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
# An exact amount: at most 30 digits, 10 of them after the point; no NaN, no infinity.
# Stored as it was sent (numeric without a scale), so "12.50" reads back "12.50".
Amount = Annotated[Decimal, Field(max_digits=30, decimal_places=10, allow_inf_nan=False)]
# A moment with its UTC offset (a naive one is refused), kept in UTC like every timestamp.
Moment = Annotated[AwareDatetime, AfterValidator(_in_utc)]
