"""The sales journal window's application layer: the search form's texts checked into a query
(each bad field named, in plain words), the pages and a ticket's detail read, a COPY reprinted."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from desktop.db.uow import UnitOfWork
from desktop.sales.journal import JournalPage, JournalQuery, TicketDetail, detail, search
from desktop.till.counter import Counter
from shared.errors import ValidationFailed
from shared.money import Money
from shared.permissions import Permission


@dataclass(frozen=True)
class JournalForm:
    """The search fields as typed (every one may be empty)."""

    receipt: str = ""
    date_from: str = ""  # YYYY-MM-DD, the shop's local date
    date_to: str = ""
    amount: str = ""  # "12.50" or "12,50"
    card: str = ""  # the card's last 4 digits
    customer: str = ""  # name or phone


def _day(text: str) -> date:
    return date.fromisoformat(text)


def parse(form: JournalForm, currency: str, page: int = 0) -> JournalQuery:
    """The form as a query.

    Raises:
        ValidationFailed: details["fields"] names each field that is wrong and why.
    """
    wrong: dict[str, str] = {}
    days: dict[str, date | None] = {"date_from": None, "date_to": None}
    for field in days:
        text = getattr(form, field).strip()
        if text:
            try:
                days[field] = _day(text)
            except ValueError:
                wrong[field] = "a date like 2026-12-03"
    start, end = days["date_from"], days["date_to"]
    if start and end and end < start:
        wrong["date_to"] = "the end date is before the start date"
    amount_minor = None
    amount = form.amount.strip().replace(",", ".")
    if amount:
        try:
            value = Decimal(amount)
            if not value.is_finite() or value < 0:
                raise InvalidOperation
            amount_minor = Money(value, currency).quantize().minor_units
        except (InvalidOperation, ValueError):
            wrong["amount"] = "an amount like 12.50"
    card = form.card.strip()
    if card and not re.fullmatch(r"\d{4}", card):
        wrong["card"] = "the card's last 4 digits"
    if wrong:
        raise ValidationFailed(
            "check the search fields: " + ", ".join(wrong.values()), details={"fields": wrong}
        )
    return JournalQuery(
        receipt_prefix=form.receipt.strip().upper(),
        date_from=start,
        date_to=end,
        amount_minor=amount_minor,
        card_last4=card,
        customer=form.customer.strip(),
        page=max(page, 0),
    )


class JournalDesk:
    def __init__(self, counter: Counter) -> None:
        self.counter = counter

    def _reader(self) -> None:
        self.counter.who().require(Permission.REPORTS_VIEW)

    def search(self, form: JournalForm, page: int = 0) -> JournalPage:
        """One page of the journal, newest first.

        Raises:
            ValidationFailed: a search field is wrong (details["fields"]).
            AuthzError: the person signed in may not read sales (reports.view).
        """
        self._reader()
        query = parse(form, self.counter.currency(), page)
        return self.counter.runner.read(lambda uow: search(uow, query))

    def detail(self, ticket_id: uuid.UUID) -> TicketDetail:
        self._reader()

        def query(uow: UnitOfWork) -> TicketDetail:
            return detail(uow, ticket_id)

        return self.counter.runner.read(query)

    def reprint(self, ticket_id: uuid.UUID) -> None:
        """The ticket's receipt again on this till's printer, headed COPY (audited; see
        `Counter.print_copy`)."""
        self.counter.print_copy(ticket_id)
