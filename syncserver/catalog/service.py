"""The catalog API's rules: categories, modifier groups and items written as server-authored
catalog edits (`merge.write_fields`: server stamp, no origin), so every till takes them through
the catalog channel exactly like another till's edit.

A POST may name its own id: repeating it with the same values answers with the entry as it is
(a lost reply retried); other values under that id are CONFLICT. References (tax class,
category, modifier groups) must exist; SKUs and barcodes stay unique per business.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import Permission
from syncserver.audit.service import record
from syncserver.catalog.merge import load, write_fields
from syncserver.models import CatalogDocument, Location, Tenant
from syncserver.tenancy import Subject, tenant_scoped

CATEGORY = "cat.category"
GROUP = "cat.modifier_group"
ITEM = "cat.item"
TAX_CLASS = "cat.tax_class"
Values = dict[str, Any]


def _now() -> datetime:
    return datetime.now(UTC)


def currency(session: Session, subject: Subject) -> str:
    tenant = session.get(Tenant, subject.tenant_id)
    assert tenant is not None  # a subject's tenant exists (checked when signing in)
    return tenant.currency


def item_currency(session: Session, subject: Subject, wanted: str | None) -> str:
    """The currency a new item is priced in: the business's unless one of its locations sells
    in `wanted`.

    Raises:
        ValidationFailed: no location sells in `wanted` (details.field "currency").
    """
    mine = currency(session, subject)
    if wanted is None or wanted.upper() == mine:
        return mine
    sold = session.scalars(
        select(Location.currency).where(
            Location.tenant_id == subject.tenant_id, Location.currency.is_not(None)
        )
    )
    if wanted.upper() not in set(sold):
        raise ValidationFailed(
            f"no location of yours sells in {wanted.upper()}: items are priced in {mine}, or "
            "in a currency one of your locations sells in",
            details={"field": "currency"},
        )
    return wanted.upper()


def to_minor(amount: str, currency_code: str, field: str) -> int:
    """ "3.40" in the business's currency → 340 (more decimals than it has are refused)."""
    try:
        return Money(Decimal(amount), currency_code).minor_units
    except ValidationFailed:
        raise ValidationFailed(
            f"{field}: {amount} has more decimals than {currency_code} allows",
            details={"field": field},
        ) from None


def to_text(minor: int, currency_code: str) -> str:
    return str(Money.from_minor(minor, currency_code).amount)


def listing(session: Session, subject: Subject, entity: str) -> list[tuple[str, Values]]:
    """Every entry of one kind, by id (uuid7 ids: oldest first)."""
    # Columns, not ORM objects: a CSV import reads 50,000 items this way.
    columns = cast(Select[Any], select(CatalogDocument.entity_id, CatalogDocument.fields))
    rows = session.execute(
        tenant_scoped(columns, CatalogDocument, subject)
        .where(CatalogDocument.entity == entity)
        .order_by(CatalogDocument.entity_id)
    )
    return [(entity_id, _values(json.loads(fields))) for entity_id, fields in rows]


def _values(fields: dict[str, list[Any]]) -> Values:
    return {name: field[0] for name, field in fields.items()}


def get(session: Session, subject: Subject, entity: str, entity_id: uuid.UUID) -> Values:
    """Raises NotFound when the business has no such entry."""
    row = session.scalar(
        tenant_scoped(select(CatalogDocument), CatalogDocument, subject).where(
            CatalogDocument.entity == entity, CatalogDocument.entity_id == str(entity_id)
        )
    )
    if row is None:
        raise NotFound(f"no such {entity.removeprefix('cat.').replace('_', ' ')}",
                       details={"id": str(entity_id)})  # fmt: skip
    return _values(json.loads(row.fields))


def exists(session: Session, subject: Subject, entity: str, entity_id: str) -> bool:
    return load(session, subject.tenant_id, entity, entity_id).row is not None


def create(
    session: Session, subject: Subject, entity: str, entity_id: uuid.UUID | None,
    fields: Values, *, ip: str | None,
) -> tuple[str, Values]:  # fmt: skip
    """A new entry (`catalog.edit`), or the same one again for a repeated request.

    Raises:
        Conflict: the id is taken by an entry with other values (details.field "id"), or the
            SKU or a barcode belongs to another item.
    """
    subject.require_at(Permission.CATALOG_EDIT, None)
    key = str(entity_id or uuid7())
    doc = load(session, subject.tenant_id, entity, key)
    if doc.row is not None:
        held = _values(doc.fields)
        if all(held.get(name) == value for name, value in fields.items()):
            return key, held
        raise Conflict(
            "another entry already has this id: send a new id for a new entry",
            details={"field": "id", "id": key},
        )
    write_fields(session, subject.tenant_id, entity, key, fields, _now())
    _audit(session, subject, "catalog.created", entity, key, None, fields, ip=ip)
    session.flush()
    return key, fields


def change(
    session: Session, subject: Subject, entity: str, entity_id: uuid.UUID, fields: Values, *,
    ip: str | None,
) -> Values:  # fmt: skip
    """Change the given fields (`catalog.edit`); values already in place change nothing.

    Raises:
        NotFound: no such entry.
        Conflict: the SKU or a barcode belongs to another item.
    """
    subject.require_at(Permission.CATALOG_EDIT, None)
    before = get(session, subject, entity, entity_id)
    if write_fields(session, subject.tenant_id, entity, str(entity_id), fields, _now()):
        old = {name: before.get(name) for name in fields}
        _audit(session, subject, "catalog.changed", entity, str(entity_id), old, fields, ip=ip)
        session.flush()
    return {**before, **fields}


def _audit(
    session: Session, subject: Subject, action: str, entity: str, entity_id: str,
    before: Values | None, after: Values, *, ip: str | None,
) -> None:  # fmt: skip
    record(
        session,
        action=action,
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"{entity}:{entity_id}",
        before=before,
        after=after,
        ip=ip,
    )


def require_known(
    session: Session, subject: Subject, entity: str, ids: list[str], field: str
) -> None:
    """Raises ValidationFailed naming `field` when one of `ids` is not in the catalog."""
    for entity_id in ids:
        if not exists(session, subject, entity, entity_id):
            what = entity.removeprefix("cat.").replace("_", " ")
            raise ValidationFailed(
                f"{field}: there is no {what} {entity_id!r}",
                details={"field": field, "value": entity_id},
            )


def held(session: Session, subject: Subject, entity: str, entity_id: uuid.UUID | None) -> Values:
    """The entry's values, or {} when there is none (yet)."""
    if entity_id is None:
        return {}
    return _values(load(session, subject.tenant_id, entity, str(entity_id)).fields)


def modifier_ids(
    held: list[dict[str, Any]], wanted: list[tuple[uuid.UUID | None, str]]
) -> list[str]:
    """Ids for a group's modifiers: the one given, else the id of a held modifier of the same
    name (so tickets naming it still match, and a repeated request is the same), else new."""
    free = {str(m["name"]): str(m["id"]) for m in reversed(held)}
    out: list[str] = []
    for given, name in wanted:
        if given is not None:
            out.append(str(given))
            continue
        out.append(free.pop(name, "") or str(uuid7()))
    return out
