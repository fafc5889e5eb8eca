"""`/v1/sales`: the sales tills pushed — the newest first, or one line by line with its
modifiers, payments and taxes (syncserver/sales/service.py). Needs `reports.view` at the sale's
location."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, BaseModel

from shared.money import Money
from shared.permissions import Permission
from syncserver.auth.deps import DbSession
from syncserver.sales import service
from syncserver.tenancy import Subject, require

router = APIRouter(prefix="/v1/sales", tags=["sales"])
Viewer = Annotated[Subject, Depends(require(Permission.REPORTS_VIEW, per_location=True))]


class SaleOut(BaseModel):
    id: uuid.UUID
    kind: str  # sale / refund
    receipt_no: str
    location: str  # the location's code
    closed_at: datetime
    currency: str
    gross: str  # decimal text in the currency, e.g. "3.90"
    tax: str
    refund_of: uuid.UUID | None


class ModifierOut(BaseModel):
    name: str
    price_delta: str  # as sold; already in the line's unit price


class LineOut(BaseModel):
    line_no: int
    item_id: uuid.UUID | None
    name: str
    quantity: str
    unit_price: str
    gross: str
    discount: str
    modifiers: list[ModifierOut]


class PaymentOut(BaseModel):
    kind: str
    amount: str


class TaxOut(BaseModel):
    rate_code: str
    rate_percent: str
    tax: str


class SaleDetailOut(SaleOut):
    lines: list[LineOut]
    payments: list[PaymentOut]
    taxes: list[TaxOut]


def format_minor(minor: int, currency: str) -> str:
    return str(Money.from_minor(minor, currency).amount)


def _sale(sale: Any, code: str) -> dict[str, Any]:
    money = sale.currency
    return {
        "id": sale.id, "kind": sale.kind, "receipt_no": sale.receipt_no, "location": code,
        "closed_at": sale.closed_at, "currency": money,
        "gross": format_minor(sale.gross_minor, money), "tax": format_minor(sale.tax_minor, money),
        "refund_of": sale.refund_of,
    }  # fmt: skip


@router.get("", response_model=list[SaleOut])
def list_sales(
    session: DbSession, subject: Viewer,
    receipt_no: Annotated[str | None, Query(max_length=32)] = None,
    before: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_LISTED)] = 50,
) -> list[dict[str, Any]]:  # fmt: skip
    """The newest sales and refunds first, at the locations you may see; `receipt_no` finds
    one receipt, `before` pages back (the last answer's oldest `closed_at`)."""
    found = service.recent(session, subject, receipt_no=receipt_no, before=before, limit=limit)
    return [_sale(sale, code) for sale, code in found]


@router.get("/{sale_id}", response_model=SaleDetailOut)
def get_sale(session: DbSession, subject: Viewer, sale_id: uuid.UUID) -> dict[str, Any]:
    """One sale as sold: its lines with the modifiers chosen, its payments, its tax per rate."""
    found = service.detail(session, subject, sale_id)
    money = found.sale.currency
    return {
        **_sale(found.sale, found.location_code),
        "lines": [
            {
                "line_no": line.line_no, "item_id": line.item_id, "name": line.name,
                "quantity": line.quantity,
                "unit_price": format_minor(line.unit_price_minor, money),
                "gross": format_minor(line.gross_minor, money),
                "discount": format_minor(line.discount_minor, money),
                "modifiers": [
                    {"name": m["name"], "price_delta": format_minor(m["price_delta_minor"], money)}
                    for m in found.modifiers(line)
                ],
            }
            for line in found.lines
        ],
        "payments": [
            {"kind": p.kind, "amount": format_minor(p.amount_minor, money)}
            for p in found.payments
        ],
        "taxes": [
            {"rate_code": t.rate_code, "rate_percent": t.rate_percent,
             "tax": format_minor(t.tax_minor, money)}
            for t in found.taxes
        ],
    }  # fmt: skip
