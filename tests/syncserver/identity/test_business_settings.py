"""Business settings: defaults, an owner's change (validated, audited), one business each."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image

from syncserver.mail import MemoryMailSender
from tests.syncserver.identity.conftest import onboard

URL = "/v1/business/settings"
LOGO = "/v1/business/logo"
GOOD = {
    "receipt_name": "  Café Lima  ",
    "address_lines": ["Rua Augusta 12", "", "1100-053 Lisboa"],
    "tax_id": "PT 123 456 789",
    "receipt_footer": "Obrigado!",
}


def test_defaults_then_an_owner_changes_them_and_it_is_audited(
    api: TestClient, mailer: MemoryMailSender
) -> None:
    _, h = onboard(api, mailer, "Lima")
    first = api.get(URL, headers=h).json()
    assert first["receipt_footer"] == "Thank you!"
    assert first["receipt_name"]  # the registered business name
    saved = api.put(URL, headers=h, json=GOOD)
    assert saved.status_code == 200, saved.text
    expected = {
        "receipt_name": "Café Lima",
        "address_lines": ["Rua Augusta 12", "1100-053 Lisboa"],
        "tax_id": "PT 123 456 789",
        "receipt_footer": "Obrigado!",
    }
    assert saved.json() == expected
    assert api.get(URL, headers=h).json() == expected
    trail = api.get("/v1/audit-events", headers=h, params={"action": "settings.changed"}).json()
    assert trail["items"][0]["after"]["receipt_name"] == "Café Lima"

    _, other = onboard(api, mailer, "Mike")
    assert api.get(URL, headers=other).json()["receipt_footer"] == "Thank you!"
    assert api.get(URL).status_code == 401


def test_bad_settings_are_validation_errors(api: TestClient, mailer: MemoryMailSender) -> None:
    _, h = onboard(api, mailer, "Lima")
    for body in (
        {**GOOD, "receipt_name": ""},
        {**GOOD, "address_lines": ["a", "b", "c", "d", "e"]},
        {**GOOD, "address_lines": ["x" * 49]},
        {**GOOD, "receipt_footer": "x" * 201},
    ):
        r = api.put(URL, headers=h, json=body)
        assert r.status_code == 422, body
        assert r.json()["error"]["code"] == "VALIDATION"


class TestLogo:
    def test_an_uploaded_logo_is_stored_receipt_ready_and_audited(
        self, api: TestClient, mailer: MemoryMailSender
    ) -> None:
        _, h = onboard(api, mailer, "Lima")
        assert api.get(LOGO, headers=h).status_code == 404
        saved = api.put(LOGO, headers=h, content=upload(1200, 400, "PNG"))
        assert saved.status_code == 200, saved.text
        assert saved.json()["width"] == 384  # fitted to 58 mm paper
        assert saved.json()["height"] == 128
        stored = api.get(LOGO, headers=h)
        assert stored.headers["content-type"] == "image/png"
        with Image.open(io.BytesIO(stored.content)) as image:
            assert (image.mode, image.size) == ("1", (384, 128))  # black and white
            # The transparent border came out as paper (white), the red block as ink.
            assert image.getpixel((0, 0)) == 255
            assert image.getpixel((192, 64)) == 0
        trail = api.get("/v1/audit-events", headers=h, params={"action": "settings.logo_changed"})
        assert trail.json()["items"][0]["after"]["logo"] is True
        # A JPEG replaces it; the settings themselves are untouched.
        assert api.put(LOGO, headers=h, content=upload(100, 100, "JPEG")).json()["width"] == 100
        assert api.get(URL, headers=h).json()["receipt_footer"] == "Thank you!"
        assert api.delete(LOGO, headers=h).status_code == 204
        assert api.get(LOGO, headers=h).status_code == 404

    def test_what_is_not_a_usable_image_is_refused_and_changes_nothing(
        self, api: TestClient, mailer: MemoryMailSender
    ) -> None:
        _, h = onboard(api, mailer, "Lima")
        assert api.put(LOGO, headers=h, content=upload(40, 40, "PNG")).status_code == 200
        before = api.get(LOGO, headers=h).content
        for body, message in (
            (b"", "empty"),
            (b"%PDF-1.4 not an image", "not an image"),
            (b"\x89PNG\r\n\x1a\n" + bytes(100), "not an image"),  # a PNG cut short
            (bytes(600 * 1024), "larger than 512 KB"),
            (upload(20, 20, "TIFF"), "must be PNG"),
        ):
            r = api.put(LOGO, headers=h, content=body)
            assert r.status_code == 422, (message, r.text)
            assert r.json()["error"]["code"] == "VALIDATION"
            assert message in r.json()["error"]["message"]
        assert api.get(LOGO, headers=h).content == before
        assert api.put(LOGO, content=upload(40, 40, "PNG")).status_code == 401


def upload(width: int, height: int, kind: str) -> bytes:
    """A red block on a transparent border (PNG) or on white (formats without alpha)."""
    mode = "RGBA" if kind == "PNG" else "RGB"
    image = Image.new(mode, (width, height), (0, 0, 0, 0) if mode == "RGBA" else "white")
    image.paste(
        (200, 30, 30), (width // 10, height // 10, width - width // 10, height - height // 10)
    )
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()
