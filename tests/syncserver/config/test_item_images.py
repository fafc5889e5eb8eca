"""Item pictures on the server: an upload is made tile-sized (upright, no metadata, PNG) and
named in the item's `image` field, which tills pull with the catalog and fetch by hash; bad
files, other businesses and people without catalog.edit are refused; DELETE takes it away."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from shared.catalog_sync import EDIT_KIND
from syncserver.mail import MemoryMailSender
from tests.syncserver.config.conftest import demote_owner_to_cashier, enroll, error, latest
from tests.syncserver.sync.conftest import Shop, item_edit, open_shop

ITEMS = "/v1/catalog/items"
SQLITE_ONLY = pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)


def tea(shop: Shop) -> str:
    assert shop.api.post("/v1/tax/presets/DE/apply", headers=shop.headers).status_code == 200
    body = {"sku": "TEA", "name": "Tea", "price": "2.40", "tax_class": "STD"}
    r = shop.api.post(ITEMS, headers=shop.headers, json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def photo(
    width: int = 1200, height: int = 800, fmt: str = "JPEG", *, turned: bool = False
) -> bytes:
    """A camera-like picture; `turned`: stored sideways with EXIF orientation 6 (rotate 90°)."""
    image = Image.new("RGB", (width, height), (200, 80, 40))
    exif = Image.Exif()
    exif[0x0110] = "NovaCam"  # camera model: metadata that must not reach the tills
    if turned:
        exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def upload(shop: Shop, item: str, raw: bytes, kind: str = "image/jpeg") -> Any:
    headers = {**shop.headers, "Content-Type": kind}
    return shop.api.put(f"{ITEMS}/{item}/image", headers=headers, content=raw)


def pulled_image(changes: list[dict[str, Any]], item: str) -> Any:
    doc = latest(changes, "cat.item", item)
    assert doc is not None
    return doc["body"]["fields"]["image"]["value"]


class TestUpload:
    def test_a_photo_is_resized_upright_synced_and_served_to_tills(self, shop: Shop) -> None:
        item = tea(shop)
        till, _ = enroll(shop)
        _, cursor = till.pull_all()
        r = upload(shop, item, photo(1200, 800, turned=True))
        assert r.status_code == 200, r.text
        out = r.json()
        assert (out["width"], out["height"]) == (171, 256)  # turned upright, then fit in 256
        changes, cursor = till.pull_all(cursor)
        sha = pulled_image(changes, item)
        assert sha == out["sha256"]
        assert shop.api.get(f"{ITEMS}/{item}", headers=shop.headers).json()["image"] == sha
        served = shop.api.get(f"/v1/catalog/images/{sha}", headers=till.headers)
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/png"
        assert "immutable" in served.headers["cache-control"]
        assert hashlib.sha256(served.content).hexdigest() == sha
        with Image.open(io.BytesIO(served.content)) as png:
            assert png.size == (171, 256)
            assert not png.getexif()
            assert "exif" not in png.info
        again = upload(shop, item, photo(1200, 800, turned=True))
        assert again.json()["sha256"] == sha
        changes, _ = till.pull_all(cursor)
        assert latest(changes, "cat.item", item) is None  # the same picture changes nothing
        asked = {"action": "catalog.image_changed"}
        trail = shop.api.get("/v1/audit-events", headers=shop.headers, params=asked).json()
        assert [e["after"] for e in trail["items"]] == [{"image": sha}]

    def test_delete_takes_the_picture_off_the_tiles_and_the_server(self, shop: Shop) -> None:
        item = tea(shop)
        till, _ = enroll(shop)
        sha = upload(shop, item, photo(300, 300, "PNG"), "image/png").json()["sha256"]
        _, cursor = till.pull_all()
        r = shop.api.delete(f"{ITEMS}/{item}/image", headers=shop.headers)
        assert r.status_code == 204, r.text
        changes, _ = till.pull_all(cursor)
        assert pulled_image(changes, item) is None
        gone = shop.api.get(f"/v1/catalog/images/{sha}", headers=till.headers)
        assert gone.status_code == 404  # no item names it any more
        assert shop.api.delete(f"{ITEMS}/{item}/image", headers=shop.headers).status_code == 204


@SQLITE_ONLY
class TestRefusals:
    @pytest.mark.parametrize(
        ("raw", "kind"),
        [
            (b"hello", "text/plain"),  # not sent as a picture
            (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png"),  # a broken PNG
            (b"", "image/png"),
            ("gif", "image/png"),  # a GIF is not one of the formats
        ],
    )
    def test_what_is_not_a_png_jpeg_or_webp_is_refused_naming_image(
        self, shop: Shop, raw: bytes | str, kind: str
    ) -> None:
        item = tea(shop)
        body = photo(40, 40, "GIF") if raw == "gif" else raw
        assert isinstance(body, bytes)
        r = upload(shop, item, body, kind)
        assert r.status_code == 422, r.text
        assert error(r)["code"] == "VALIDATION"
        assert error(r)["details"]["field"] == "image"
        assert shop.api.get(f"{ITEMS}/{item}", headers=shop.headers).json().get("image") is None

    def test_a_file_over_5_mb_is_refused(self, shop: Shop) -> None:
        item = tea(shop)
        r = upload(shop, item, b"\xff\xd8" + b"\x00" * (5 * 1024 * 1024), "image/jpeg")
        assert r.status_code == 413, r.text
        assert error(r)["details"]["field"] == "image"
        assert upload(shop, item, photo(2000, 2000)).status_code == 200  # 1 MB+ is fine

    def test_another_business_cannot_set_or_read_the_picture(
        self, shop: Shop, api: TestClient, mailer: MemoryMailSender, db_url: str
    ) -> None:
        item = tea(shop)
        sha = upload(shop, item, photo(64, 64)).json()["sha256"]
        other = open_shop(api, mailer, db_url, "Other")
        assert upload(other, item, photo(64, 64)).status_code == 404
        assert other.api.delete(f"{ITEMS}/{item}/image", headers=other.headers).status_code == 404
        their_till, _ = enroll(other)
        r = other.api.get(f"/v1/catalog/images/{sha}", headers=their_till.headers)
        assert r.status_code == 404
        assert other.api.get(f"/v1/catalog/images/{sha}", headers=other.headers).status_code == 404
        assert shop.api.get(f"/v1/catalog/images/{sha}", headers=shop.headers).status_code == 200
        assert shop.api.get(f"/v1/catalog/images/{sha}").status_code == 401

    def test_a_cashier_may_not_upload_or_remove(self, shop: Shop) -> None:
        item = tea(shop)
        demote_owner_to_cashier(shop)
        r = upload(shop, item, photo(64, 64))
        assert r.status_code == 403
        assert error(r)["code"] == "AUTHZ"
        assert shop.api.delete(f"{ITEMS}/{item}/image", headers=shop.headers).status_code == 403

    def test_a_tills_edit_cannot_set_a_picture(self, shop: Shop) -> None:
        till, _ = enroll(shop)
        item = till.add_item("Scone")
        edit = item_edit(item, "Scone")
        edit["fields"] = {"name": "Scone", "image": "ab" * 32}
        edit["base"] = dict.fromkeys(edit["fields"])
        assert till.push([till.mutation(EDIT_KIND, edit)]) == ["applied"]
        r = shop.api.get(f"{ITEMS}/{item}", headers=shop.headers)
        assert r.json()["image"] is None  # only an upload here names a picture
