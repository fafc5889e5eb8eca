"""The back office's item list query (desktop/catalog/browse.py): the same rows, in the same
order, whether a page is found by sorting few matches or by walking the name index for many —
each checked against the rule written out in Python, with paging, filters and a location."""

from __future__ import annotations

import uuid

import pytest

from desktop.catalog import browse as browse_module
from desktop.catalog.archive import set_archived
from desktop.catalog.browse import AnyCategory, Archived, BrowseFilter, browse
from desktop.catalog.service import (
    create_category,
    create_item,
    set_category,
    set_location_override,
)
from desktop.catalog.text import search_key
from desktop.db.uow import UnitOfWork
from desktop.till.runner import Runner
from shared.money import Money
from tests.desktop.conftest import Shop

NAMES = ("Oat Latte", "Latte Macchiato", "Iced Latte", "Lemon Tart", "Lemonade", "Plain Bagel",
         "Sesame Bagel", "Flat White", "Oat Cookie", "Hot Chocolate")  # fmt: skip


@pytest.fixture
def catalog(shop: Shop) -> tuple[Runner, uuid.UUID]:
    """The till's three items and ten more (one archived), two in a category, one dearer at
    the airport."""
    me = shop.counter.who()

    def arrange(uow: UnitOfWork) -> uuid.UUID:
        bakery = create_category(uow, me, name="Bakery")
        for n, name in enumerate(NAMES):
            item = create_item(uow, me, sku=f"X{n:02d}", name=name,
                               price=Money("1.00", "EUR"), tax_class="STD",
                               barcodes=[f"77{n:02d}000"])  # fmt: skip
            if "Bagel" in name:
                set_category(uow, me, item_id=item, category_id=bakery)
            if name == "Iced Latte":
                set_archived(uow, me, item_id=item, archived=True)
            if name == "Oat Latte":
                set_location_override(uow, me, item_id=item, location_code="AIRPORT",
                                      price=Money("1.50", "EUR"))  # fmt: skip
        return bakery

    return shop.runner, shop.runner.run(arrange)


def expected(uow: UnitOfWork, f: BrowseFilter) -> list[str]:
    """SKUs the filter should list, by the rule: a word of name or SKU starts with the text
    (anywhere from three characters), or a barcode starts with it (three characters on)."""
    rows = uow.sql.execute(
        "SELECT i.sku, i.search_key, i.active, i.category_id, "
        "(SELECT group_concat(code, ' ') FROM barcodes b WHERE b.item_id = i.id) FROM items i"
    ).fetchall()
    key, raw = search_key(f.text.strip()), f.text.strip()
    out = []
    for sku, skey, active, category, codes in rows:
        if f.archived is not Archived.ALL and bool(active) != (f.archived is Archived.ACTIVE):
            continue
        if f.category is None and category is not None:
            continue
        if isinstance(f.category, uuid.UUID) and category != str(f.category):
            continue
        if key:
            words = skey.startswith(key) or f" {key}" in skey
            named = key in skey if len(key) >= 3 else words
            coded = len(raw) >= 3 and any(c.startswith(raw) for c in (codes or "").split())
            if not (named or coded):
                continue
        out.append((skey, sku))
    return [sku for _, sku in sorted(out)]


@pytest.mark.parametrize("dense", [10**6, 1], ids=["sorted-lookups", "walking-the-index"])
def test_both_ways_of_finding_a_page_list_what_the_rule_says(
    catalog: tuple[Runner, uuid.UUID], monkeypatch: pytest.MonkeyPatch, dense: int
) -> None:
    runner, bakery = catalog
    monkeypatch.setattr(browse_module, "DENSE", dense)
    filters = [
        BrowseFilter(text=t)
        for t in (
            "",
            "l",
            "la",
            "lat",
            "LEMON",
            "x0",
            "x05",
            "770",
            "7705",
            "café",
            "bagel",
            "50%",
            "zz",
        )
    ]
    filters += [
        BrowseFilter(text="lat", archived=Archived.ALL),
        BrowseFilter(archived=Archived.ARCHIVED),
        BrowseFilter(category=bakery),
        BrowseFilter(text="ses", category=bakery),
        BrowseFilter(category=None, text="oat"),
    ]  # fmt: skip

    def check(uow: UnitOfWork) -> None:
        for f in filters:
            assert [r.sku for r in browse(uow, f)] == expected(uow, f), f
            want = expected(uow, f)
            pages = [r.sku for k in range(0, 14, 3) for r in browse(uow, f, offset=k, limit=3)]
            assert pages == want, f"paged: {f}"
        assert browse(uow, BrowseFilter(text="lat"))[0].sku == "LATTE"  # "Café…" sorts as "cafe"

    runner.read(check)


def test_a_location_shows_its_own_price_and_the_rows_carry_category_and_barcodes(
    catalog: tuple[Runner, uuid.UUID],
) -> None:
    runner, _ = catalog
    (oat,) = runner.read(lambda u: browse(u, BrowseFilter(text="oat latte", location="AIRPORT")))
    (plain,) = runner.read(lambda u: browse(u, BrowseFilter(text="oat latte")))
    (bagel,) = runner.read(
        lambda u: browse(u, BrowseFilter(text="sesame", category=AnyCategory.ALL))
    )
    assert (oat.price, plain.price) == (Money("1.50", "EUR"), Money("1.00", "EUR"))
    assert (bagel.category, bagel.barcodes, bagel.first_barcode) == ("Bakery", 1, "7706000")
