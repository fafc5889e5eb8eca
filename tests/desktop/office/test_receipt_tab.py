"""Business set-up, Receipt, on real widgets against a real server (SQLite and Postgres): an
owner types the receipt's name, address, tax id and footer and sees a sample receipt follow on
58 and 80 mm paper, saves it, uploads a logo (a file that is no picture is refused beside the
logo), removes it; a catalog clerk sees it all but cannot change it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from pytestqt.qtbot import QtBot

from desktop.office.models import ReceiptProfile
from desktop.office.receipt_desk import draft, preview
from desktop.printing.receipt import ReceiptDoc, text_lines
from desktop.ui.backoffice.business_screen import BusinessScreen
from desktop.ui.backoffice.receipt_tab import SAVED, ReceiptTab
from desktop.ui.components.primitives import ConfirmDialog, ToastKind
from shared.errors import ValidationFailed
from shared.money import Money
from tests.desktop.office.conftest import STAFF_PASSWORD, Business, click
from tests.desktop.office.test_business_screen import sign_in, signed_in

pytestmark = pytest.mark.gui


def open_receipt(qtbot: QtBot, screen: BusinessScreen, business: Business) -> ReceiptTab:
    signed_in(qtbot, screen, business).tabs.setCurrentWidget(screen.receipt)
    return screen.receipt


def server(business: Business, path: str) -> Any:
    return business.shop.api.get(path, headers=business.shop.headers)


def height(png: bytes) -> int:
    with Image.open(io.BytesIO(png)) as image:
        return image.height


def width(png: bytes) -> int:
    with Image.open(io.BytesIO(png)) as image:
        return image.width


def a_logo(folder: Path) -> Path:
    """A colour wordmark as an owner's designer would send it: wider than a receipt."""
    image = Image.new("RGBA", (800, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 230, 230), fill=(200, 30, 30, 255))
    draw.rectangle((260, 60, 780, 180), fill=(20, 20, 120, 255))
    path = folder / "kilo-logo.png"
    image.save(path)
    return path


def test_an_owner_writes_the_receipt_sees_it_on_both_papers_and_saves_it(
    qtbot: QtBot, screen: BusinessScreen, business: Business
) -> None:
    tab = open_receipt(qtbot, screen, business)
    assert tab.name.text() == "Kilo Shop"  # the business's name until the owner writes another
    assert tab.footer.text() == "Thank you!"
    assert tab.logo_state.text().startswith("No logo yet")
    assert not tab.remove_button.isEnabled()
    first = tab.preview_png
    assert first is not None
    assert width(first) == 32 * 12 + 32

    tab.name.set_text("Kilo Unverpackt")
    tab.address.setPlainText("Marktstraße 5\n10115 Berlin")
    tab.tax_id.set_text("DE123456789")
    tab.footer.set_text("Danke! Bring your own jars next time and we fill them for less")
    qtbot.waitUntil(lambda: tab.preview_png != first)  # follows the typing, unsaved
    assert tab.preview_png is not None
    assert height(tab.preview_png) > height(first)  # address, tax id and a two-line footer
    tab.paper.setCurrentIndex(tab.paper.findData(80))
    assert tab.preview_png is not None
    assert width(tab.preview_png) == 48 * 12 + 32

    click(qtbot, screen, tab.save_button)
    assert screen.last_toast == (ToastKind.SUCCESS, SAVED)
    saved = server(business, "/v1/business/settings").json()
    assert saved == {
        "receipt_name": "Kilo Unverpackt", "address_lines": ["Marktstraße 5", "10115 Berlin"],
        "tax_id": "DE123456789",
        "receipt_footer": "Danke! Bring your own jars next time and we fill them for less",
    }  # fmt: skip

    # Opened again later, the window shows what the server holds.
    screen.reload()
    qtbot.waitUntil(lambda: not screen.runner.busy)
    qtbot.wait(10)
    assert tab.name.text() == "Kilo Unverpackt"
    assert tab.address.toPlainText() == "Marktstraße 5\n10115 Berlin"


def test_a_fifth_address_line_is_refused_beside_the_address_and_nothing_is_saved(
    qtbot: QtBot, screen: BusinessScreen, business: Business
) -> None:
    tab = open_receipt(qtbot, screen, business)
    tab.address.setPlainText("1\n2\n3\n4\n5")
    click(qtbot, screen, tab.save_button)
    assert tab.address_note.text() == "The address has 5 lines: at most 4"
    assert tab.address_note.isVisible()
    assert server(business, "/v1/business/settings").json()["address_lines"] == []
    tab.address.setPlainText("x" * 49)
    click(qtbot, screen, tab.save_button)
    assert tab.address_note.text() == "Address line 1 is 49 characters: at most 48"
    tab.name.set_text("  ")
    click(qtbot, screen, tab.save_button)
    assert tab.name.has_error
    assert tab.name.helper.text() == "Type the name your receipts show"


def test_an_owner_uploads_a_logo_sees_it_printed_and_removes_it(
    qtbot: QtBot,
    screen: BusinessScreen,
    business: Business,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = open_receipt(qtbot, screen, business)
    without = tab.preview_png
    assert without is not None
    tab.pick_file = lambda: a_logo(tmp_path)
    click(qtbot, screen, tab.upload_button)
    assert screen.last_toast is not None
    assert screen.last_toast[0] is ToastKind.SUCCESS
    assert tab.logo_state.text().startswith("Logo: 384 × 115 dots")  # scaled to 58 mm's 384
    assert tab.preview_png is not None
    assert height(tab.preview_png) > height(without) + 100
    stored = server(business, "/v1/business/logo")
    assert stored.status_code == 200
    assert stored.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(stored.content)) as printed:
        assert printed.mode == "1"  # black and white, as the printer prints it
    assert tab.remove_button.isEnabled()

    monkeypatch.setattr(ConfirmDialog, "ask", lambda *_a, **_k: False)
    tab.remove()
    assert server(business, "/v1/business/logo").status_code == 200  # kept: the owner said no
    monkeypatch.setattr(ConfirmDialog, "ask", lambda *_a, **_k: True)
    click(qtbot, screen, tab.remove_button)
    assert server(business, "/v1/business/logo").status_code == 404
    assert tab.logo_state.text().startswith("No logo yet")
    assert tab.preview_png is not None
    assert height(tab.preview_png) == height(without)


def test_a_file_that_is_no_picture_is_refused_beside_the_logo(
    qtbot: QtBot, screen: BusinessScreen, business: Business, tmp_path: Path
) -> None:
    tab = open_receipt(qtbot, screen, business)
    fake = tmp_path / "logo.png"
    fake.write_text("this is a letter, not a picture")
    tab.pick_file = lambda: fake
    click(qtbot, screen, tab.upload_button)
    assert tab.logo_note.text() == "That file is not an image: upload a PNG or JPEG logo"
    letter = tmp_path / "letter.docx"
    letter.write_bytes(b"PK")
    tab.pick_file = lambda: letter
    click(qtbot, screen, tab.upload_button)
    assert tab.logo_note.text().startswith("The file letter.docx is not a picture we can print")
    big = tmp_path / "huge.png"
    big.write_bytes(b"\x89PNG" + bytes(600 * 1024))
    tab.pick_file = lambda: big
    click(qtbot, screen, tab.upload_button)
    assert tab.logo_note.text().startswith("The file huge.png is 600 KB: at most 512 KB")
    assert server(business, "/v1/business/logo").status_code == 404  # nothing was stored


def test_a_catalog_clerk_sees_the_receipt_but_cannot_change_it(
    qtbot: QtBot, screen: BusinessScreen, business: Business
) -> None:
    shop = business.shop
    clerk = {"name": "Catalog clerk", "permissions": ["catalog.edit"]}
    role = shop.api.post("/v1/roles", headers=shop.headers, json=clerk)
    assert role.status_code == 201, role.text
    shop.roles["catalog clerk"] = role.json()["id"]
    business.hire("42", "catalog clerk", "mia@kilo.example")
    sign_in(qtbot, screen, "mia@kilo.example", STAFF_PASSWORD)
    tab = screen.receipt
    assert tab.name.text() == "Kilo Shop"
    assert not tab.save_button.isEnabled()
    assert not tab.upload_button.isEnabled()
    assert "settings.manage" in tab.reason.text()


def test_offline_the_receipt_stays_on_screen_and_changes_wait(
    qtbot: QtBot, screen: BusinessScreen, business: Business
) -> None:
    tab = open_receipt(qtbot, screen, business)
    business.network.down = True
    click(qtbot, screen, screen.retry_button)
    assert tab.name.text() == "Kilo Shop"
    assert not tab.save_button.isEnabled()
    assert tab.reason.text() == "Needs the server: you are offline"


class TestPrinted:
    """What the preview draws is the till's receipt: long lines wrap whole, never cut off."""

    def doc(self, profile: ReceiptProfile) -> ReceiptDoc:
        eur = Money("1.00", "EUR")
        return ReceiptDoc(
            business=profile.receipt_name, receipt_no="T01-000001", kind="sale",
            closed_at="2026-12-04 09:41", cashier="Mia", lines=(), taxes=(), net=eur, tax=eur,
            total=eur, tenders=(), change=Money("0", "EUR"), footer=profile.receipt_footer,
            header=profile.address_lines,
        )  # fmt: skip

    @pytest.mark.parametrize("columns", [32, 42, 48])
    def test_a_long_address_and_footer_print_whole(self, columns: int) -> None:
        profile = draft(
            "Bäckerei und Konditorei Müller-Lüdenscheidt am alten Marktplatz",
            "Straße des 17. Juni 135, Hinterhaus, 3. Etage",
            "",
            "Danke für Ihren Einkauf! Umtausch nur mit Kassenbon innerhalb von 14 Tagen",
        )
        lines = text_lines(self.doc(profile), columns)
        assert all(len(line) <= columns for line in lines)
        words = " ".join(lines).split()
        for text in (profile.receipt_name, *profile.address_lines, profile.receipt_footer):
            for word in text.split():
                assert word in words, word

    def test_the_rules_the_server_keeps_are_checked_first(self) -> None:
        with pytest.raises(ValidationFailed, match="at most 200") as caught:
            draft("Kilo", "", "", "x" * 201)
        assert caught.value.details == {"field": "receipt_footer"}
        with pytest.raises(ValidationFailed, match="tax ID is 41"):
            draft("Kilo", "", "x" * 41, "")

    def test_the_preview_draws_the_logo_above_the_name(self) -> None:
        plain = ReceiptProfile("Kilo", (), "", "Thank you!")
        image = io.BytesIO()
        Image.new("1", (384, 100), 0).save(image, format="PNG")
        with_logo = ReceiptProfile("Kilo", (), "", "Thank you!", image.getvalue())
        assert height(preview(with_logo, 58)) >= height(preview(plain, 58)) + 100
