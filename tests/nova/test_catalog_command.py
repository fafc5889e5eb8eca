"""`nova catalog import/export` against a live server (SQLite and Postgres), signed in as the
shop's owner: counts and row errors in plain words, --dry-run writes nothing, a refused file
imports nothing, a second import changes nothing, and an export re-imports to no changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from nova.cli import main
from tests.support.live_server import live_server
from tests.syncserver.config.conftest import api, shop  # noqa: F401
from tests.syncserver.conftest import make_app  # noqa: F401
from tests.syncserver.identity.conftest import OWNER, mailer  # noqa: F401
from tests.syncserver.sync.conftest import Shop

HEADER = "sku,name,price,tax_class,category,barcodes\n"


@pytest.fixture
def server(
    shop: Shop,  # noqa: F811
    make_app: Callable[..., FastAPI],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    """The shop's server on a loopback port, with DE taxes and a "Drinks" category; the
    command signs in as its owner."""
    assert shop.api.post("/v1/tax/presets/DE/apply", headers=shop.headers).status_code == 200
    drinks = shop.api.post("/v1/catalog/categories", headers=shop.headers, json={"name": "Drinks"})
    assert drinks.status_code == 201
    monkeypatch.setenv("NOVA_CATALOG_EMAIL", "owner@tango.example")
    monkeypatch.setenv("NOVA_CATALOG_PASSWORD", OWNER["password"])
    with live_server(make_app()) as url:
        yield url


def nova(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def skus(shop: Shop) -> set[str]:  # noqa: F811
    return {i["sku"] for i in shop.api.get("/v1/catalog/items", headers=shop.headers).json()}


def test_import_dry_run_refusal_and_second_run(
    server: str,
    shop: Shop,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "LAT,Latte,3.40,STD,Drinks,4006381333931\nTEA,Tea,2.00,STD,,\n")
    code, out, _ = nova(capsys, "catalog", "import", str(good), "--dry-run", "--server-url", server)
    assert code == 0
    assert "2 items would be created, 0 would be changed, 0 already as in the file" in out
    assert "nothing was written (--dry-run)" in out
    assert skus(shop) == set()

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + 'LAT,Latte,"1,2,3",STD,Bakery,4006381333932\nTEA,Tea,2.00,STD,,\n')
    code, out, _ = nova(capsys, "catalog", "import", str(bad), "--server-url", server)
    assert code == 1
    assert "1 refused" in out
    assert "row 2, price: '1,2,3' is not a price" in out
    assert "row 2, category: there is no category named 'Bakery'" in out
    assert "row 2, barcodes: 4006381333932 has a wrong check digit (it should end in 1)" in out
    assert "nothing was imported" in out
    assert skus(shop) == set()

    code, out, _ = nova(capsys, "catalog", "import", str(good), "--server-url", server)
    assert code == 0, out
    assert "imported: 2 items created, 0 changed" in out
    assert skus(shop) == {"LAT", "TEA"}
    code, out, _ = nova(capsys, "catalog", "import", str(good), "--server-url", server)
    assert code == 0
    assert "nothing to import: every item is already as in the file" in out


def test_export_to_a_file_reimports_to_no_changes(
    server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "LAT,Latte,3.40,STD,Drinks,4006381333931|96385074\n")
    assert nova(capsys, "catalog", "import", str(source), "--server-url", server)[0] == 0
    exported = tmp_path / "out.csv"
    code, _, err = nova(capsys, "catalog", "export", str(exported), "--server-url", server)
    assert code == 0
    assert f"1 item written to {exported}" in err
    assert "LAT,Latte,3.40,STD,Drinks,4006381333931|96385074,,yes,yes,yes," in exported.read_text(
        encoding="utf-8-sig"
    )
    code, out, _ = nova(capsys, "catalog", "import", str(exported), "--server-url", server)
    assert code == 0
    assert "nothing to import" in out


def test_a_wrong_password_is_said_plainly(
    server: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NOVA_CATALOG_PASSWORD", "not-the-password")
    code, _, err = nova(capsys, "catalog", "export", "--server-url", server)
    assert code == 1
    assert err.startswith("nova catalog: ")


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_image_sets_and_removes_an_items_picture(
    server: str,
    shop: Shop,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from PIL import Image

    body = {"sku": "LAT", "name": "Latte", "price": "3.40", "tax_class": "STD"}
    assert shop.api.post("/v1/catalog/items", headers=shop.headers, json=body).status_code == 201
    photo = tmp_path / "LAT.jpg"
    Image.new("RGB", (1024, 512), (90, 60, 30)).save(photo, format="JPEG")
    code, out, err = nova(capsys, "catalog", "image", "LAT", str(photo), "--server-url", server)
    assert code == 0, err
    assert "LAT: picture set (256×128" in out
    (item,) = shop.api.get("/v1/catalog/items", headers=shop.headers).json()
    assert item["image"] is not None
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    code, _, err = nova(capsys, "catalog", "image", "LAT", str(notes), "--server-url", server)
    assert code == 1
    assert "choose a PNG, JPEG or WebP picture" in err
    code, _, err = nova(capsys, "catalog", "image", "NOPE", str(photo), "--server-url", server)
    assert (code, err.strip()) == (1, "nova catalog image: there is no item with SKU 'NOPE'")
    code, out, _ = nova(capsys, "catalog", "image", "LAT", "--remove", "--server-url", server)
    assert (code, out.strip()) == (0, "LAT: picture removed")
    (item,) = shop.api.get("/v1/catalog/items", headers=shop.headers).json()
    assert item["image"] is None
