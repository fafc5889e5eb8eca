"""Child process for the crash test: sells forever on the given DB until it is SIGKILLed."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

from desktop.db.engine import make_terminal_engine
from desktop.db.models import Item
from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.sales.checkout import TenderRequest, finalize
from desktop.sales.tickets import add_line, open_ticket
from desktop.staff.service import sign_in
from shared.money import Money


def main(db: Path) -> None:
    engine = make_terminal_engine(db)
    card = SimulatedPaymentTerminal()
    with UnitOfWork(engine) as uow:
        cashier = sign_in(uow, code="1", pin="1111")
        items = list(uow.conn.execute(select(Item.id).order_by(Item.sku).limit(3)).scalars())
        n = 0
        while True:
            ticket = open_ticket(uow, cashier)
            for i in range(5):
                add_line(uow, cashier, ticket_id=ticket, item_id=items[i % len(items)])
            tenders = [TenderRequest("cash", Money("100.00", "EUR"))]
            if n % 2:
                tenders = [TenderRequest("card", Money("1.00", "EUR")), *tenders]
            done = finalize(uow, cashier, ticket_id=ticket, tenders=tenders, payment_terminal=card)
            uow.commit()
            sys.stdout.write(done.receipt_no + "\n")
            sys.stdout.flush()
            n += 1


if __name__ == "__main__":
    main(Path(sys.argv[1]))
