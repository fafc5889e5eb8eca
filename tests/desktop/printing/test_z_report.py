"""The Z report: every field a tax office asks for, laid out to 58 and 80 mm without a word
broken across lines, consecutive Z numbers per till, provisional until synced, copies."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from desktop.business import apply_settings
from desktop.db.models import AuditEntry, PrintJob, SyncState
from desktop.db.uow import UnitOfWork
from desktop.hardware.paper import Paper
from desktop.hardware.sim_printer import render_text
from desktop.printing.z_report import PROVISIONAL, ZDoc, doc_from, local_time, render_z, z_lines
from desktop.sales.checkout import TenderRequest
from desktop.sync.till_config import apply_location, remember_enrollment
from desktop.till.extras import Extras
from desktop.till.refund_desk import RefundDesk
from desktop.till.shift_desk import ShiftDesk
from shared.clock import FakeClock
from shared.money import Money
from tests.desktop.conftest import Shop

GOLDEN = Path(__file__).parent / "golden"
LATTE = "4006381333931"
BAGEL = "4012345678901"


def eur(text: str) -> Money:
    return Money(text, "EUR")


def a_day_of_trade(shop: Shop, clock: FakeClock) -> ShiftDesk:
    """A business with a profile and a location in Berlin, and a shift with every kind of
    figure a Z has: cash and card sales, a voided line, a discount, a refund, cash moves."""

    def profile(uow: UnitOfWork) -> None:
        apply_settings(
            uow,
            {
                "receipt_name": "Café Nova am Marktplatz",
                "address_lines": ["Hauptstraße 12", "10115 Berlin"],
                "tax_id": "DE123456789",
            },
        )
        apply_location(
            uow,
            str(uuid.UUID(int=7)),
            {"id": str(uuid.UUID(int=7)), "code": "MITTE", "name": "Café Nova Mitte",
             "timezone": "Europe/Berlin"},
        )  # fmt: skip
        remember_enrollment(uow, terminal_code=None, location=None, till_name="Front counter")

    shop.runner.run(profile)
    clock.set(clock.now().replace(month=12, day=3, hour=7, minute=58))
    counter = shop.counter
    counter.scan(LATTE)
    counter.scan(LATTE)
    first = counter.pay([TenderRequest("cash", eur("10.00"))], shop.card)  # 6.80
    counter.scan(BAGEL)
    counter.pay([TenderRequest("card", eur("2.10"))], shop.card)
    counter.scan(LATTE)
    cart = counter.scan(BAGEL)
    counter.void(cart.lines[-1].id, "wrong item")
    Extras(counter).discount("10%", "regular", cart.lines[0].id)  # 3.40 - 0.34
    counter.pay([TenderRequest("cash", eur("5.00"))], shop.card)  # 3.06
    refunds = RefundDesk(counter)
    sale = refunds.find(first.receipt_no)
    refunds.refund(
        sale, [(sale.lines[0].line_id, Decimal(1), True)], tender="cash", reason="spilled",
        payment_terminal=shop.card,
    )  # fmt: skip
    desk = ShiftDesk(counter)
    desk.movement("paid_in", "change from the bank", "20.00")
    desk.movement("paid_out", "milk", "5.50")
    desk.movement("drop", "notes to the safe", "100.00")
    clock.advance(timedelta(hours=9, minutes=7))
    return desk


# Expected in the drawer: 150.00 float + 6.80 + 3.06 - 3.40 cash + 20.00 - 5.50 - 100.00 = 70.96
COUNT = {eur("50"): 1, eur("20"): 1, eur("0.50"): 1, eur("0.20"): 2}  # 70.90: 0.06 short


@pytest.fixture
def closed(shop: Shop, clock: FakeClock) -> tuple[ShiftDesk, ZDoc]:
    desk = a_day_of_trade(shop, clock)
    _, doc = desk.close(COUNT)
    return desk, doc


class TestZFigures:
    def test_every_field_a_tax_office_asks_for(self, closed: tuple[ShiftDesk, ZDoc]) -> None:
        _, doc = closed
        assert doc.z_number == 1
        assert doc.business == "Café Nova am Marktplatz"
        assert doc.header == ("Hauptstraße 12", "10115 Berlin", "Tax ID DE123456789")
        assert (doc.till, doc.location) == ("Front counter (T01)", "Café Nova Mitte (MITTE)")
        assert doc.opened == "2026-01-01 01:00 CET"  # the fixture's shift, in Berlin time
        assert doc.closed == "2026-12-03 18:05 CET"
        assert (doc.first_receipt, doc.last_receipt) == ("T01-000001", "T01-000003")
        assert (doc.first_refund, doc.last_refund) == ("T01R-000001", "T01R-000001")
        assert (doc.sales_count, doc.sales) == (3, eur("11.96"))
        assert (doc.refunds_count, doc.refunds) == (1, eur("-3.40"))
        assert (doc.voids_count, doc.voids) == (1, eur("2.10"))
        assert doc.discounts == eur("0.34")
        assert [r.code for r in doc.rates] == ["VAT19", "VAT7"]
        assert sum((r.tax for r in doc.rates), eur("0")) == doc.tax
        assert all(r.net + r.tax == r.gross for r in doc.rates)
        assert doc.gross == eur("8.56")
        assert dict(doc.tenders) == {"cash": eur("6.46"), "card": eur("2.10")}
        assert (doc.paid_in, doc.paid_out, doc.drops) == (eur("20"), eur("5.50"), eur("100"))
        assert (doc.expected, doc.counted, doc.over_short) == (
            eur("70.96"),
            eur("70.90"),
            eur("-0.06"),
        )
        assert doc.counted_by_denomination == (("50", 1), ("20", 1), ("0.50", 1), ("0.20", 2))
        assert doc.provisional  # nothing has reached the server

    def test_z_numbers_are_consecutive_per_till_and_survive_a_restart(
        self, shop: Shop, closed: tuple[ShiftDesk, ZDoc]
    ) -> None:
        desk, _ = closed
        for expected in (2, 3):
            desk.open("100.00")
            # A fresh desk on the same database, as after a restart of the app.
            _, doc = ShiftDesk(shop.counter).close({eur("100"): 1})
            assert doc.z_number == expected
        assert [z.z_number for z in desk.history()] == [3, 2, 1]

    def test_provisional_until_the_server_confirmed_the_close(
        self, shop: Shop, closed: tuple[ShiftDesk, ZDoc]
    ) -> None:
        desk, doc = closed
        assert PROVISIONAL in "\n".join(z_lines(doc, 48))
        (past,) = desk.history()

        def synced(uow: UnitOfWork) -> None:
            uow.conn.execute(
                insert(SyncState).values(
                    id=1, server_url="https://nova.example", device_id=uuid.UUID(int=1),
                    pushed_seq=10_000,
                )
            )  # fmt: skip

        shop.runner.run(synced)
        later = desk.past_z(past.shift_id)
        assert not later.provisional
        assert PROVISIONAL not in "\n".join(z_lines(later, 48))
        shop.runner.run(lambda uow: uow.conn.execute(update(SyncState).values(pushed_seq=1)))
        assert desk.past_z(past.shift_id).provisional

    def test_a_zone_this_machine_does_not_know_prints_utc(self) -> None:
        assert local_time("2026-12-03T17:05:00+00:00", "Mars/Olympus") == "2026-12-03 17:05 UTC"
        assert local_time("2026-07-03T17:05:00+00:00", None) == "2026-07-03 17:05 UTC"
        assert local_time("2026-07-03T17:05:00+00:00", "Europe/London") == "2026-07-03 18:05 BST"


class TestZLayout:
    @pytest.mark.parametrize(("width_mm", "columns"), [(58, 32), (80, 48)])
    def test_golden(self, closed: tuple[ShiftDesk, ZDoc], width_mm: int, columns: int) -> None:
        """The Z as text at the paper's columns; regenerate with NOVA_UPDATE_GOLDEN=1."""
        _, doc = closed
        paper = Paper.of(width_mm)
        assert paper.columns == columns
        text = "\n".join(z_lines(doc, columns)) + "\n"
        path = GOLDEN / f"z-report-{width_mm}mm.txt"
        if os.environ.get("NOVA_UPDATE_GOLDEN"):
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8")
        printed = render_text(render_z(doc, paper))
        assert printed.splitlines()[: len(text.splitlines())] == text.splitlines()

    @pytest.mark.parametrize("columns", [32, 42, 48])
    def test_no_word_is_broken_across_lines(
        self, closed: tuple[ShiftDesk, ZDoc], columns: int
    ) -> None:
        _, doc = closed
        long = doc_from(
            _report_of(doc),
            business="Bäckerei und Konditorei Müller-Lüdenscheidt am alten Marktplatz",
            header=("Straße des 17. Juni 135, Hinterhaus, 3. Obergeschoss", "Tax ID DE1"),
            location="Filiale Charlottenburg-Wilmersdorf (CHARLOTTENBURG)",
            timezone="Europe/Berlin",
            provisional=True,
            copy=True,
        )
        lines = z_lines(long, columns)
        assert all(len(line) <= columns for line in lines)
        assert_whole_words(lines, z_lines(long, 10_000))

    def test_the_check_catches_a_mid_word_break(self) -> None:
        with pytest.raises(AssertionError, match=r"broken word 1\./\['87'\]"):
            assert_whole_words(["tax EUR 1.", "87"], ["tax EUR 1.87"])


def assert_whole_words(lines: list[str], unwrapped: list[str]) -> None:
    """Every word printed is a whole word of the same report laid out with no wrapping: a word
    cut in two leaves pieces that are not words of the report."""
    words = {word for line in unwrapped for word in line.split()}
    words.add("-" * max(len(line) for line in lines))  # the rule across the paper
    for index, line in enumerate(lines):
        following = lines[index + 1].split() if index + 1 < len(lines) else []
        for word in line.split():
            if word not in words:
                raise AssertionError(f"broken word {word}/{following[:1]} in {line!r}")


def _report_of(doc: ZDoc) -> dict[str, object]:
    """A frozen report with `doc`'s figures (enough for `doc_from`)."""

    def minor(money: Money) -> int:
        return money.minor_units

    return {
        "currency": doc.currency, "z_number": doc.z_number, "terminal_code": doc.till,
        "opened_at": "2026-12-03T07:00:00+00:00", "closed_at": "2026-12-03T17:05:00+00:00",
        "opened_by": doc.opened_by, "closed_by": doc.closed_by,
        "first_receipt": doc.first_receipt, "last_receipt": doc.last_receipt,
        "first_refund": doc.first_refund, "last_refund": doc.last_refund,
        "sales_count": doc.sales_count, "sales_minor": minor(doc.sales),
        "refunds_count": doc.refunds_count, "refunds_minor": minor(doc.refunds),
        "voids_count": doc.voids_count, "voids_minor": minor(doc.voids),
        "discounts_minor": minor(doc.discounts),
        "by_tax_rate": {
            r.code: {"percent": r.percent, "net_minor": minor(r.net), "tax_minor": minor(r.tax)}
            for r in doc.rates
        },
        "net_minor": minor(doc.net), "tax_minor": minor(doc.tax), "gross_minor": minor(doc.gross),
        "by_tender": {kind: minor(m) for kind, m in doc.tenders},
        "float_minor": minor(doc.float_amount), "paid_in_minor": minor(doc.paid_in),
        "paid_out_minor": minor(doc.paid_out), "drops_minor": minor(doc.drops),
        "no_sales": doc.no_sales, "expected_cash_minor": minor(doc.expected),
        "counted_cash_minor": minor(doc.counted), "over_short_minor": minor(doc.over_short),
        "counted": dict(doc.counted_by_denomination),
    }  # fmt: skip


class TestReprint:
    def test_a_past_z_reprints_marked_copy_and_audited(
        self, shop: Shop, closed: tuple[ShiftDesk, ZDoc]
    ) -> None:
        desk, _ = closed
        (past,) = desk.history()
        shop.counter.printer = True
        doc = desk.reprint(past.shift_id)
        assert doc.copy
        (payload,) = shop.runner.read(
            lambda uow: uow.conn.execute(
                select(PrintJob.payload).where(PrintJob.kind == "report")
            ).scalars().all()
        )  # fmt: skip
        text = render_text(payload)
        assert text.count("*** COPY ***") == 2  # under the header and at the end
        assert "Z REPORT No. 1" in text
        audited = shop.runner.read(
            lambda uow: uow.conn.execute(
                select(AuditEntry.target_id).where(AuditEntry.action == "z.copy")
            ).scalars().all()
        )  # fmt: skip
        assert [str(t) for t in audited] == [str(past.shift_id)]

    def test_no_printer_says_so(self, closed: tuple[ShiftDesk, ZDoc]) -> None:
        desk, _ = closed
        (past,) = desk.history()
        with pytest.raises(Exception, match="no report printer"):
            desk.reprint(past.shift_id)
