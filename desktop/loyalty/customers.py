"""Customers: one per phone number, per e-mail and per loyalty card; found by any of them."""

from __future__ import annotations

import contextlib
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, insert, or_, select

from desktop.db.models import Customer
from desktop.db.uow import UnitOfWork
from desktop.modules import require_module
from desktop.outbox.service import append
from desktop.staff.service import Actor
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.permissions import Module, Permission

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class CustomerView:
    id: uuid.UUID
    name: str
    phone: str | None
    email: str | None
    card_number: str | None


def phone_key(phone: str) -> str:
    """Digits only, keeping a leading + ("+49 (151) 123-45" → "+4915112345")."""
    digits = re.sub(r"\D", "", phone)
    if not 6 <= len(digits) <= 15:
        raise ValidationFailed(
            "a phone number has 6 to 15 digits", details={"field": "phone", "phone": phone}
        )
    return ("+" if phone.strip().startswith("+") else "") + digits


def email_key(email: str) -> str:
    key = email.strip().lower()
    if not EMAIL.match(key) or len(key) > 254:
        raise ValidationFailed("that is not an e-mail address", details={"field": "email"})
    return key


def _view(row: Row[Any]) -> CustomerView:
    return CustomerView(uuid.UUID(str(row.id)), row.name, row.phone, row.email, row.card_number)


def create_customer(
    uow: UnitOfWork,
    actor: Actor,
    *,
    name: str,
    phone: str | None = None,
    email: str | None = None,
    card_number: str | None = None,
) -> uuid.UUID:
    """Enrol a customer (`pos.sell`: cashiers sign people up at the counter).

    Raises:
        ValidationFailed: no name, no way to find them again (phone, e-mail or card), a
            malformed phone or e-mail.
        Conflict: the phone, e-mail or card already belongs to a customer (`details.field`,
            `details.customer_id`): attach that one instead of creating a twin.
    """
    require_module(uow, Module.LOYALTY)
    actor.require(Permission.POS_SELL)
    if not name.strip() or len(name.strip()) > 120:
        raise ValidationFailed(
            "a customer needs a name (up to 120 characters)", details={"field": "name"}
        )
    keys = {
        "phone_key": phone_key(phone) if phone and phone.strip() else None,
        "email_key": email_key(email) if email and email.strip() else None,
        "card_number": card_number.strip() if card_number and card_number.strip() else None,
    }
    if not any(keys.values()):
        raise ValidationFailed(
            "give a phone number, an e-mail or a card number to find the customer again",
            details={"field": "phone"},
        )
    for column, value in keys.items():
        if value is None:
            continue
        found = uow.conn.execute(
            select(Customer.id).where(getattr(Customer, column) == value)
        ).scalar()
        if found is not None:
            field = column.removesuffix("_key")
            raise Conflict(
                f"a customer with this {field.replace('_', ' ')} exists already",
                details={"field": field, "customer_id": str(found)},
            )
    customer_id, now = uuid7(), uow.clock.now()
    values = {
        "id": customer_id,
        "name": name.strip(),
        "phone": phone.strip() if phone and keys["phone_key"] else None,
        "email": email.strip() if email and keys["email_key"] else None,
        "created_by": actor.id,
        "created_at": now,
        **keys,
    }
    uow.conn.execute(insert(Customer).values(**values))
    append(
        uow,
        kind="customer.created",
        entity_id=customer_id,
        payload={k: v for k, v in values.items() if not k.endswith("_key")},
    )
    return customer_id


def find_customers(uow: UnitOfWork, text: str, *, limit: int = 20) -> list[CustomerView]:
    """By card number, phone, e-mail (exact, normalised) or name (contains, case-insensitive)."""
    query = text.strip()
    if not query:
        return []
    conditions = [Customer.card_number == query, Customer.name.icontains(query, autoescape=True)]
    with contextlib.suppress(ValidationFailed):  # not every query is a phone number
        conditions.append(Customer.phone_key == phone_key(query))
    if "@" in query:
        conditions.append(Customer.email_key == query.lower())
    rows = uow.conn.execute(
        select(Customer.__table__).where(or_(*conditions)).order_by(Customer.name).limit(limit)
    )
    return [_view(r) for r in rows]


def get_customer(uow: UnitOfWork, customer_id: uuid.UUID) -> CustomerView:
    row = uow.conn.execute(select(Customer.__table__).where(Customer.id == customer_id)).first()
    if row is None:
        raise NotFound("no such customer", details={"customer_id": str(customer_id)})
    return _view(row)
