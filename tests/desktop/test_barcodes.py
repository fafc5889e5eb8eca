"""GS1 check digits and in-store weight barcodes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.hardware.barcodes import WeighedItem, check_digit, is_valid, weighed


@pytest.mark.parametrize("code", ["4006381333931", "036000291452", "4012345678901"])
def test_valid_codes(code: str) -> None:
    assert is_valid(code)


@pytest.mark.parametrize("code", ["4006381333932", "40063813339", "abc", "0001", "40063813339310"])
def test_invalid_codes(code: str) -> None:
    assert not is_valid(code)


def test_weight_barcode() -> None:
    body = "210012300385"
    code = body + str(check_digit(body))
    assert weighed(code) == WeighedItem("2100123", Decimal("0.385"))
    assert weighed("4006381333931") is None  # not an in-store code
    assert weighed(body + str((check_digit(body) + 1) % 10)) is None  # misread: wrong check digit
