"""Catalog conflicts in the sync inbox: list them, settle one (keep mine, keep theirs, custom).

"Mine" is the value in place (the one the clocks kept), "theirs" the value set aside. Settling
writes a server-authored value when it changes anything, so every till converges on it.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import Conflict, NotFound, ValidationFailed
from syncserver.catalog.merge import write_field
from syncserver.models import CatalogConflict

STATUS = "field_conflict"
PREFIX = "field:"
_CHOICES = {
    "concurrent": ("keep_mine", "keep_theirs", "custom"),
    # The other item holds the original SKU/barcode: taking it back is not a choice.
    "duplicate_sku": ("keep_mine", "custom"),
    "duplicate_barcode": ("keep_mine", "custom"),
}


def open_conflicts(
    session: Session, tenant_id: uuid.UUID, limit: int = 500
) -> list[CatalogConflict]:
    return list(
        session.scalars(
            select(CatalogConflict)
            .where(CatalogConflict.tenant_id == tenant_id, CatalogConflict.resolved_at.is_(None))
            .order_by(CatalogConflict.created_at, CatalogConflict.id)
            .limit(limit)
        )
    )


def describe(conflict: CatalogConflict) -> dict[str, Any]:
    return {
        "entity": conflict.entity,
        "id": conflict.entity_id,
        "field": conflict.field,
        "reason": conflict.reason,
        "mine": json.loads(conflict.kept_value)["v"],
        "theirs": json.loads(conflict.other_value)["v"],
        "choices": list(_CHOICES[conflict.reason]),
    }


def settle(
    session: Session, tenant_id: uuid.UUID, user_id: uuid.UUID | None, item_id: str, *,
    resolution: str, value: Any = None,
) -> CatalogConflict:  # fmt: skip
    """Record the decision (and write the chosen value). A second decision is a CONFLICT."""
    try:
        conflict_id = uuid.UUID(item_id.removeprefix(PREFIX))
    except ValueError:
        raise NotFound("no such inbox item") from None
    row = session.get(CatalogConflict, conflict_id, with_for_update=True)
    if row is None or row.tenant_id != tenant_id:
        raise NotFound("no such inbox item", details={"id": item_id})
    if row.resolved_at is not None:
        raise Conflict("this item was resolved already", details={"resolution": row.resolution})
    choices = _CHOICES[row.reason]
    if resolution not in choices:
        raise ValidationFailed(
            f"a {row.reason} conflict is resolved with one of: {', '.join(choices)}",
            details={"field": "resolution", "allowed": list(choices)},
        )
    now = datetime.now(UTC)
    if resolution == "custom":
        if value is None:
            raise ValidationFailed("a custom resolution needs a value", details={"field": "value"})
        chosen = value
    elif resolution == "keep_theirs":
        chosen = json.loads(row.other_value)["v"]
    if resolution != "keep_mine":
        write_field(session, tenant_id, row.entity, row.entity_id, row.field, chosen, now)
    row.resolved_at, row.resolved_by = now, user_id
    row.resolution = resolution if resolution != "custom" else f"custom: {json.dumps(value)}"[:2000]
    return row
