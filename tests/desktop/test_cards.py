"""ISO 7813 swipes: loyalty and employee cards typed by a keyboard-wedge reader."""

from __future__ import annotations

import pytest

from desktop.hardware.cards import Swipe, is_payment_card, looks_like_swipe, parse_swipe


def test_track1_with_name_and_track2() -> None:
    swipe = parse_swipe("%B6009123456789^COSTA/ANA^2912101?;6009123456789=2912101?")
    assert swipe == Swipe("6009123456789", "ANA COSTA")
    assert parse_swipe(";6009123456789=2912?") == Swipe("6009123456789")


def test_employee_cards_carry_a_staff_code() -> None:
    card = parse_swipe(";EMP0012=0000?")
    assert card is not None
    assert card.staff_code == "12"
    assert Swipe("6009123456789").staff_code is None


@pytest.mark.parametrize("text", ["", "4006381333931", "%B123", ";=?", "hello?"])
def test_not_a_swipe(text: str) -> None:
    assert parse_swipe(text) is None


def test_burst_detection() -> None:
    assert looks_like_swipe("%B1^X^?")
    assert not looks_like_swipe("4006381333931")


@pytest.mark.parametrize(
    "swipe",
    [
        "%B4111111111111111^DOE/JOHN^2512101000000000?",  # Visa, track 1
        ";5500000000000004=25121010000?",  # Mastercard, track 2
        ";2223000048400011=2512?",  # Mastercard 2-series
        ";378282246310005=2512?",  # Amex
    ],
)
def test_bank_cards_are_recognised_and_their_number_dropped(swipe: str) -> None:
    assert parse_swipe(swipe) == Swipe("", payment_card=True)


def test_loyalty_numbers_outside_the_card_schemes_stay_usable() -> None:
    assert not is_payment_card("6009123456789")  # not a scheme's range
    assert not is_payment_card("4111111111111112")  # a scheme's range, wrong check digit
    assert is_payment_card("4111111111111111")
