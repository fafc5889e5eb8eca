"""GS1 check digits and in-store scale labels (weight or price)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.hardware.barcodes import (
    ScaleLabel,
    check_digit,
    is_valid,
    parse_prefixes,
    scale_label,
)
from desktop.settings import TerminalSettings


@pytest.mark.parametrize("code", ["4006381333931", "036000291452", "4012345678901"])
def test_valid_codes(code: str) -> None:
    assert is_valid(code)


@pytest.mark.parametrize("code", ["4006381333932", "40063813339", "abc", "0001", "40063813339310"])
def test_invalid_codes(code: str) -> None:
    assert not is_valid(code)


def test_weight_barcode() -> None:
    body = "210012300385"
    code = body + str(check_digit(body))
    assert scale_label(code) == ScaleLabel("2100123", Decimal("0.385"))
    assert scale_label("4006381333931") is None  # not an in-store code
    assert scale_label(body + str((check_digit(body) + 1) % 10)) is None  # misread

    # The same layout on a prefix the shop set for price labels: one pack at 4.59.
    priced = "280012300459"
    code = priced + str(check_digit(priced))
    assert scale_label(code, frozenset({"28"})) == ScaleLabel("2800123", Decimal(1), 459)
    assert scale_label(code) == ScaleLabel("2800123", Decimal("0.459"))  # not configured: weight


def test_price_label_prefixes_setting() -> None:
    assert parse_prefixes(" 28, 29 ") == frozenset({"28", "29"})
    assert parse_prefixes("") == frozenset()
    with pytest.raises(ValueError, match="20 to 29, not 30"):
        parse_prefixes("28,30")
    with pytest.raises(ValueError, match="price label prefixes"):
        TerminalSettings(price_label_prefixes="2")
