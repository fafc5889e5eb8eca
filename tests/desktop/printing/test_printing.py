"""Receipts through python-escpos to a simulated network printer: rendered within the paper's
columns with € and accents, queued in the sale's transaction, printed after the commit by the
worker, kept while the printer is off, printed exactly once when it is back."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.exc import OperationalError as SqlOperationalError

from desktop.db.models import PrintJob
from desktop.hardware.paper import Paper
from desktop.hardware.printer_link import Address, PrinterState, status
from desktop.hardware.sim_printer import SimulatedPrinter, render_text
from desktop.printing.queue import waiting
from desktop.printing.receipt import (
    ReceiptDoc,
    ReceiptLine,
    receipt_for,
    render,
    text_lines,
)
from desktop.printing.worker import PrintWorker
from desktop.sales.checkout import TenderRequest
from desktop.sales.refunds import find_by_receipt
from desktop.till.counter import Counter
from desktop.till.refund_desk import RefundDesk
from desktop.till.shift_desk import ShiftDesk
from desktop.ui.sell.sell_screen import SellScreen
from shared.money import Money
from tests.desktop.conftest import Shop
from tests.support.live_server import free_port


def eur(text: str) -> Money:
    return Money(text, "EUR")


@pytest.fixture
def printer() -> Iterator[SimulatedPrinter]:
    sim = SimulatedPrinter().start()
    yield sim
    sim.stop()


@pytest.fixture
def counter(shop: Shop) -> Counter:
    shop.counter.printer = True
    return shop.counter


def sale(counter: Counter, shop: Shop, tender: str = "cash") -> str:
    counter.scan("4006381333931")
    counter.add(shop.items["CHEESE"], "0.385")  # type: ignore[arg-type]
    amount = eur("20.00") if tender == "cash" else counter.cart().total
    return counter.pay([TenderRequest(tender, amount)], shop.card).receipt_no  # type: ignore[arg-type]


def jobs(shop: Shop) -> list[tuple[str, str]]:
    query = select(PrintJob.kind, PrintJob.status).order_by(PrintJob.id)
    return [tuple(r) for r in shop.runner.read(lambda uow: uow.conn.execute(query).all())]  # type: ignore[misc]


class TestReceipt:
    @pytest.mark.parametrize("paper", [58, 80])
    def test_fits_the_paper_and_says_everything(
        self, shop: Shop, counter: Counter, paper: int
    ) -> None:
        receipt = sale(counter, shop)
        doc = shop.runner.read(lambda uow: receipt_for(uow, find_by_receipt(uow, receipt), "Mia"))
        columns = Paper.of(paper).columns
        lines = text_lines(doc, columns)
        assert all(len(line) <= columns for line in lines)
        text = "\n".join(lines)
        for expected in (
            f"RECEIPT {receipt}",
            "1 x Café Latte",
            "0.385 x Comté (per kg)",
            "VAT19 19%",
            "VAT7 7%",
            "Cash",
            "Change",
        ):
            assert expected in text, expected
        printed = render_text(render(doc, Paper.of(paper)))
        assert "Comté" in printed  # accents survive the code pages
        assert f"[barcode {receipt}]" in printed  # the refund screen can scan it
        assert printed.rstrip().endswith("[cut]")

    def test_discounts_show_what_they_took_off_and_add_up_to_what_was_paid(
        self, shop: Shop, counter: Counter
    ) -> None:
        from desktop.till.extras import Extras

        extras = Extras(counter)
        counter.scan("4006381333931")  # Café Latte 3.40
        counter.scan("4012345678901")
        latte = counter.cart().lines[0].id
        extras.discount("10%", "regular", line_id=latte)
        extras.discount("1.00", "sorry for the wait")
        total = counter.cart().total
        receipt = counter.pay([TenderRequest("cash", total)], shop.card).receipt_no
        doc = shop.runner.read(lambda uow: receipt_for(uow, find_by_receipt(uow, receipt), "Mia"))
        text = "\n".join(text_lines(doc, 48))
        assert "1 x Café Latte" in text
        assert "  Discount 10%" in text
        assert "-0.34" in text
        assert "Ticket discount" in text
        assert "-1.00" in text
        shown = sum((line.total.amount for line in doc.lines), Decimal(0))
        shown += sum((line.discount.amount for line in doc.lines if line.discount), Decimal(0))
        assert doc.ticket_discount is not None
        assert shown + doc.ticket_discount.amount == doc.total.amount == total.amount

    def test_euro_sign_and_unprintable_characters(self) -> None:
        doc = ReceiptDoc(
            business="Café 𝄞 Nova",
            receipt_no="T01-000009",
            kind="sale",
            closed_at="2026-11-25 10:00",
            cashier="Zoë",
            lines=(
                ReceiptLine(
                    "Crème brûlée with a very long name that must wrap", Decimal(1), eur("4.50")
                ),
            ),
            taxes=(("VAT19", "19", eur("0.72")),),
            net=eur("3.78"),
            tax=eur("0.72"),
            total=eur("4.50"),
            tenders=(("cash", eur("5.00")),),
            change=eur("0.50"),
        )
        printed = render_text(render(doc, Paper.of(58)))
        assert "EUR 4.50" in printed
        assert "Crème brûlée" in printed
        assert "𝄞" not in printed  # no code page has it: replaced, never garbage bytes
        assert all(len(line) <= 32 for line in printed.splitlines())

    def test_cjk_in_a_line_does_not_turn_the_line_to_garbage(self) -> None:
        """python-escpos alone would send this whole line as GB18030 (é and € lost too)."""
        doc = replace(golden_doc(), business="Café 東京 €", lines=())
        printed = render_text(render(doc, Paper.of(80)))
        assert "Café ?? €" in printed

    def test_a_fixed_code_page_prints_unaccented_letters_it_lacks(self) -> None:
        doc = replace(golden_doc(), business="Łódź Café", lines=())
        printed = render_text(render(doc, Paper.of(80, code_page="CP850")))
        assert "Lódz Café" in printed  # Ł and ź are not in CP850; ó and é are

    def test_qr_code_logo_and_no_cutter(self) -> None:
        paper = Paper.of(80, columns=42, qr=True, logo=True, cutter=False)
        printed = render_text(render(golden_doc(), paper))
        assert printed.startswith("[image 64x16]")
        assert "[qr T01-000042]" in printed  # the refund screen's scanner reads it back
        assert "[barcode" not in printed
        assert "[cut]" not in printed
        assert all(len(line) <= 42 for line in printed.splitlines())
        no_logo = render_text(render(golden_doc(), Paper.of(80, qr=True)))
        assert "[image" not in no_logo  # the printer cannot print images: no logo


class TestQueueAndWorker:
    def test_printed_after_the_commit_with_the_drawer_first(
        self, shop: Shop, counter: Counter, printer: SimulatedPrinter
    ) -> None:
        receipt = sale(counter, shop)
        assert jobs(shop) == [("drawer", "pending"), ("receipt", "pending")]
        worker = PrintWorker(shop.runner, Address.parse(printer.url))
        assert worker.work_once()
        assert worker.work_once()
        assert not worker.work_once()
        assert jobs(shop) == [("drawer", "printed"), ("receipt", "printed")]
        drawer, paper = printer.texts()
        assert drawer.strip() == "[drawer]"
        assert f"RECEIPT {receipt}" in paper

    def test_no_receipt_and_card_sales_do_not_print_or_kick(
        self, shop: Shop, counter: Counter
    ) -> None:
        counter.scan("0001")
        counter.pay([TenderRequest("card", eur("2.10"))], shop.card, receipt=False)
        assert jobs(shop) == []

    def test_a_dead_printer_never_stops_a_sale_and_prints_once_when_back(
        self, shop: Shop, counter: Counter, printer: SimulatedPrinter
    ) -> None:
        address = Address.parse(printer.url)
        printer.stop()  # switched off
        receipt = sale(counter, shop, tender="card")  # the sale completes regardless
        worker = PrintWorker(shop.runner, address)
        assert not worker.work_once()
        assert worker.status.state is PrinterState.UNREACHABLE
        assert worker.status.waiting == 1
        assert jobs(shop) == [("receipt", "pending")]
        back = SimulatedPrinter(port=address.port).start()
        try:
            assert worker.work_once()
            assert not worker.work_once()
            (text,) = back.texts()
            assert f"RECEIPT {receipt}" in text
            assert "REPRINT" not in text
            assert worker.status.state is PrinterState.OK
        finally:
            back.stop()

    def test_a_job_caught_mid_send_by_a_crash_prints_as_reprint(
        self, shop: Shop, counter: Counter, printer: SimulatedPrinter
    ) -> None:
        sale(counter, shop)
        shop.runner.run(
            lambda uow: uow.conn.execute(PrintJob.__table__.update().values(status="sending"))
        )
        worker = PrintWorker(shop.runner, Address.parse(printer.url))
        while worker.work_once():
            pass
        texts = printer.texts()
        assert len(texts) == 1  # the drawer kick is not repeated
        assert "*** REPRINT ***" in texts[0]
        assert shop.runner.read(waiting) == 0

    def test_the_worker_thread_drains_the_queue(
        self, shop: Shop, counter: Counter, printer: SimulatedPrinter
    ) -> None:
        worker = PrintWorker(shop.runner, Address.parse(printer.url), poll_s=0.05)
        worker.start()
        try:
            sale(counter, shop)
            worker.wake()
            deadline = time.monotonic() + 5
            while len(printer.jobs) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            worker.stop()
        assert len(printer.jobs) == 2


class TestStatus:
    def test_three_valued_status(self, printer: SimulatedPrinter) -> None:
        address = Address.parse(printer.url)
        assert status(address) is PrinterState.OK
        printer.drawer_open = True
        assert status(address) is PrinterState.DRAWER_OPEN
        printer.paper_low = True
        assert status(address) is PrinterState.PAPER_LOW
        printer.paper_out = True
        assert status(address) is PrinterState.PAPER_OUT
        printer.cover_open = True  # offline, and the offline cause says why
        assert status(address) is PrinterState.COVER_OPEN
        printer.garbage_status = True
        assert status(address) is PrinterState.UNKNOWN  # never guessed from garbage
        printer.stop()
        assert status(address, timeout=0.5) is PrinterState.UNREACHABLE

    def test_an_idle_worker_keeps_the_status_bar_current(
        self, shop: Shop, printer: SimulatedPrinter
    ) -> None:
        worker = PrintWorker(shop.runner, Address.parse(printer.url), status_every_s=30)
        worker.refresh_status(now=100.0)
        assert worker.status.state is PrinterState.OK
        printer.paper_low = True
        worker.refresh_status(now=110.0)  # not yet: the printer is not asked every poll
        assert worker.status.state is PrinterState.OK
        worker.refresh_status(now=131.0)
        assert worker.status.state is PrinterState.PAPER_LOW

    def test_addresses(self) -> None:
        assert Address.parse("tcp://10.0.0.5") == Address("10.0.0.5", 9100)
        assert Address.parse("printer.local:9101") == Address("printer.local", 9101)
        with pytest.raises(ValueError, match="tcp://"):
            Address.parse("usb://04b8:0202")


def test_the_cashier_can_skip_the_receipt(qtbot: QtBot, shop: Shop, counter: Counter) -> None:
    screen = SellScreen(counter, shop.card)
    qtbot.addWidget(screen)
    counter.scan("0001")
    dialog = screen.tender_dialog(counter.cart())
    qtbot.addWidget(dialog)
    assert dialog.receipt_button.isVisibleTo(dialog)  # offered: a printer is configured
    dialog.receipt_button.click()
    assert dialog.receipt_button.text() == "No receipt"
    dialog.quick_buttons[0].click()  # exact cash
    assert dialog.sale is not None
    assert jobs(shop) == [("drawer", "pending")]  # the drawer still opens for cash


def test_nova_sim_printer_shows_what_it_receives(
    shop: Shop, counter: Counter, tmp_path: Path
) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nova",
            "sim",
            "printer",
            "--port",
            str(port),
            "--quit-after-ms",
            "4000",
            "--png",
            str(tmp_path / "paper"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert "simulated printer on" in proc.stdout.readline()
        receipt = sale(counter, shop, tender="card")
        worker = PrintWorker(shop.runner, Address("127.0.0.1", port))
        assert worker.work_once()
        output, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert f"RECEIPT {receipt}" in output
    assert "Comté" in output
    (png,) = (tmp_path / "paper").glob("*.png")
    assert f"as {png}" in output
    from PIL import Image

    with Image.open(png) as image:  # the receipt as paper: 48 columns of 12 dots, margins
        assert image.width == 48 * 12 + 32
        assert image.height > 15 * 24
        assert image.getpixel((2, 2)) == 255  # paper white


class TestMorePaper:
    def test_refund_receipt_and_cash_drawer(self, shop: Shop, counter: Counter) -> None:
        receipt = sale(counter, shop, tender="card")
        desk = RefundDesk(counter)
        found = desk.find(receipt)
        desk.refund(
            found,
            [(found.lines[0].line_id, Decimal(1), True)],
            tender="cash",
            reason="spilled",
            payment_terminal=shop.card,
        )
        kinds = [k for k, _ in jobs(shop)]
        assert kinds == ["receipt", "drawer", "receipt"]
        payloads = shop.runner.read(
            lambda uow: uow.conn.execute(select(PrintJob.payload).order_by(PrintJob.id)).all()
        )
        refund_text = render_text(bytes(payloads[-1][0]))
        assert "REFUND T01R-000001" in refund_text
        assert "-1 x Café Latte" in refund_text

    def test_drawer_opens_are_kicked_and_reports_printed(
        self, shop: Shop, counter: Counter
    ) -> None:
        desk = ShiftDesk(counter)
        desk.movement("no_sale", "change for the bakery")
        desk.movement("paid_out", "milk", "4.00")
        desk.print_x()
        desk.close({eur("100"): 1, eur("20"): 2, eur("5"): 1, eur("1"): 1})
        assert [k for k, _ in jobs(shop)] == ["drawer", "drawer", "report", "report"]
        payloads = shop.runner.read(
            lambda uow: uow.conn.execute(select(PrintJob.payload).order_by(PrintJob.id)).all()
        )
        x_text, z_text = (render_text(bytes(p[0])) for p in payloads[2:])
        assert x_text.startswith("X REPORT")
        assert "Z REPORT" in z_text
        assert any(line.split() == ["Over/short", "0.00"] for line in z_text.splitlines())
        assert all(len(line) <= 48 for line in z_text.splitlines())


GOLDEN = Path(__file__).parent / "golden"


def golden_doc() -> ReceiptDoc:
    return ReceiptDoc(
        business="Café Nova",
        receipt_no="T01-000042",
        kind="sale",
        closed_at="2026-11-25 09:41",
        cashier="Mia",
        lines=(
            ReceiptLine("Café Latte", Decimal(2), eur("6.80"), ("Oat",)),
            ReceiptLine("Comté (per kg)", Decimal("0.385"), eur("9.59")),
        ),
        taxes=(("VAT19", "19", eur("1.09")), ("VAT7", "7", eur("0.63"))),
        net=eur("14.67"),
        tax=eur("1.72"),
        total=eur("16.39"),
        tenders=(("card", eur("10.00")), ("cash", eur("10.00"))),
        change=eur("3.61"),
        points_earned=16,
        points_balance=120,
        logo=checkerboard_logo(),
    )


def checkerboard_logo() -> bytes:
    """A 64 × 16 one-bit checkerboard PNG, the same bytes every run."""
    from PIL import Image

    image = Image.new("1", (64, 16), 1)
    for x in range(64):
        for y in range(16):
            if (x // 8 + y // 8) % 2:
                image.putpixel((x, y), 0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


GOLDEN_SETUPS = {
    "58mm": Paper.of(58),
    "80mm": Paper.of(80),
    "80mm-42col-qr-logo": Paper.of(80, columns=42, qr=True, logo=True, code_page="CP858"),
}


@pytest.mark.parametrize("setup", GOLDEN_SETUPS)
def test_receipt_bytes_match_the_golden_file(setup: str) -> None:
    """Byte-exact: a change of layout, code page or command shows up here. Regenerate on purpose
    with NOVA_UPDATE_GOLDEN=1."""
    data = render(golden_doc(), GOLDEN_SETUPS[setup])
    path = GOLDEN / f"receipt-{setup}.bin"
    if os.environ.get("NOVA_UPDATE_GOLDEN"):
        path.write_bytes(data)
        path.with_suffix(".txt").write_text(render_text(data), encoding="utf-8")
    assert data == path.read_bytes()
    assert path.with_suffix(".txt").read_text(encoding="utf-8") == render_text(data)


def test_a_copy_matches_its_golden_file() -> None:
    """A reprint (the sales journal's, the refund screen's) is the receipt headed COPY; the
    rest byte for byte as the original. Regenerate on purpose with NOVA_UPDATE_GOLDEN=1."""
    data = render(replace(golden_doc(), copy=True), Paper.of(58))
    path = GOLDEN / "receipt-58mm-copy.bin"
    if os.environ.get("NOVA_UPDATE_GOLDEN"):
        path.write_bytes(data)
        path.with_suffix(".txt").write_text(render_text(data), encoding="utf-8")
    assert data == path.read_bytes()
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert text == render_text(data)
    original = (GOLDEN / "receipt-58mm.txt").read_text(encoding="utf-8")
    assert text.replace("*** COPY ***".center(32) + "\n", "", 1) == original


def test_a_busy_database_does_not_kill_the_worker(
    shop: Shop, counter: Counter, printer: SimulatedPrinter, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = PrintWorker(shop.runner, Address.parse(printer.url), poll_s=0.05)
    real = worker.work_once
    calls = {"n": 0}

    def flaky() -> bool:
        calls["n"] += 1
        if calls["n"] == 1:
            raise SqlOperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
        return real()

    monkeypatch.setattr(worker, "work_once", flaky)
    sale(counter, shop, tender="card")
    worker.start()
    try:
        deadline = time.monotonic() + 5
        while not printer.jobs and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert calls["n"] >= 2
    assert len(printer.jobs) == 1
