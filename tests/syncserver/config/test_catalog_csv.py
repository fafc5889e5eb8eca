"""Catalog CSV import and export (docs/catalog-csv.md): a preview that writes nothing, row errors
by row and column, all-or-nothing imports keyed by SKU, and an export that re-imports to no
changes — on SQLite and Postgres, through the public API."""

from __future__ import annotations

from typing import Any

import pytest

from shared.errors import ErrorCode
from tests.syncserver.config.conftest import demote_owner_to_cashier, error
from tests.syncserver.sync.conftest import Shop

C = "/v1/catalog"
pytestmark = pytest.mark.usefixtures("menu")  # every test runs against the same small menu
CSV = {"Content-Type": "text/csv"}
HEADER = "sku,name,price,tax_class,category,barcodes,modifier_groups,track_stock,available,active,tile_color\n"  # noqa: E501


@pytest.fixture
def menu(shop: Shop) -> dict[str, Any]:
    """DE taxes, a "Drinks" category, a "Milk" modifier group and one item, LAT-1."""
    assert shop.api.post("/v1/tax/presets/DE/apply", headers=shop.headers).status_code == 200
    drinks = shop.api.post(f"{C}/categories", headers=shop.headers, json={"name": "Drinks"})
    milk = shop.api.post(f"{C}/modifier-groups", headers=shop.headers, json={
        "name": "Milk", "min_choices": 0, "max_choices": 1,
        "modifiers": [{"name": "Oat", "price_delta": "0.50"}]})  # fmt: skip
    latte = shop.api.post(f"{C}/items", headers=shop.headers, json={
        "sku": "LAT-1", "name": "Latte", "price": "3.40", "tax_class": "STD",
        "category_id": drinks.json()["id"], "barcodes": ["4006381333931"],
        "modifier_group_ids": [milk.json()["id"]]})  # fmt: skip
    assert latte.status_code == 201, latte.text
    return {"category": drinks.json(), "group": milk.json(), "latte": latte.json()}


def items(shop: Shop) -> list[dict[str, Any]]:
    return list(shop.api.get(f"{C}/items", headers=shop.headers).json())


def preview(shop: Shop, text: str | bytes) -> Any:
    body = text.encode() if isinstance(text, str) else text
    return shop.api.post(f"{C}/import/preview", headers={**shop.headers, **CSV}, content=body)


def run(shop: Shop, text: str | bytes) -> Any:
    body = text.encode() if isinstance(text, str) else text
    return shop.api.post(f"{C}/import", headers={**shop.headers, **CSV}, content=body)


def imports(shop: Shop) -> list[dict[str, Any]]:
    r = shop.api.get("/v1/audit-events", headers=shop.headers,
                     params={"action": "catalog.imported"})  # fmt: skip
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


# Every column, as an export writes them.
FULL_HEADER = HEADER.strip() + ",unit,cost\n"
LATTE_AS_HELD = "LAT-1,Latte,3.40,STD,Drinks,4006381333931,Milk,yes,yes,yes,\n"


class TestPreview:
    def test_counts_what_would_be_created_changed_unchanged_and_refused(self, shop: Shop) -> None:
        tea = {"sku": "TEA", "name": "Tea", "price": "2.00", "tax_class": "STD"}
        assert shop.api.post(f"{C}/items", headers=shop.headers, json=tea).status_code == 201
        before = items(shop)
        text = (
            HEADER
            + LATTE_AS_HELD  # unchanged
            + "TEA,Green tea,2.20,STD,Drinks,,,yes,yes,yes,teal\n"  # changed
            + "MUF,Muffin,2.50,REDUCED,,96385074,,no,yes,yes,\n"  # new (EAN-8)
            + "BAD,Broken,1,2,3,STD,,,,,,,\n"  # refused: "1,2,3" split into cells
        )
        r = preview(shop, text)
        assert r.status_code == 200, r.text
        got = r.json()
        assert (got["create"], got["change"], got["unchanged"], got["refused"]) == (1, 1, 1, 1)
        assert got["errors"]
        assert {e["row"] for e in got["errors"]} == {5}
        assert items(shop) == before  # a preview writes nothing
        assert imports(shop) == []

    def test_semicolons_a_byte_order_mark_and_decimal_commas(self, shop: Shop) -> None:
        text = "\ufeffSKU;Name;Price;Tax_Class\nCROI;Croissant au beurre;1,90;REDUCED\n"
        got = preview(shop, text).json()
        assert (got["create"], got["refused"]) == (1, 0), got
        assert run(shop, text).status_code == 200
        made = next(i for i in items(shop) if i["sku"] == "CROI")
        assert (made["name"], made["price"], made["tax_class"]) == (
            "Croissant au beurre", "1.90", "REDUCED")  # fmt: skip
        assert (made["active"], made["track_stock"], made["category_id"]) == (True, True, None)

    @pytest.mark.parametrize(
        ("row", "column", "words"),
        [
            ('NEW,New,"1,2,3",STD,,,,yes,yes,yes,', "price", "not a price"),
            ("NEW,New,1.999,STD,,,,yes,yes,yes,", "price", "decimals"),
            ("NEW,New,1.00,STD,Bakery,,,yes,yes,yes,", "category", "no category named 'Bakery'"),
            ("NEW,New,1.00,NOPE,,,,yes,yes,yes,", "tax_class", "no tax class 'NOPE'"),
            ("NEW,New,1.00,STD,,,Syrup,yes,yes,yes,", "modifier_groups", "no modifier group"),
            ("NEW,New,1.00,STD,,4006381333932,,yes,yes,yes,", "barcodes", "wrong check digit"),
            ("NEW,New,1.00,STD,,036000291453,,yes,yes,yes,", "barcodes", "wrong check digit"),
            ("NEW,New,1.00,STD,,96385073,,yes,yes,yes,", "barcodes", "wrong check digit"),
            ("NEW,New,1.00,STD,,4006381333931,,yes,yes,yes,", "barcodes", "belongs to"),
            ("NEW,,1.00,STD,,,,yes,yes,yes,", "name", "a name is needed"),
            ("NEW,New,1.00,STD,,,,maybe,yes,yes,", "track_stock", "yes or no"),
            ("NEW,New,1.00,STD,,,,yes,yes,yes,pink", "tile_color", "not a tile colour"),
            ("NEW,New,1.00,STD,,,,yes,yes,yes,,litre,", "unit", "not a unit"),
            ("NEW,New,1.00,STD,,,,yes,yes,yes,,weighed,0.3.0", "cost", "not a cost"),
            ("NEW,New,1.00,STD,,,,yes,yes,yes,,piece,0.001", "cost", "decimals"),
        ],
    )
    # The row checks are the parser's, the same on both databases: SQLite only keeps CI in its
    # time budget (the all-or-nothing write is checked on both in TestImport).
    @pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
    def test_a_bad_row_is_refused_with_its_row_and_column_and_nothing_is_written(
        self, shop: Shop, row: str, column: str, words: str
    ) -> None:
        before = items(shop)
        header, ok = HEADER, "OK,Fine,1.00,STD,,,,yes,yes,yes,\n"
        if column in ("unit", "cost"):
            header, ok = FULL_HEADER, "OK,Fine,1.00,STD,,,,yes,yes,yes,,weighed,0.40\n"
        text = header + ok + row + "\n"
        got = preview(shop, text).json()
        assert (got["create"], got["refused"]) == (1, 1), got
        (problem,) = got["errors"]
        assert (problem["row"], problem["column"]) == (3, column), problem
        assert words in problem["reason"]
        refused = run(shop, text)
        assert refused.status_code == 422, refused.text
        assert error(refused)["code"] == ErrorCode.VALIDATION
        assert error(refused)["details"]["errors"] == got["errors"]
        assert items(shop) == before  # the good row was not written either
        assert imports(shop) == []

    def test_a_sku_twice_in_the_file_is_refused_on_its_second_row(self, shop: Shop) -> None:
        text = HEADER + "DUP,One,1.00,STD,,,,,,,\nDUP,Two,2.00,STD,,,,,,,\n"
        got = preview(shop, text).json()
        assert got["refused"] == 1
        assert got["errors"] == [
            {"row": 3, "column": "sku", "reason": "SKU DUP is also on row 2: one row per item"}
        ]
        assert run(shop, text).status_code == 422

    def test_a_barcode_twice_in_the_file_is_refused(self, shop: Shop) -> None:
        text = HEADER + "A,One,1.00,STD,,96385074,,,,,\nB,Two,2.00,STD,,96385074,,,,,\n"
        got = preview(shop, text).json()
        assert [(e["row"], e["column"]) for e in got["errors"]] == [(3, "barcodes")]


class TestWholeFileRefusals:
    @pytest.mark.parametrize(
        ("body", "words"),
        [
            (b"", "empty"),
            (b"\xef\xbb\xbf\n\n", "empty"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a catalog CSV"),
            (b'{"items": [{"sku": "A"}]}', "not a catalog CSV"),
            (b"sku,name,price\nA,B,1.00\n", "'tax_class' is missing"),
            ("sku,name,price,tax_class\nA,Caf\xe9,1.00,STD\n".encode("latin-1"), "UTF-8"),
        ],
    )
    @pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)  # the parser's checks
    def test_empty_binary_or_foreign_files(self, shop: Shop, body: bytes, words: str) -> None:
        for answer in (preview(shop, body), run(shop, body)):
            assert answer.status_code == 422, answer.text
            assert error(answer)["details"]["field"] == "file"
            assert words in error(answer)["message"]

    def test_a_file_over_10_mb_is_refused_in_plain_words(self, shop: Shop) -> None:
        row = "SKU,An item with a long enough name to fill the file,1.00,STD,,,,,,,\n"
        body = (HEADER + row * (10 * 1024 * 1024 // len(row) + 1)).encode()
        for answer in (preview(shop, body), run(shop, body)):
            assert answer.status_code == 413
            assert error(answer)["code"] == ErrorCode.VALIDATION
            assert "larger than 10 MB" in error(answer)["message"]

    def test_a_cashier_may_not_import(self, shop: Shop) -> None:
        demote_owner_to_cashier(shop)
        text = HEADER + LATTE_AS_HELD
        assert preview(shop, text).status_code == 403
        assert run(shop, text).status_code == 403


class TestImport:
    def test_one_refused_row_means_nothing_is_written(self, shop: Shop) -> None:
        """All or nothing, on both databases: the good row is not written either."""
        before = items(shop)
        text = HEADER + "OK,Fine,1.00,STD,,,,yes,yes,yes,\n" + 'NEW,New,"1,2,3",STD,,,,,,,\n'
        refused = run(shop, text)
        assert refused.status_code == 422, refused.text
        assert items(shop) == before
        assert imports(shop) == []

    def test_a_second_import_of_the_same_file_changes_nothing(
        self, shop: Shop, menu: dict[str, Any]
    ) -> None:
        text = (
            HEADER
            + "MUF,Muffin,2.50,REDUCED,Drinks,96385074|2100123,Milk,no,yes,yes,amber\n"
            + "LAT-1,Latte grande,3.90,STD,Drinks,4006381333931,,yes,no,yes,\n"
        )
        first = run(shop, text)
        assert first.status_code == 200, first.text
        assert (first.json()["create"], first.json()["change"]) == (1, 1)
        after = items(shop)
        muffin = next(i for i in after if i["sku"] == "MUF")
        assert muffin["barcodes"] == ["96385074", "2100123"]
        assert muffin["modifier_group_ids"] == [menu["group"]["id"]]
        assert (muffin["track_stock"], muffin["tile_color"]) == (False, "amber")
        latte = next(i for i in after if i["sku"] == "LAT-1")
        assert latte["id"] == menu["latte"]["id"]  # keyed by SKU: the same item, changed
        assert (latte["price"], latte["available"], latte["modifier_group_ids"]) == (
            "3.90", False, [])  # fmt: skip
        second = run(shop, text)
        assert second.status_code == 200
        assert second.json() == {"create": 0, "change": 0, "unchanged": 2, "refused": 0,
                                 "errors": [], "errors_total": 0}  # fmt: skip
        assert items(shop) == after
        trail = imports(shop)
        assert len(trail) == 2  # once per import, not per row
        assert sorted((e["after"] for e in trail), key=lambda a: a["unchanged"]) == [
            {"create": 1, "change": 1, "unchanged": 0, "refused": 0},
            {"create": 0, "change": 0, "unchanged": 2, "refused": 0},
        ]

    def test_a_barcode_moves_from_one_item_to_another_in_one_file(self, shop: Shop) -> None:
        text = HEADER + "LAT-2,Latte to go,3.60,STD,,4006381333931,,,,,\n" + (
            "LAT-1,Latte,3.40,STD,Drinks,,Milk,yes,yes,yes,\n")  # fmt: skip
        r = run(shop, text)
        assert r.status_code == 200, r.text
        by_sku = {i["sku"]: i for i in items(shop)}
        assert by_sku["LAT-2"]["barcodes"] == ["4006381333931"]
        assert by_sku["LAT-1"]["barcodes"] == []

    def test_columns_left_out_keep_their_values(self, shop: Shop, menu: dict[str, Any]) -> None:
        r = run(shop, "sku,name,price,tax_class\nLAT-1,Latte,3.50,STD\n")
        assert r.status_code == 200, r.text
        (latte,) = items(shop)
        assert latte == {**menu["latte"], "price": "3.50"}

    def test_tills_pull_what_an_import_wrote(self, shop: Shop, menu: dict[str, Any]) -> None:
        till = shop.enroll()
        till.pull_all()  # the menu as it was
        text = HEADER + "MUF,Muffin,2.50,REDUCED,,,,,,,\n" + (
            "LAT-1,Latte,3.70,STD,Drinks,4006381333931,Milk,yes,yes,yes,\n")  # fmt: skip
        assert run(shop, text).status_code == 200
        muffin = next(i for i in items(shop) if i["sku"] == "MUF")
        changes, _ = till.pull_all()
        pulled = {c["entity_id"]: c for c in changes if c["entity"] == "cat.item"}
        assert set(pulled) == {muffin["id"], menu["latte"]["id"]}  # the new and the changed
        latte = pulled[menu["latte"]["id"]]["body"]["fields"]
        assert latte["price_minor"]["value"] == 370
        assert latte["name"]["value"] == "Latte"  # the whole document, unchanged fields too
        # The changed price's stamp is above the fields the import left alone: tills take it.
        assert latte["price_minor"]["stamp"] > latte["name"]["stamp"]


class TestExport:
    def test_export_reimports_to_no_changes(self, shop: Shop) -> None:
        text = (
            FULL_HEADER
            + 'MUF,"Muffin, blueberry",2.50,REDUCED,Drinks,96385074|2100123,Milk,no,yes,no,amber,'
            + ",\n"
            + "CHEESE,Gouda,12.90,REDUCED,,,,yes,no,yes,,weighed,7.5\n"
        )
        assert run(shop, text).status_code == 200
        cheese = next(i for i in items(shop) if i["sku"] == "CHEESE")
        assert (cheese["unit"], cheese["cost"]) == ("weighed", "7.50")
        exported = shop.api.get(f"{C}/export", headers=shop.headers)
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        assert exported.content.startswith(b"\xef\xbb\xbf" + FULL_HEADER.strip().encode())
        assert "CHEESE,Gouda,12.90,REDUCED,,,,yes,no,yes,,weighed,7.50" in exported.text
        assert len(exported.text.strip().splitlines()) == 4  # header + three items
        before = items(shop)
        again = preview(shop, exported.content).json()
        assert (again["create"], again["change"], again["unchanged"], again["refused"]) == (
            0, 0, 3, 0)  # fmt: skip
        assert run(shop, exported.content).json()["unchanged"] == 3
        assert items(shop) == before
