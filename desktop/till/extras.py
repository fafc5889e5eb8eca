"""Counter actions beyond ringing up: customers, discounts and modifier choices.

Kept beside `Counter` (same session, same one-transaction-per-action rule) so each file stays
small: `Extras(counter)`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from desktop.catalog.modifiers import item_modifier_groups
from desktop.db.uow import UnitOfWork
from desktop.hardware.cards import looks_like_swipe, parse_swipe
from desktop.loyalty.customers import CustomerView, create_customer, find_customers
from desktop.sales.config import load
from desktop.sales.discounts import discount_line, discount_ticket
from desktop.sales.tickets import attach_customer, open_ticket
from desktop.staff.service import Actor
from desktop.till.counter import Counter
from desktop.till.views import CartView
from shared.errors import ValidationFailed
from shared.money import Money


@dataclass(frozen=True)
class Choice:
    id: uuid.UUID
    name: str
    price_delta: Money
    default: bool = False  # ticked when the choices are asked for


@dataclass(frozen=True)
class ChoiceGroup:
    name: str
    min_choices: int
    max_choices: int
    choices: tuple[Choice, ...]


def parse_discount(text: str, currency: str) -> tuple[Decimal | None, Money | None]:
    """ "10%" → 10 percent; "1.50" → an amount off. Anything else is VALIDATION."""
    value = text.strip().replace(",", ".")
    try:
        if value.endswith("%"):
            return Decimal(value[:-1].strip()), None
        return None, Money(Decimal(value), currency)
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            "type a percent like 10% or an amount like 1.50", details={"field": "discount"}
        ) from None


def _card_number(text: str) -> str | None:
    """The number of a swiped loyalty card (never the rest of its tracks); None if not a swipe.

    Raises:
        ValidationFailed: a bank card (its number is never searched for, stored or logged).
    """
    if not looks_like_swipe(text.strip()):
        return None
    swipe = parse_swipe(text)
    if swipe is not None and swipe.payment_card:
        raise ValidationFailed(
            "that is a bank card, not a loyalty card; take card payments on the card terminal"
        )
    if swipe is None:
        raise ValidationFailed("the card could not be read; swipe it again")
    return swipe.number


class Extras:
    def __init__(self, counter: Counter) -> None:
        self.counter = counter

    # ------------------------------------------------------------------ customers
    def find_customers(self, text: str) -> list[CustomerView]:
        """By phone, e-mail, card number or name; a swiped loyalty card searches its number."""
        query = _card_number(text) or text
        return self.counter.runner.read(lambda uow: find_customers(uow, query))

    def enrol(self, name: str, contact: str) -> uuid.UUID:
        """A new customer from a name and a phone number, e-mail or swiped loyalty card."""
        actor = self.counter.who()
        card = _card_number(contact)
        email = contact if "@" in contact and card is None else None
        phone = None if email or card else contact
        return self.counter.runner.run(
            lambda uow: create_customer(
                uow, actor, name=name, phone=phone, email=email, card_number=card
            )
        )

    def attach(self, customer_id: uuid.UUID | None) -> CartView:
        """Put a customer on the ticket (None takes them off); the cart shows their points."""
        actor = self.counter.who()

        def op(uow: UnitOfWork) -> CartView:
            ticket = self.counter.ticket_id or open_ticket(uow, actor)
            attach_customer(uow, actor, ticket_id=ticket, customer_id=customer_id)
            return self.counter.view(uow, ticket)

        view = self.counter.runner.run(op)
        self.counter.ticket_id = view.ticket_id
        return view

    # ------------------------------------------------------------------ discounts
    def discount(
        self,
        text: str,
        reason: str,
        line_id: uuid.UUID | None = None,
        approver: Actor | None = None,
    ) -> CartView:
        """A discount on one line, or on the whole ticket when `line_id` is None (`approver`:
        the manager who approved it for a cashier without `pos.discount`)."""
        actor = self.counter.who()
        ticket = self.counter.ticket_id
        if ticket is None:
            raise ValidationFailed("the ticket is empty: scan or pick an item first")

        def op(uow: UnitOfWork) -> CartView:
            percent, amount = parse_discount(text, load(uow).currency)
            if line_id is None:
                discount_ticket(
                    uow, actor, ticket_id=ticket, reason=reason, percent=percent, amount=amount,
                    approver=approver,
                )  # fmt: skip
            else:
                discount_line(
                    uow, actor, line_id=line_id, reason=reason, percent=percent, amount=amount,
                    approver=approver,
                )  # fmt: skip
            return self.counter.view(uow, ticket)

        return self.counter.runner.run(op)

    # ------------------------------------------------------------------ modifiers
    def choices(self, item_id: uuid.UUID) -> list[ChoiceGroup]:
        """The modifier groups offered with an item (empty: add it straight away)."""

        def query(uow: UnitOfWork) -> list[ChoiceGroup]:
            currency = load(uow).currency
            return [
                ChoiceGroup(
                    name,
                    lo,
                    hi,
                    tuple(
                        Choice(
                            m.id,
                            m.name,
                            Money.from_minor(m.price_delta_minor, currency),
                            m.is_default,
                        )
                        for m in mods
                    ),
                )
                for _gid, name, lo, hi, mods in item_modifier_groups(uow, item_id)
            ]

        return self.counter.runner.read(query)
