"""The item form's desk on a freshly enrolled till (no demo data): items with every field,
categories and modifier groups are created and changed in one transaction each, every bad
field is named, nothing half-saved, and each save waits in the outbox as `catalog.edited`."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from desktop.catalog.forms import barcode_problem, parse_amount, sku_from_name
from desktop.catalog.groups import GroupDraft, OptionDraft
from desktop.catalog.items import NO_TAX_CLASSES, ItemDraft
from desktop.catalog.service import create_item, get_item, lookup_barcode
from desktop.outbox.service import pending_count
from desktop.till.catalog_desk import CatalogDesk
from shared.clock import FakeClock
from shared.errors import AuthzError, ValidationFailed
from shared.money import Money
from tests.desktop.catalog_form_shop import audit_actions, catalog_edits, enrolled_till


def eur(text: str) -> Money:
    return Money(text, "EUR")


@pytest.fixture
def desk(engine: Engine, clock: FakeClock) -> CatalogDesk:
    return CatalogDesk(enrolled_till(engine, clock))


def milk() -> GroupDraft:
    return GroupDraft("Milk", 1, 1, (OptionDraft("Whole"), OptionDraft("Oat", "0.40")))


def refused(desk: CatalogDesk, draft: ItemDraft) -> dict[str, str]:
    before = desk.counter.runner.read(pending_count)
    with pytest.raises(ValidationFailed) as caught:
        desk.save_item(draft)
    assert desk.counter.runner.read(pending_count) == before  # nothing written
    fields = caught.value.details["fields"]
    assert isinstance(fields, dict)
    return fields


class TestCreatingAnItem:
    def test_an_item_with_a_new_category_barcodes_and_a_group_is_one_save(
        self, desk: CatalogDesk
    ) -> None:
        group = desk.save_group(milk())
        assert (group.name, group.rule, [o.name for o in group.options]) == (
            "Milk", "pick 1", ["Oat", "Whole"]
        )  # fmt: skip
        assert desk.tax_classes()[1].label == "STD — VAT19 19%"
        draft = ItemDraft(
            name="Flat White", sku=desk.suggest_sku("Flat White"), price="3,90",
            tax_class="STD", new_category="Coffee", barcodes=("4006381333931", "4000000000013"),
            track_stock=False, modifier_groups=(group.id,),
        )  # fmt: skip
        item = desk.save_item(draft)
        assert (item.sku, item.price, item.tax_class, item.track_stock, item.available) == (
            "FLAT-WHITE", eur("3.90"), "STD", False, True
        )  # fmt: skip
        ((coffee, name),) = desk.category_choices()
        assert name == "Coffee"
        assert [i.id for i in desk.items(coffee)] == [item.id]
        found = desk.counter.runner.read(lambda u: lookup_barcode(u, "4000000000013"))
        assert found.id == item.id
        assert desk.draft(item.id).modifier_groups == (group.id,)

        edits = catalog_edits(desk.counter)
        assert [e["entity"] for e in edits] == ["cat.modifier_group", "cat.category", "cat.item"]
        fields = edits[-1]["fields"]
        assert fields["category_id"] == str(coffee)
        assert fields["barcodes"] == ["4000000000013", "4006381333931"]
        assert fields["modifier_groups"] == [str(group.id)]
        assert fields["price_minor"] == 390
        assert audit_actions(desk.counter) == [
            "catalog.modifier_group_created", "catalog.category_created", "catalog.item_created"
        ]  # fmt: skip

    def test_the_suggested_sku_is_free_and_a_taken_one_names_its_item(
        self, desk: CatalogDesk
    ) -> None:
        desk.save_item(ItemDraft("Café Crème", "CAFE-CREME", "3", "STD"))
        assert desk.suggest_sku("Cafe creme") == "CAFE-CREME-2"
        fields = refused(desk, ItemDraft("Another", "CAFE-CREME", "3", "STD"))
        assert fields == {"sku": "SKU CAFE-CREME belongs to Café Crème already: choose another"}

    def test_every_bad_field_is_named_at_once_and_nothing_is_saved(self, desk: CatalogDesk) -> None:
        desk.save_item(ItemDraft("Latte", "LATTE", "3.40", "STD", barcodes=("4006381333931",)))
        fields = refused(
            desk,
            ItemDraft(
                name=" ", sku="has space", price="-1", tax_class="NOPE",
                barcodes=("4006381333932",),
            ),
        )  # fmt: skip
        assert fields == {
            "name": "the name is needed",
            "sku": "a SKU takes letters, digits and . _ / - (no spaces)",
            "price": "the price cannot be negative",
            "tax_class": "choose a tax class",
            "barcodes": "4006381333932 has a wrong check digit (it should end in 1): "
            "type or scan it again",
        }
        assert refused(desk, ItemDraft("X", "X", "1.234", "STD")) == {
            "price": "the price has at most 2 decimals in EUR"
        }
        assert refused(desk, ItemDraft("X", "X", "1", "STD", barcodes=("4006381333931",))) == {
            "barcodes": "barcode 4006381333931 belongs to Latte already"
        }
        assert refused(desk, ItemDraft("X", "X", "", "STD"))["price"] == (
            "the price is needed, like 3.40"
        )
        assert [i.sku for i in desk.items(None)] == ["LATTE"]

    def test_with_no_tax_classes_yet_the_form_says_where_they_come_from(
        self, engine: Engine, clock: FakeClock
    ) -> None:
        desk = CatalogDesk(enrolled_till(engine, clock, taxes=False))
        assert desk.tax_classes() == []
        assert refused(desk, ItemDraft("Tea", "TEA", "2", "")) == {"tax_class": NO_TAX_CLASSES}

    def test_a_cashier_cannot_create_items(self, desk: CatalogDesk) -> None:
        desk.counter.sign_in("2", "2222")
        with pytest.raises(AuthzError, match=r"catalog\.edit"):
            desk.save_item(ItemDraft("Tea", "TEA", "2", "STD"))
        assert catalog_edits(desk.counter) == []


class TestEditingAnItem:
    def test_only_the_changed_fields_are_synced_and_the_price_change_is_audited(
        self, desk: CatalogDesk
    ) -> None:
        # "0001" came from elsewhere (the server) without a check digit: kept, not refused again.
        made = desk.counter.runner.run(
            lambda u: create_item(u, desk.counter.who(), sku="TEA", name="Tea", price=eur("2"),
                                  tax_class="STD", barcodes=["0001"])
        )  # fmt: skip
        item = desk.counter.runner.read(lambda u: get_item(u, made))
        before = len(catalog_edits(desk.counter))
        draft = desk.draft(item.id)
        assert (draft.price, draft.barcodes) == ("2.00", ("0001",))
        changed = ItemDraft(
            name="Green Tea", sku="TEA", price="2.20", tax_class="FOOD",
            barcodes=("0001", "96385074"), available=False,
        )  # fmt: skip
        saved = desk.save_item(changed, item.id)
        assert (saved.name, saved.price, saved.tax_class, saved.available) == (
            "Green Tea", eur("2.20"), "FOOD", False
        )  # fmt: skip
        (edit,) = catalog_edits(desk.counter)[before:]
        assert sorted(edit["fields"]) == [
            "available", "barcodes", "name", "price_minor", "tax_class"
        ]  # fmt: skip
        assert audit_actions(desk.counter)[-1] == "catalog.item_changed"
        desk.save_item(changed, item.id)  # the same again: nothing to write
        assert len(catalog_edits(desk.counter)) == before + 1

    def test_a_category_is_renamed_and_moved_and_names_stay_unique(self, desk: CatalogDesk) -> None:
        drinks = desk.save_category("Drinks", 0)
        desk.save_category("Food", 1)
        desk.save_category("Cold drinks", 2, drinks)
        rows = desk.category_rows()
        assert [(r.name, r.position) for r in rows] == [("Food", 1), ("Cold drinks", 2)]
        with pytest.raises(ValidationFailed, match="there is a category named Food already"):
            desk.save_category("food", 3)
        edits = catalog_edits(desk.counter)
        assert edits[-1]["fields"] == {"name": "Cold drinks", "position": 2}


class TestModifierGroups:
    def test_options_are_added_and_repriced_but_never_removed(self, desk: CatalogDesk) -> None:
        group = desk.save_group(milk())
        oat, whole = group.options
        more = GroupDraft(
            "Milk", 0, 1,
            (OptionDraft("Oat", "0.50", oat.id), OptionDraft("Whole", "", whole.id),
             OptionDraft("Soy", "0.40")),
        )  # fmt: skip
        changed = desk.save_group(more, group.id)
        assert [(o.name, o.price_delta) for o in changed.options] == [
            ("Oat", eur("0.50")), ("Soy", eur("0.40")), ("Whole", eur("0"))
        ]  # fmt: skip
        assert changed.rule == "up to 1"
        edit = catalog_edits(desk.counter)[-1]
        assert sorted(edit["fields"]) == ["min_choices", "modifiers"]
        fewer = GroupDraft("Milk", 0, 1, (OptionDraft("Oat", "0.50", oat.id),))
        with pytest.raises(ValidationFailed) as caught:
            desk.save_group(fewer, group.id)
        assert caught.value.details["fields"] == {
            "options": "Soy cannot be removed (tickets already sold name it): rename it instead"
        }

    def test_bad_groups_name_their_fields(self, desk: CatalogDesk) -> None:
        bad = GroupDraft("", 2, 3, (OptionDraft("Oat", "x"), OptionDraft("oat")))
        with pytest.raises(ValidationFailed) as caught:
            desk.save_group(bad)
        assert caught.value.details["fields"] == {
            "name": "the group's name is needed",
            "options": "Oat's price is a number like 3.40",
            "choices": "at most 2: there are only 2 options",
        }
        with pytest.raises(ValidationFailed, match="cannot be more than"):
            desk.save_group(GroupDraft("Size", 2, 1, (OptionDraft("S"), OptionDraft("L"))))
        assert desk.groups() == []


class TestFieldRules:
    @pytest.mark.parametrize(
        "code",
        ["4006381333931", "036000291452", "96385074", "04252614", "2100123", "10614141000415"],
    )
    def test_good_barcodes(self, code: str) -> None:
        assert barcode_problem(code) is None  # EAN-13, UPC-A, EAN-8, UPC-E, scale, GTIN-14

    @pytest.mark.parametrize(
        ("code", "words"),
        [
            ("036000291453", "wrong check digit (it should end in 2)"),
            ("12345", "has 5 digits"),
            ("ABC123", "digits only"),
            ("４００６３８１３３３９３１", "digits only"),
        ],
    )
    def test_bad_barcodes(self, code: str, words: str) -> None:
        assert words in (barcode_problem(code) or "")

    def test_prices_as_typed(self) -> None:
        assert parse_amount("3,4", "EUR") == eur("3.40")
        assert parse_amount("1200", "JPY") == Money("1200", "JPY")
        for text, words in [("1,2,3", "a number"), ("1e3", "a number"), ("1.5", "no decimals")]:
            with pytest.raises(ValidationFailed, match=words):
                parse_amount(text, "JPY" if text == "1.5" else "EUR")

    def test_skus_from_names(self) -> None:
        assert sku_from_name("Café Crème (large)") == "CAFE-CREME-LARGE"
        assert sku_from_name("Extraordinarily long product name here") == "EXTRAORDINARILY-LONG"
        assert sku_from_name("☕") == ""
