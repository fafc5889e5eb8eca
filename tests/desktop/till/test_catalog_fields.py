"""Issue 19's catalog fields on a till: an item's unit (piece or weighed) and cost, a category's
colour and its place among the tabs, a group's default options, and whether this shop carries
an item — saved through the desk in one transaction each, and taken from the server's
documents by sync."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import Engine

from desktop.catalog.groups import GroupDraft, OptionDraft
from desktop.catalog.items import ItemDraft
from desktop.catalog.service import at_location, get_item
from desktop.catalog.sync import apply_document
from desktop.db.uow import UnitOfWork
from desktop.hardware.barcodes import check_digit
from desktop.till.catalog_desk import CatalogDesk
from desktop.till.extras import Extras
from shared.catalog_sync import document_body
from shared.clock import FakeClock, HlcStamp
from shared.errors import ValidationFailed
from tests.desktop.catalog_form_shop import catalog_edits, enrolled_till


@pytest.fixture
def desk(engine: Engine, clock: FakeClock) -> CatalogDesk:
    return CatalogDesk(enrolled_till(engine, clock))


def cheese(**changes: Any) -> ItemDraft:
    fields: dict[str, Any] = {"name": "Gouda", "sku": "GOUDA", "price": "12.90",
                              "tax_class": "FOOD", "unit": "weighed", "cost": "7.50"}  # fmt: skip
    return ItemDraft(**{**fields, **changes})


class TestUnitAndCost:
    def test_a_weighed_item_with_a_cost_is_saved_shown_per_kg_and_changed_alone(
        self, desk: CatalogDesk
    ) -> None:
        item = desk.save_item(cheese(barcodes=("2100123",)))
        assert item.weighed
        draft = desk.draft(item.id)
        assert (draft.unit, draft.cost) == ("weighed", "7.50")
        (created,) = catalog_edits(desk.counter)
        assert (created["fields"]["unit"], created["fields"]["cost_minor"]) == ("weighed", 750)
        (tile,) = desk.counter.tiles(None)
        assert tile.weighed  # the sell screen asks for its weight and shows "/kg"
        desk.save_item(cheese(barcodes=("2100123",), cost=""), item.id)
        changed = catalog_edits(desk.counter)[-1]
        assert changed["fields"] == {"cost_minor": None}  # only what changed
        # A scale label carries the weight: the counter sells it without asking.
        label = "210012300385"  # PLU 00123, 385 g
        scanned, weight, price = desk.counter.resolve_scan(label + str(check_digit(label)))
        assert (scanned.item_id, weight, price) == (item.id, "0.385", None)

    @pytest.mark.parametrize(
        ("changes", "field", "words"),
        [({"cost": "-1"}, "cost", "cannot be negative"), ({"cost": "1.234"}, "cost", "decimals"),
         ({"unit": "litre"}, "unit", "by the piece or by weight")],
    )  # fmt: skip
    def test_a_bad_cost_or_unit_is_named_and_nothing_is_saved(
        self, desk: CatalogDesk, changes: dict[str, str], field: str, words: str
    ) -> None:
        with pytest.raises(ValidationFailed) as caught:
            desk.save_item(cheese(**changes))
        fields = caught.value.details["fields"]
        assert isinstance(fields, dict)
        assert words in fields[field]
        assert desk.items(None) == []
        assert catalog_edits(desk.counter) == []


class TestCategories:
    def test_moving_a_tab_renumbers_them_and_a_colour_colours_its_items(
        self, desk: CatalogDesk
    ) -> None:
        coffee = desk.save_category("Coffee", 0)
        cakes = desk.save_category("Cakes", 5)
        tea = desk.save_category("Tea", 9, color=None)
        before = len(catalog_edits(desk.counter))
        desk.move_category(tea, -1)
        rows = desk.category_rows()
        assert [(r.name, r.position) for r in rows] == [("Coffee", 0), ("Tea", 1), ("Cakes", 2)]
        moved = catalog_edits(desk.counter)[before:]  # Coffee kept its place: no edit of it
        assert {(e["id"], tuple(e["fields"])) for e in moved} == {
            (str(tea), ("position",)),
            (str(cakes), ("position",)),
        }  # fmt: skip
        desk.move_category(coffee, -1)  # already first: nothing moves
        assert len(catalog_edits(desk.counter)) == before + 2

        desk.save_category("Cakes", 2, cakes, "rose")
        assert catalog_edits(desk.counter)[-1]["fields"] == {"color": "rose"}
        plain = desk.save_item(cheese(sku="TORTE", name="Torte", unit="piece", category_id=cakes))
        desk.save_item(cheese(sku="PIE", name="Pie", unit="piece", category_id=cakes))
        assert desk.counter.category_colors() == {cakes: "rose"}
        assert {t.color for t in desk.counter.tiles(cakes)} == {"rose"}
        assert plain.tile_color is None  # the item keeps no colour of its own
        with pytest.raises(ValidationFailed, match="the colour is one of"):
            desk.save_category("Cakes", 2, cakes, "pink")


class TestModifierDefaults:
    def test_default_options_are_saved_offered_and_at_most_the_most(
        self, desk: CatalogDesk
    ) -> None:
        draft = GroupDraft("Milk", 0, 1, (OptionDraft("Whole", default=True), OptionDraft("Oat")))
        group = desk.save_group(draft)
        assert [(o.name, o.default) for o in group.options] == [("Oat", False), ("Whole", True)]
        sent = catalog_edits(desk.counter)[-1]["fields"]["modifiers"]
        assert {m["name"]: m["default"] for m in sent} == {"Whole": True, "Oat": False}
        item = desk.save_item(cheese(unit="piece", modifier_groups=(group.id,)))
        (offered,) = Extras(desk.counter).choices(item.id)
        assert [(c.name, c.default) for c in offered.choices] == [("Oat", False), ("Whole", True)]
        both = GroupDraft("Milk", 0, 1, tuple(
            OptionDraft(o.name, id=o.id, default=True) for o in group.options))  # fmt: skip
        with pytest.raises(ValidationFailed) as caught:
            desk.save_group(both, group.id)
        fields = caught.value.details["fields"]
        assert isinstance(fields, dict)
        assert "at most 1" in fields["options"]


def stamped(values: dict[str, Any], clock: FakeClock) -> dict[str, Any]:
    stamp = HlcStamp.after(None, clock.now(), "server").encode()
    return document_body({k: (v, stamp) for k, v in values.items()})


class TestFromTheServer:
    def test_documents_bring_every_field_and_an_unlisted_item_is_not_sold_here(
        self, desk: CatalogDesk, clock: FakeClock
    ) -> None:
        category, group, option, item = (str(uuid.uuid4()) for _ in range(4))
        docs = [
            ("cat.category", category, {"name": "Deli", "position": 0, "color": "teal"}),
            ("cat.modifier_group", group, {"name": "Slice", "min_choices": 0, "max_choices": 1,
             "modifiers": [{"id": option, "name": "Thin", "price_delta_minor": 0,
                            "default": True}]}),
            ("cat.item", item, {"sku": "HAM", "name": "Ham", "price_minor": 1990,
             "currency": "EUR", "tax_class": "FOOD", "category_id": category,
             "barcodes": ["2100777"], "modifier_groups": [group], "unit": "weighed",
             "cost_minor": 900}),
        ]  # fmt: skip

        def take(uow: UnitOfWork) -> None:
            for entity, key, values in docs:
                assert apply_document(uow, entity, key, stamped(values, clock), 0)

        desk.counter.runner.run(take)
        ham = uuid.UUID(item)
        assert desk.draft(ham).unit == "weighed"
        assert desk.draft(ham).cost == "9.00"
        (tile,) = desk.counter.tiles(uuid.UUID(category))
        assert (tile.weighed, tile.color) == (True, "teal")
        (offered,) = Extras(desk.counter).choices(ham)
        assert offered.choices[0].default

        not_here = {"price_minor": None, "available": None, "listed": False}
        desk.counter.runner.run(
            lambda u: apply_document(
                u, "cat.item_location", f"{item}@MAIN", stamped(not_here, clock), 0
            )
        )
        views = desk.counter.runner.read(
            lambda u: [*at_location(u, [get_item(u, ham)], "MAIN"), get_item(u, ham, "BERLIN")]
        )
        assert [v.listed for v in views] == [False, True]  # only MAIN leaves it out
        assert desk.counter.tiles(uuid.UUID(category)) == []
        assert desk.counter.search("ham") == []
        with pytest.raises(ValidationFailed, match="Ham is not sold at this shop"):
            desk.counter.lookup("2100777")
        with pytest.raises(ValidationFailed, match="Ham is not sold at this shop"):
            desk.counter.add(ham, "0.250")
