"""Refunds at the counter: find the sale by its receipt number, pick lines, refund (a manager's
override comes from `desktop/till/override.py`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from desktop.db.models import Tender, Ticket, TicketLine
from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import PaymentTerminal
from desktop.sales.checkout import TenderKind
from desktop.sales.refunds import RefundLine, RefundResult, find_by_receipt, refund, refunded_so_far
from desktop.staff.service import Actor
from desktop.till.counter import Counter
from shared.errors import NotFound
from shared.money import Money


@dataclass(frozen=True)
class SoldLine:
    line_id: uuid.UUID
    name: str
    sold: Decimal
    left: Decimal  # still refundable after earlier refunds
    gross: Money


@dataclass(frozen=True)
class SaleToRefund:
    ticket_id: uuid.UUID
    receipt_no: str
    total: Money
    lines: tuple[SoldLine, ...]
    paid_with: tuple[str, ...]  # tender kinds of the sale: the refund can go back to them


class RefundDesk:
    def __init__(self, counter: Counter) -> None:
        self.counter = counter

    def find(self, receipt_no: str) -> SaleToRefund:
        """Typed, or scanned from the receipt's barcode.

        Raises:
            NotFound: no sale has this number.
        """

        def query(uow: UnitOfWork) -> SaleToRefund:
            ticket_id = find_by_receipt(uow, receipt_no)
            head = uow.conn.execute(
                select(Ticket.receipt_no, Ticket.gross_minor, Ticket.currency, Ticket.kind).where(
                    Ticket.id == ticket_id
                )
            ).one()
            if head.kind != "sale":
                raise NotFound(f"{receipt_no} is a refund receipt; scan the sale's receipt")
            rows = uow.conn.execute(
                select(TicketLine.id, TicketLine.name, TicketLine.quantity, TicketLine.gross_minor)
                .where(TicketLine.ticket_id == ticket_id, TicketLine.voided_at.is_(None))
                .order_by(TicketLine.position)
            ).all()
            lines = []
            for line_id, name, quantity, gross in rows:
                done, _, _ = refunded_so_far(uow, uuid.UUID(str(line_id)))
                sold = Decimal(quantity)
                lines.append(
                    SoldLine(
                        uuid.UUID(str(line_id)),
                        name,
                        sold,
                        sold - done,
                        Money.from_minor(int(gross or 0), head.currency),
                    )
                )
            kinds = uow.conn.execute(
                select(Tender.kind).where(Tender.ticket_id == ticket_id).distinct()
            ).scalars()
            return SaleToRefund(
                ticket_id,
                str(head.receipt_no),
                Money.from_minor(int(head.gross_minor or 0), head.currency),
                tuple(lines),
                tuple(sorted(kinds)),
            )

        return self.counter.runner.read(query)

    def print_copy(self, sale: SaleToRefund) -> None:
        """A copy of the sale's receipt on this till's printer (see `Counter.print_copy`)."""
        self.counter.print_copy(sale.ticket_id)

    def refund(
        self,
        sale: SaleToRefund,
        picks: Sequence[tuple[uuid.UUID, Decimal, bool]],
        *,
        tender: TenderKind,
        reason: str,
        payment_terminal: PaymentTerminal,
        approver: Actor | None = None,
    ) -> RefundResult:
        """Refund `picks` (line, quantity, restock) of the sale in one transaction."""
        actor = self.counter.who()
        lines = [RefundLine(line_id, qty, restock) for line_id, qty, restock in picks if qty > 0]

        def op(uow: UnitOfWork) -> RefundResult:
            done = refund(
                uow,
                actor,
                original_id=sale.ticket_id,
                lines=lines,
                tender=tender,
                reason=reason,
                payment_terminal=payment_terminal,
                approver=approver,
            )
            self.counter.queue_paper(uow, done.ticket_id, actor.name, drawer=tender == "cash")
            return done

        return self.counter.runner.run(op)
