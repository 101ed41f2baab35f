"""Binding a transaction to one tenant."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, true
from sqlalchemy.ext.asyncio import AsyncSession


async def bind_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Make every following statement of this transaction see only `tenant_id`'s rows.

    `set_config(..., true)` has SET LOCAL semantics: the setting ends with the
    transaction, so a pooled connection never carries a tenant into another request.
    """
    await session.execute(select(func.set_config("app.tenant_id", str(tenant_id), true())))
