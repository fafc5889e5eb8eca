"""What the cashier screens render: plain, immutable values (no rows, no sessions)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from shared.money import Money


@dataclass(frozen=True)
class CartLine:
    id: uuid.UUID
    item_id: uuid.UUID
    name: str
    quantity: Decimal
    unit_price: Money
    total: Money  # after discounts, tax included as the ticket prices it
    modifiers: tuple[str, ...] = ()
    note: str | None = None
    discount_percent: Decimal | None = None  # the line's own discount, when given as a percent
    discount: Money | None = None  # what the line's own discount takes off (None: no discount)


@dataclass(frozen=True)
class CartView:
    ticket_id: uuid.UUID | None  # None: nothing rung up yet
    lines: tuple[CartLine, ...]
    net: Money
    tax: Money
    total: Money
    customer_name: str | None = None
    customer_points: int | None = None
    last_added: uuid.UUID | None = None  # the line to scroll to and highlight
    ticket_discount: Money | None = None  # what the whole-ticket discount takes off

    @property
    def empty(self) -> bool:
        return not self.lines


@dataclass(frozen=True)
class Tile:
    """A product button in the grid."""

    item_id: uuid.UUID
    name: str
    price: Money
    available: bool
    color: str | None = None  # a tile colour name set in the back office (None: default look)
    weighed: bool = False  # sold by the kg: the price is per kg, adding it asks for the weight
    image: str | None = None  # its picture's sha256, when this till holds the bytes (None: none)


@dataclass(frozen=True)
class SaleDone:
    receipt_no: str
    total: Money
    change: Money
    tenders: tuple[str, ...] = field(default=())
