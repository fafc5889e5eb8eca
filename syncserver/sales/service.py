"""Sales as the server holds them (pushed by tills): the recent ones, one sale line by line
with the modifiers chosen, its payments and taxes — for the back office and, later, reports.

Read only: a sale is a fact a till recorded; nothing here changes one. A person sees the sales
of the locations where they hold `reports.view`."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import NotFound
from shared.permissions import Permission
from syncserver.models import Location, Sale, SaleLine, SalePayment, SaleTax
from syncserver.tenancy import Subject

MAX_LISTED = 200


@dataclass(frozen=True)
class SaleDetail:
    sale: Sale
    location_code: str
    lines: list[SaleLine]
    payments: list[SalePayment]
    taxes: list[SaleTax]

    def modifiers(self, line: SaleLine) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = json.loads(line.modifiers)
        return found


def _visible(subject: Subject) -> frozenset[uuid.UUID] | None:
    """The locations whose sales the caller may read (None: all)."""
    return subject.locations_for(Permission.REPORTS_VIEW)


def recent(
    session: Session, subject: Subject, *, receipt_no: str | None = None,
    before: datetime | None = None, limit: int = 50,
) -> list[tuple[Sale, str]]:  # fmt: skip
    """The newest sales first (with their location's code), at most `limit` (≤ 200); a receipt
    number finds that receipt (on every till that printed it)."""
    query = (
        select(Sale, Location.code)
        .join(Location, (Location.id == Sale.location_id) & (Location.tenant_id == Sale.tenant_id))
        .where(Sale.tenant_id == subject.tenant_id)
        .order_by(Sale.closed_at.desc(), Sale.id.desc())
        .limit(max(1, min(limit, MAX_LISTED)))
    )
    places = _visible(subject)
    if places is not None:
        query = query.where(Sale.location_id.in_(places))
    if receipt_no:
        query = query.where(Sale.receipt_no == receipt_no.strip())
    if before is not None:
        query = query.where(Sale.closed_at < before)
    return [(sale, str(code)) for sale, code in session.execute(query).all()]


def detail(session: Session, subject: Subject, sale_id: uuid.UUID) -> SaleDetail:
    """Raises NotFound for another business's sale, or one at a location the caller may not
    see (the same answer: nobody learns another shop's sales exist)."""
    sale = session.get(Sale, (subject.tenant_id, sale_id))
    places = _visible(subject)
    if sale is None or (places is not None and sale.location_id not in places):
        raise NotFound("there is no such sale", details={"sale_id": str(sale_id)})
    code = session.scalar(
        select(Location.code).where(
            Location.tenant_id == subject.tenant_id, Location.id == sale.location_id
        )
    )
    key = (SaleLine.tenant_id == subject.tenant_id) & (SaleLine.sale_id == sale_id)
    lines = list(session.scalars(select(SaleLine).where(key).order_by(SaleLine.line_no)))
    payments = list(
        session.scalars(
            select(SalePayment)
            .where(SalePayment.tenant_id == subject.tenant_id, SalePayment.sale_id == sale_id)
            .order_by(SalePayment.id)
        )
    )
    taxes = list(
        session.scalars(
            select(SaleTax)
            .where(SaleTax.tenant_id == subject.tenant_id, SaleTax.sale_id == sale_id)
            .order_by(SaleTax.rate_code)
        )
    )
    return SaleDetail(sale, str(code or ""), lines, payments, taxes)
