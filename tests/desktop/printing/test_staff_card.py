"""A staff card printed on the till's receipt printer: its barcode is the card number the
sign-in screen reads from a scanner; printing it is for staff managers and audited."""

from __future__ import annotations

import io
import uuid

import pytest
from PIL import Image
from sqlalchemy import select

from desktop.db.models import AuditEntry, PrintJob
from desktop.hardware.cards import card_number, scanned_staff_code
from desktop.hardware.paper import Paper
from desktop.hardware.receipt_png import render_png
from desktop.printing.staff_card import KIND, render
from desktop.till.counter import Counter
from desktop.till.staff_cards import print_staff_card
from shared.errors import AuthzError, ValidationFailed
from tests.desktop.conftest import Shop


def test_the_card_number_and_its_scan_are_one_code() -> None:
    assert card_number("12") == "EMP0012"
    assert card_number("123456") == "EMP123456"
    assert scanned_staff_code("EMP0012") == "12"
    assert scanned_staff_code(" emp0012\r\n") == "12"  # scanners send case and line ends
    assert scanned_staff_code(card_number("0")) == "0"
    for other in ("4006381333931", "EMP", "EMPX12", "T01-000042", ";EMP0012=0?"):
        assert scanned_staff_code(other) is None, other


@pytest.mark.parametrize("mm", [58, 80])
def test_the_card_carries_name_business_and_a_code_128_of_the_number(mm: int) -> None:
    data = render(business="Café Müller", name="Ben Koch", code="2", paper=Paper.of(mm))
    assert b"{BEMP0002" in data  # Code 128 set B, the number the sign-in screen reads
    assert b"Ben Koch" in data
    assert b"STAFF CARD" in data
    picture = Image.open(io.BytesIO(render_png(data, Paper.of(mm).columns)))
    assert picture.height > 150  # drawn: the name, the bars and the line under them


def test_a_manager_prints_a_card_on_the_receipt_printer_audited(shop: Shop) -> None:
    shop.counter.printer = True
    staff_id = uuid.uuid4()
    print_staff_card(shop.counter, staff_id=staff_id, name="Ben Koch", code="2")
    jobs = shop.runner.read(
        lambda uow: uow.conn.execute(
            select(PrintJob.kind, PrintJob.printer, PrintJob.payload)
        ).all()
    )
    assert [(kind, printer) for kind, printer, _ in jobs] == [(KIND, "receipt")]
    assert b"{BEMP0002" in jobs[0][2]
    (entry,) = shop.runner.read(
        lambda uow: uow.conn.execute(
            select(AuditEntry.action, AuditEntry.target_id).where(
                AuditEntry.action == "staff.card_printed"
            )
        ).all()
    )
    assert entry.target_id == staff_id


def test_without_a_printer_or_as_a_cashier_no_card_is_queued(shop: Shop) -> None:
    shop.counter.printer = False
    with pytest.raises(ValidationFailed, match="no receipt printer"):
        print_staff_card(shop.counter, staff_id=uuid.uuid4(), name="Ben Koch", code="2")
    cashier = Counter(shop.runner)
    cashier.printer = True
    cashier.sign_in("2", "2222")
    with pytest.raises(AuthzError):
        print_staff_card(cashier, staff_id=uuid.uuid4(), name="Ben Koch", code="2")
    assert shop.runner.read(lambda uow: uow.conn.execute(select(PrintJob.id)).all()) == []
