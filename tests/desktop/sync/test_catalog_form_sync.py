"""What the item form saves travels like every catalog edit: a group, a new category and an
item made (and then changed) in one till's back office reach the server and the other till,
which can scan the item and offers its options."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from desktop.catalog.groups import GroupDraft, OptionDraft
from desktop.catalog.items import ItemDraft
from desktop.catalog.service import lookup_barcode
from desktop.till.catalog_desk import CatalogDesk
from desktop.till.extras import Extras
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Server, two_tills
from tests.desktop.sync.test_catalog_sync import catalog_rows, inbox, manager


def test_an_item_made_in_the_form_reaches_the_other_till_with_its_group_and_category(
    shop: Shop, server: Server, terminal_db: Path, tmp_path: Path
) -> None:
    other, a, b = two_tills(shop, server, terminal_db, tmp_path)
    desk = CatalogDesk(shop.counter)
    milk = desk.save_group(
        GroupDraft("Milk", 1, 1, (OptionDraft("Whole"), OptionDraft("Oat", "0.40")))
    )
    item = desk.save_item(
        ItemDraft(name="Flat White", sku="FLAT-WHITE", price="3.90", tax_class="STD",
                  new_category="Coffee", barcodes=("4000000000013",),
                  modifier_groups=(milk.id,))
    )  # fmt: skip
    a.sync()
    b.sync()
    found = other.read(lambda u: lookup_barcode(u, "4000000000013"))
    assert (found.id, found.name, found.sku) == (item.id, "Flat White", "FLAT-WHITE")
    assert catalog_rows(other) == catalog_rows(shop.runner)

    # Changes made afterwards: an option added, the category renamed, the item repriced.
    ((coffee, _),) = desk.category_choices()
    oat, whole = milk.options
    desk.save_group(
        GroupDraft("Milk", 1, 1, (OptionDraft("Oat", "0.40", oat.id),
                                  OptionDraft("Whole", "", whole.id), OptionDraft("Soy", "0.50"))),
        milk.id,
    )  # fmt: skip
    desk.save_category("Hot drinks", 0, coffee)
    desk.save_item(replace(desk.draft(item.id), price="4.10"), item.id)
    a.sync()
    b.sync()
    assert catalog_rows(other) == catalog_rows(shop.runner)
    (choices,) = Extras(manager(other)).choices(item.id)
    assert sorted((c.name, str(c.price_delta)) for c in choices.choices) == [
        ("Oat", "EUR 0.40"), ("Soy", "EUR 0.50"), ("Whole", "EUR 0.00")
    ]  # fmt: skip
    assert inbox(server) == []  # one writer: nothing to resolve
