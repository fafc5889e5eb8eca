"""Count sessions: counting while selling, review, posting variance against the counted moment,
several counters, recounts, scopes, attachments, CSV, and bad input that writes nothing."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.catalog.service import create_category, create_item, set_category
from desktop.inventory.adjustments import adjust
from desktop.inventory.count_files import MAX_BYTES, attach, export_csv
from desktop.inventory.counts import (
    cancel_count,
    count_item,
    entry_count,
    post_count,
    review,
    scan,
    start_count,
)
from desktop.inventory.ledger import history
from desktop.modules import set_module
from desktop.staff.service import Actor, create_role, create_user, sign_in
from shared.clock import FakeClock
from shared.errors import AuthzError, Conflict, NotFound, ValidationFailed
from shared.money import Money
from shared.permissions import Permission
from tests.desktop.conftest import Till
from tests.desktop.inventory.test_ledger import item, level, paper_bag, sell

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100
PDF = b"%PDF-1.7\n" + b"0" * 100


def counted(
    till: Till, count: uuid.UUID, sku: str, qty: Decimal | int | str, mode: str = "add"
) -> Decimal:
    return count_item(
        till.uow,
        till.manager,
        session_id=count,
        item_id=item(till, sku),
        quantity=qty,
        mode=mode,
    )


def received(till: Till, sku: str, qty: str) -> None:
    adjust(till.uow, till.manager, item_id=item(till, sku), change=qty, reason="received")
    till.uow.commit()


def counter(till: Till) -> Actor:
    """A second person on the same count: staff with `inventory.count` only."""
    role = create_role(till.uow, name="counter", permissions={Permission.INVENTORY_COUNT})
    create_user(till.uow, code="9", name="Cora Counter", pin="9999", role_id=role)
    return sign_in(till.uow, code="9", pin="9999")


class TestCountingWhileSelling:
    def test_sales_after_the_count_are_not_wiped_out(self, till: Till, clock: FakeClock) -> None:
        received(till, "LATTE", "20")
        count = start_count(till.uow, till.manager)
        clock.advance(timedelta(minutes=1))
        count_item(
            till.uow, till.manager, session_id=count, item_id=item(till, "LATTE"), quantity=18
        )
        clock.advance(timedelta(minutes=1))
        sell(till, [("LATTE", "3")])  # after the count: 18 on the shelf minus 3 = 15
        clock.advance(timedelta(minutes=1))
        lines = {r.sku: r for r in review(till.uow, till.manager, session_id=count)}
        assert (lines["LATTE"].expected, lines["LATTE"].counted) == (Decimal(20), Decimal(18))
        assert lines["LATTE"].variance == Decimal(-2)
        assert lines["LATTE"].variance_value == Money("-6.80", "EUR")
        assert lines["BAGEL"].counted is None
        assert lines["BAGEL"].needs_attention
        assert post_count(till.uow, till.manager, session_id=count) == 1
        assert level(till, "LATTE") == Decimal(15)
        (posted, *_) = history(till.uow, item_id=item(till, "LATTE"))
        assert (posted.kind, posted.quantity, posted.count_id) == (
            "count_variance",
            Decimal(-2),
            count,
        )

    def test_several_counters_add_up_and_a_recount_replaces(self, till: Till) -> None:
        received(till, "BAGEL", "10")
        count = start_count(till.uow, till.manager)
        bagel = item(till, "BAGEL")
        count_item(till.uow, till.manager, session_id=count, item_id=bagel, quantity=4)
        count_item(till.uow, counter(till), session_id=count, item_id=bagel, quantity=5)
        assert scan(till.uow, till.manager, session_id=count, barcode="0001") == Decimal(10)
        recount = count_item(
            till.uow, till.manager, session_id=count, item_id=bagel, quantity=7, mode="set"
        )
        assert recount == Decimal(7)
        assert entry_count(till.uow, count) == 4
        post_count(till.uow, till.manager, session_id=count)
        assert level(till, "BAGEL") == Decimal(7)

    def test_a_shelf_that_sells_between_entries_asks_for_a_recount(
        self, till: Till, clock: FakeClock
    ) -> None:
        received(till, "LATTE", "21")  # shelf A holds 10, shelf B 11
        count = start_count(till.uow, till.manager)
        clock.advance(timedelta(minutes=1))
        counted(till, count, "LATTE", 10)  # shelf A
        clock.advance(timedelta(minutes=1))
        sell(till, [("LATTE", "3")])  # from shelf A, already counted (the till cannot know)
        clock.advance(timedelta(minutes=1))
        counted(till, count, "LATTE", 8)  # shelf B after 3 broken ones were binned: 15 real
        (line,) = [r for r in review(till.uow, till.manager, session_id=count) if r.sku == "LATTE"]
        assert line.moved_while_counting == Decimal(-3)
        assert line.needs_attention
        with pytest.raises(Conflict, match="recount") as refused:
            post_count(till.uow, till.manager, session_id=count)
        assert refused.value.details["items"] == [
            {"item_id": str(item(till, "LATTE")), "moved": "-3"}
        ]
        assert level(till, "LATTE") == Decimal(18)  # nothing posted
        clock.advance(timedelta(minutes=1))
        counted(till, count, "LATTE", 15, mode="set")  # the recount of both shelves
        (line,) = [r for r in review(till.uow, till.manager, session_id=count) if r.sku == "LATTE"]
        assert line.moved_while_counting == 0
        post_count(till.uow, till.manager, session_id=count)
        assert level(till, "LATTE") == Decimal(15)  # not 18: the 3 sold are not counted twice

    def test_a_manager_may_post_a_moved_line_as_counted(self, till: Till, clock: FakeClock) -> None:
        received(till, "LATTE", "20")
        count = start_count(till.uow, till.manager)
        clock.advance(timedelta(minutes=1))
        counted(till, count, "LATTE", 10)
        clock.advance(timedelta(minutes=1))
        sell(till, [("LATTE", "1")])  # from the shelf not counted yet
        clock.advance(timedelta(minutes=1))
        counted(till, count, "LATTE", 9)
        assert post_count(till.uow, till.manager, session_id=count, accept_moved=True) == 1
        assert level(till, "LATTE") == Decimal(19)

    def test_counting_zero_is_a_count(self, till: Till) -> None:
        received(till, "LATTE", "3")
        count = start_count(till.uow, till.manager)
        count_item(
            till.uow, till.manager, session_id=count, item_id=item(till, "LATTE"), quantity=0
        )
        post_count(till.uow, till.manager, session_id=count)
        assert level(till, "LATTE") == Decimal(0)

    def test_weighed_goods_count_in_thousandths(self, till: Till) -> None:
        received(till, "CHEESE", "2.5")
        count = start_count(till.uow, till.manager)
        count_item(
            till.uow, till.manager, session_id=count, item_id=item(till, "CHEESE"), quantity="2.385"
        )
        post_count(till.uow, till.manager, session_id=count)
        assert level(till, "CHEESE") == Decimal("2.385")


class TestScopes:
    def test_category_and_selection_counts_refuse_other_items(self, till: Till) -> None:
        drinks = create_category(till.uow, till.manager, name="Drinks")
        set_category(till.uow, till.manager, item_id=item(till, "LATTE"), category_id=drinks)
        by_category = start_count(till.uow, till.manager, scope="category", category_id=drinks)
        assert [r.sku for r in review(till.uow, till.manager, session_id=by_category)] == ["LATTE"]
        with pytest.raises(ValidationFailed, match="not part of this count"):
            count_item(
                till.uow,
                till.manager,
                session_id=by_category,
                item_id=item(till, "BAGEL"),
                quantity=1,
            )
        chosen = start_count(
            till.uow, till.manager, scope="selection", items=[item(till, "CHEESE")]
        )
        assert [r.sku for r in review(till.uow, till.manager, session_id=chosen)] == ["CHEESE"]
        with pytest.raises(ValidationFailed, match="choose the items"):
            start_count(till.uow, till.manager, scope="selection")
        with pytest.raises(NotFound, match="existing category"):
            start_count(till.uow, till.manager, scope="category", category_id=uuid.uuid4())


class TestBadInput:
    def test_unknown_barcode_counts_nothing(self, till: Till) -> None:
        count = start_count(till.uow, till.manager)
        with pytest.raises(NotFound, match="no item with barcode 999"):
            scan(till.uow, till.manager, session_id=count, barcode="999")
        assert entry_count(till.uow, count) == 0

    def test_a_cancelled_count_cannot_be_posted_or_counted(self, till: Till) -> None:
        received(till, "LATTE", "5")
        count = start_count(till.uow, till.manager)
        count_item(
            till.uow, till.manager, session_id=count, item_id=item(till, "LATTE"), quantity=1
        )
        with pytest.raises(ValidationFailed, match="say why"):
            cancel_count(till.uow, till.manager, session_id=count, reason=" ")
        cancel_count(till.uow, till.manager, session_id=count, reason="wrong shelf")
        with pytest.raises(Conflict, match="cancelled"):
            post_count(till.uow, till.manager, session_id=count)
        with pytest.raises(Conflict, match="cancelled"):
            scan(till.uow, till.manager, session_id=count, barcode="0001")
        assert level(till, "LATTE") == Decimal(5)

    def test_posting_twice_or_empty_is_refused(self, till: Till) -> None:
        count = start_count(till.uow, till.manager)
        with pytest.raises(ValidationFailed, match="nothing was counted"):
            post_count(till.uow, till.manager, session_id=count)
        count_item(
            till.uow, till.manager, session_id=count, item_id=item(till, "LATTE"), quantity=1
        )
        post_count(till.uow, till.manager, session_id=count)
        with pytest.raises(Conflict, match="posted"):
            post_count(till.uow, till.manager, session_id=count)

    @pytest.mark.parametrize("quantity", ["-1", "abc", "1.0001", "10001"])
    def test_bad_quantities(self, till: Till, quantity: str) -> None:
        count = start_count(till.uow, till.manager)
        with pytest.raises(ValidationFailed):
            count_item(
                till.uow,
                till.manager,
                session_id=count,
                item_id=item(till, "LATTE"),
                quantity=quantity,
            )
        assert entry_count(till.uow, count) == 0

    def test_permission_and_module(self, till: Till) -> None:
        with pytest.raises(AuthzError, match=r"inventory\.count"):
            start_count(till.uow, till.cashier)
        set_module(till.uow, "inventory", enabled=False)
        with pytest.raises(AuthzError, match="switched off"):
            start_count(till.uow, till.manager)

    def test_untracked_items_are_not_counted(self, till: Till) -> None:
        bag = paper_bag(till)
        count = start_count(till.uow, till.manager)
        with pytest.raises(ValidationFailed, match="not stock-tracked"):
            count_item(till.uow, till.manager, session_id=count, item_id=bag, quantity=1)


class TestEvidenceAndExport:
    def test_attachments_are_checked_by_content_and_kept_on_disk(
        self, till: Till, tmp_path: Path
    ) -> None:
        count = start_count(till.uow, till.manager)
        photo = attach(
            till.uow,
            till.manager,
            session_id=count,
            filename="../../shelf.jpg",
            data=JPEG,
            data_dir=tmp_path,
        )
        assert photo.path.read_bytes() == JPEG
        assert photo.path.is_relative_to(tmp_path / "attachments" / "counts")
        assert (
            attach(
                till.uow,
                till.manager,
                session_id=count,
                filename="note.pdf",
                data=PDF,
                data_dir=tmp_path,
            ).content_type
            == "application/pdf"
        )
        for data, text in (
            (b"MZ\x90\x00 not a photo", "only photos"),
            (b"", "empty"),
            (b"\xff\xd8\xff" + b"0" * MAX_BYTES, "over 10 MB"),
        ):
            with pytest.raises(ValidationFailed, match=text):
                attach(
                    till.uow,
                    till.manager,
                    session_id=count,
                    filename="x.jpg",
                    data=data,
                    data_dir=tmp_path,
                )

    def test_csv_export(self, till: Till) -> None:
        received(till, "LATTE", "4")
        evil = create_item(
            till.uow,
            till.manager,
            sku="EVIL",
            name='=HYPERLINK("http://x")',
            price=Money("1.00", "EUR"),
            tax_class="STD",
        )
        count = start_count(till.uow, till.manager)
        count_item(
            till.uow, till.manager, session_id=count, item_id=item(till, "LATTE"), quantity=3
        )
        count_item(till.uow, till.manager, session_id=count, item_id=evil, quantity=1)
        rows = list(
            csv.DictReader(io.StringIO(export_csv(till.uow, till.manager, session_id=count)))
        )
        by_sku = {r["sku"]: r for r in rows}
        assert (by_sku["LATTE"]["expected"], by_sku["LATTE"]["counted"]) == ("4", "3")
        assert (by_sku["LATTE"]["variance"], by_sku["LATTE"]["variance_value"]) == ("-1", "-3.40")
        assert by_sku["BAGEL"]["counted"] == ""
        assert by_sku["EVIL"]["name"].startswith("'=")
