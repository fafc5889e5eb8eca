"""A purchase brought back to another till of the shop: the sale travels to every till of the
location, a refund anywhere counts everywhere, and no till's shift report counts another's sale."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.sales.shifts import x_report
from desktop.till.counter import Counter
from desktop.till.refund_desk import RefundDesk
from shared.errors import ValidationFailed
from syncserver.db import make_engine
from syncserver.models import Sale, SyncMutation
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Server, two_tills
from tests.desktop.sync.test_sync_round import sell


def test_a_sale_is_refunded_at_another_till_and_both_tills_count_every_refund(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    other, a, b = two_tills(shop, server, terminal_db, tmp_path)
    cashier_b = Counter(other)
    cashier_b.sign_in("1", "1111")
    before_b = other.read(lambda u: x_report(u, cashier_b.who()))
    receipt = sell(shop, "LATTE", 3)
    a.sync()
    b.sync()

    at_b = RefundDesk(cashier_b).find(receipt)  # typed or scanned at the other till
    (line,) = at_b.lines
    assert (line.sold, line.left, at_b.paid_with) == (Decimal(3), Decimal(3), ("cash",))
    RefundDesk(cashier_b).refund(
        at_b, [(line.line_id, Decimal(2), True)], tender="cash", reason="too sweet",
        payment_terminal=shop.card,
    )  # fmt: skip
    after_b = other.read(lambda u: x_report(u, cashier_b.who()))
    # B paid money out; A's sale is not B's takings.
    assert after_b["sales_count"] == before_b["sales_count"]
    assert after_b["refunds_count"] == before_b["refunds_count"] + 1
    b.sync()
    a.sync()

    at_a = RefundDesk(shop.counter).find(receipt)
    assert at_a.lines[0].left == Decimal(1)  # A knows what B refunded
    with pytest.raises(ValidationFailed, match="only 1"):
        RefundDesk(shop.counter).refund(
            at_a, [(line.line_id, Decimal(2), True)], tender="cash", reason="again",
            payment_terminal=shop.card,
        )  # fmt: skip
    RefundDesk(shop.counter).refund(
        at_a, [(line.line_id, Decimal(1), True)], tender="cash", reason="the last one",
        payment_terminal=shop.card,
    )  # fmt: skip
    a.sync()
    b.sync()
    assert RefundDesk(cashier_b).find(receipt).lines[0].left == Decimal(0)

    engine = make_engine(server.db_url)
    with engine.connect() as conn:
        kinds = conn.execute(
            select(Sale.kind, func.count()).group_by(Sale.kind).order_by(Sale.kind)
        ).all()
        reviews = conn.execute(
            select(SyncMutation.kind, SyncMutation.detail).where(SyncMutation.status != "applied")
        ).all()
    engine.dispose()
    assert [tuple(k) for k in kinds] == [("refund", 2), ("sale", 1)]
    # Nothing about the refunds needs a person (the seeded cashier is a till-only user).
    assert [kind for kind, _ in reviews] == ["ticket.finalized"]
