"""The ZVT driver against the terminal simulator: approve, decline, refund, reversal, abort —
and the lost answer that must never become a double charge."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from desktop.db.models import Tender
from desktop.hardware.sim_zvt import SimulatedZvtTerminal
from desktop.hardware.zvt import Apdu, ZvtTerminal, bcd, from_bcd, parse_status
from desktop.sales.checkout import TenderRequest
from shared.errors import Unavailable
from shared.money import Money
from tests.desktop.conftest import Shop


def eur(text: str) -> Money:
    return Money(text, "EUR")


@pytest.fixture
def pt() -> Iterator[SimulatedZvtTerminal]:
    sim = SimulatedZvtTerminal().start()
    yield sim
    sim.stop()


def driver(pt: SimulatedZvtTerminal, timeout_s: float = 5) -> ZvtTerminal:
    return ZvtTerminal(pt.host, pt.port, timeout_s=timeout_s)


def test_frames_and_bcd() -> None:
    assert Apdu(0x06, 0x01, bytes(3)).encode() == b"\x06\x01\x03\x00\x00\x00"
    long = Apdu(0x04, 0x0F, bytes(300)).encode()
    assert long[:5] == b"\x04\x0f\xff\x2c\x01"
    assert bcd(1234, 6) == bytes.fromhex("000000001234")
    assert from_bcd(bytes.fromhex("000000001234")) == 1234


def test_approved_payment_has_masked_card_data_only(pt: SimulatedZvtTerminal) -> None:
    result = driver(pt).charge(eur("12.34"), reference="t1")
    assert result.approved
    assert (result.last4, result.scheme, result.approval_code) == ("4242", "VISA", "R0001")
    assert pt.transactions == [("sale", 1234)]


def test_declined(pt: SimulatedZvtTerminal) -> None:
    pt.decline_minor.add(500)
    result = driver(pt).charge(eur("5.00"), reference="t1")
    assert not result.approved
    assert "declined" in result.message
    assert pt.transactions == []


def test_lost_answer_after_the_money_was_taken_is_not_charged_again(
    pt: SimulatedZvtTerminal,
) -> None:
    driver(pt).charge(eur("1.00"), reference="earlier")  # a previous sale: trace 1
    pt.fault = "drop_after_approval"
    result = driver(pt).charge(eur("7.50"), reference="t2")
    assert result.approved  # found through "last transaction", not paid twice
    assert result.approval_code == "R0002"
    assert pt.transactions == [("sale", 100), ("sale", 750)]


def test_silent_terminal_is_unavailable_and_took_nothing(pt: SimulatedZvtTerminal) -> None:
    pt.fault = "silent"
    with pytest.raises(Unavailable, match="did not take the payment"):
        driver(pt, timeout_s=0.5).charge(eur("3.00"), reference="t3")
    assert pt.transactions == []


def test_duplicate_completion_is_harmless(pt: SimulatedZvtTerminal) -> None:
    pt.fault = "duplicate"
    assert driver(pt).charge(eur("2.00"), reference="t4").approved
    assert pt.transactions == [("sale", 200)]


def test_refund_reversal_and_abort(pt: SimulatedZvtTerminal) -> None:
    zvt = driver(pt)
    assert zvt.refund(eur("2.50"), reference="r1").approved
    zvt.reverse("R0001", reference="r1")
    zvt.cancel()
    assert [kind for kind, _ in pt.transactions] == ["refund", "reversal", "abort"]


def test_status_information_parsing() -> None:
    data = bytes.fromhex("2700040000000012340b00000787000722f0f84111eeeeeeee42428a0a")
    status = parse_status(data)
    assert (status.result, status.amount_minor, status.trace, status.receipt) == (0, 1234, 7, 7)
    assert (status.last4, status.scheme) == ("4242", "VISA")


def test_a_sale_paid_on_the_zvt_terminal(pt: SimulatedZvtTerminal, shop: Shop) -> None:
    shop.counter.scan("4006381333931")
    terminal = ZvtTerminal.from_url(f"zvt://{pt.host}:{pt.port}")
    done = shop.counter.pay([TenderRequest("card", eur("3.40"))], terminal)
    query = select(Tender.approval_code, Tender.card_last4, Tender.card_scheme)
    stored = shop.runner.read(lambda uow: uow.conn.execute(query).one())
    assert tuple(stored) == ("R0001", "4242", "VISA")
    assert done.total == eur("3.40")
    assert pt.transactions == [("sale", 340)]
    with pytest.raises(ValueError, match="zvt://"):
        ZvtTerminal.from_url("tcp://x")


def test_status_and_end_of_day(pt: SimulatedZvtTerminal) -> None:
    zvt = driver(pt)
    assert zvt.online()
    zvt.charge(eur("10.00"), reference="a")
    zvt.charge(eur("2.50"), reference="b")
    zvt.refund(eur("1.00"), reference="c")
    assert zvt.end_of_day() == 1150
    pt.stop()
    assert not ZvtTerminal(pt.host, pt.port).online()
    pt.start()  # the fixture stops it again
