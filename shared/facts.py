"""The shape and bounds of the facts tills push (docs/sync-protocol.md, "What the server checks").

A pushed mutation is checked here before any handler touches the database: every id a uuid,
every amount and quantity inside its column (shared/limits.py), every code in its format, no NUL
anywhere. A fact that fails is rejected alone with the reason (its own inbox item); the rest of
the batch applies and the till's queue moves on. Unknown fields are allowed: a newer till may
send more than this server reads.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
)

from shared.errors import ValidationFailed
from shared.limits import (
    KIND_MAX,
    LOCATION_CODE_RE,
    MINOR_MAX,
    NAME_MAX,
    POINTS_MAX,
    QTY_MILLI_MAX,
    RECEIPT_NO_MAX,
    has_control,
    no_control_anywhere,
)


def _one_line(value: str) -> str:
    if has_control(value):
        raise ValueError("contains a control character")
    return value


def _quantity(value: Any) -> str:
    """Line quantities are Decimal text ("1", "0.350"); a bare int is accepted as such."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("must be a decimal number as text")
    try:
        qty = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError("is not a number") from exc
    if not qty.is_finite() or abs(qty) > Decimal(QTY_MILLI_MAX) / 1000:
        raise ValueError("is out of range")
    if qty.as_tuple().exponent < -3:  # type: ignore[operator]
        raise ValueError("has more than three decimals")
    return str(value)


Minor = Annotated[int, Strict(), Field(ge=-MINOR_MAX, le=MINOR_MAX)]
Milli = Annotated[int, Strict(), Field(ge=-QTY_MILLI_MAX, le=QTY_MILLI_MAX)]
Points = Annotated[int, Strict(), Field(ge=-POINTS_MAX, le=POINTS_MAX)]
Quantity = Annotated[str, BeforeValidator(_quantity)]
ReceiptNo = Annotated[
    str, Field(min_length=1, max_length=RECEIPT_NO_MAX), AfterValidator(_one_line)
]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
LocationCode = Annotated[str, Field(pattern=LOCATION_CODE_RE.pattern)]
Name = Annotated[str, Field(max_length=NAME_MAX * 2), AfterValidator(_one_line)]
Word = Annotated[str, Field(min_length=1, max_length=16), AfterValidator(_one_line)]
TaxCode = Annotated[str, Field(min_length=1, max_length=32), AfterValidator(_one_line)]


class _Fact(BaseModel):
    model_config = ConfigDict(extra="allow")


class MovementFact(_Fact):
    id: uuid.UUID
    item_id: uuid.UUID
    qty_milli: Milli


class LoyaltyFact(_Fact):
    id: uuid.UUID
    customer_id: uuid.UUID
    points: Points
    kind: Word
    at: AwareDatetime


class TenderFact(_Fact):
    id: uuid.UUID
    kind: Word
    amount_minor: Minor


class ModifierFact(_Fact):
    """A modifier as sold with a line (its delta is already in the line's unit price)."""

    id: uuid.UUID
    name: Name
    price_delta_minor: Minor


class SaleLineFact(_Fact):
    item_id: uuid.UUID | None = None
    name: Name | None = None
    quantity: Quantity
    unit_price_minor: Minor
    gross_minor: Minor
    tax_minor: Minor = 0
    discount_minor: Minor | None = None  # the line's whole discount (its share of the ticket's)
    # Per rate: [code, percent as text, tax in minor units].
    taxes: list[tuple[TaxCode, Annotated[str, Field(max_length=16)], Minor]] = []
    modifiers: Annotated[list[ModifierFact], Field(max_length=50)] = []


class SaleFact(_Fact):
    ticket_id: uuid.UUID
    receipt_no: ReceiptNo
    currency: Currency
    closed_at: AwareDatetime
    net_minor: Minor | None = None
    tax_minor: Minor = 0
    gross_minor: Minor
    cashier_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    lines: list[SaleLineFact] = []
    tenders: list[TenderFact] = []
    movements: list[MovementFact] = []
    loyalty: list[LoyaltyFact] = []


class RefundLineFact(_Fact):
    gross_minor: Minor | None = None
    tax_minor: Minor | None = None


class RefundFact(_Fact):
    ticket_id: uuid.UUID
    refund_of: uuid.UUID
    receipt_no: ReceiptNo
    gross_minor: Minor
    closed_at: AwareDatetime
    cashier_id: uuid.UUID | None = None
    lines: list[RefundLineFact] = []
    movements: list[MovementFact] = []
    loyalty: list[LoyaltyFact] = []


class AdjustmentFact(_Fact):
    movement_id: uuid.UUID
    item_id: uuid.UUID
    qty_milli: Milli
    location_code: LocationCode
    at: AwareDatetime
    actor_id: uuid.UUID | None = None


class TransferFact(_Fact):
    movements: Annotated[list[uuid.UUID], Field(min_length=2, max_length=2)]
    item_id: uuid.UUID
    qty_milli: Milli
    at: AwareDatetime
    from_: LocationCode = Field(alias="from")
    to: LocationCode
    actor_id: uuid.UUID | None = None


class CountLineFact(_Fact):
    item_id: uuid.UUID
    counted_at: AwareDatetime
    counted_milli: Milli
    variance_milli: Milli
    movement_id: uuid.UUID | None = None


class CountFact(_Fact):
    lines: list[CountLineFact] = []
    posted_by: uuid.UUID | None = None


class CustomerFact(_Fact):
    id: uuid.UUID


class AuditFact(_Fact):
    action: Annotated[str, Field(max_length=KIND_MAX)] | None = None
    actor_id: uuid.UUID | None = None


class MovedFact(_Fact):
    """A till heard it now belongs to another location: every record after this one was made
    there (docs/sync-protocol.md, "A till moves")."""

    location_id: uuid.UUID
    from_location_id: uuid.UUID | None = None


TILL_MOVED = "till.moved"

SHAPES: dict[tuple[str, int], type[_Fact]] = {
    ("ticket.finalized", 1): SaleFact,
    ("ticket.refunded", 1): RefundFact,
    ("inventory.adjusted", 1): AdjustmentFact,
    ("inventory.transferred", 1): TransferFact,
    ("count.posted", 1): CountFact,
    ("customer.created", 1): CustomerFact,
    ("loyalty.adjusted", 1): LoyaltyFact,
    ("loyalty.expired", 1): LoyaltyFact,
    ("audit.recorded", 1): AuditFact,
    (TILL_MOVED, 1): MovedFact,
}


def check_fact(kind: str, version: int, payload: dict[str, Any]) -> None:
    """Raise `ValidationFailed` naming the first bad field of a pushed fact.

    Every payload is walked for NUL characters and integers past BIGINT (it is stored and
    re-published as it came); the kinds in `SHAPES` are also checked field by field.
    """
    no_control_anywhere(payload)
    shape = SHAPES.get((kind, version))
    if shape is None:
        return
    try:
        shape.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "payload"
        raise ValidationFailed(
            f"{where}: {first['msg']}", details={"field": where, "kind": kind}
        ) from None
