"""The demo till: marked as such, never enrolled while it holds demo data, and wiped (every
business row, in one transaction) before it may join a business, which then receives nothing
of the demo."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.sales.checkout import TenderRequest
from desktop.setup.demo_mode import DEMO_REFUSAL, is_demo, start_demo
from desktop.setup.desk import SetupDesk, Stage
from desktop.sync.engine import load_state, replica_id
from desktop.till.counter import Counter
from desktop.till.runner import Runner
from shared.errors import AuthnError, Conflict
from syncserver.models import Sale, SyncMutation
from tests.desktop.sync.conftest import Link, Server
from tests.syncserver.identity.conftest import rows

KEPT = {"local_meta", "local_devices", "alembic_version"}


def demo_sale(runner: Runner) -> None:
    """A practice sale by the demo manager: a receipt, a payment and an outbox record."""
    counter = Counter(runner)
    counter.sign_in("1", "1234")
    counter.scan("4006381333931")
    counter.pay([TenderRequest("cash", counter.cart().total)], SimulatedPaymentTerminal())


def business_rows(runner: Runner) -> dict[str, int]:
    def count(uow: object) -> dict[str, int]:
        sql = uow.sql  # type: ignore[attr-defined]
        tables = [
            name
            for (name,) in sql.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'items_fts%'"
            )
        ]
        counts = {t: sql.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        return {t: n for t, n in counts.items() if n and t not in KEPT}

    return runner.read(count)


class TestDemo:
    def test_the_demo_is_marked_and_loaded_once(self, desk: SetupDesk) -> None:
        assert desk.start_demo() is True
        assert desk.is_demo()
        assert desk.stage() is Stage.DEMO
        assert desk.start_demo() is False

    def test_a_till_set_up_for_a_business_never_becomes_a_demo(
        self, desk: SetupDesk, server: Server
    ) -> None:
        desk.check_server("testserver")
        desk.enroll_with_code(code=server.code(), till_name="Counter")
        with pytest.raises(Conflict):
            desk.start_demo()
        assert not desk.is_demo()

    def test_a_demo_till_cannot_be_enrolled_and_the_code_is_not_spent(
        self, desk: SetupDesk, server: Server
    ) -> None:
        desk.start_demo()
        demo_sale(desk.runner)
        code = server.code()
        desk.check_server("testserver")
        with pytest.raises(Conflict) as refused:
            desk.enroll_with_code(code=code, till_name="Counter")
        assert refused.value.message == DEMO_REFUSAL
        assert desk.runner.read(load_state) is None
        devices = server.api.get("/v1/devices", headers=server.headers).json()
        assert devices == []
        desk.wipe_demo()
        desk.enroll_with_code(code=code, till_name="Counter")  # the same code still works

    def test_the_wipe_deletes_every_business_row_of_the_demo(self, desk: SetupDesk) -> None:
        desk.start_demo()
        demo_sale(desk.runner)
        before = business_rows(desk.runner)
        for table in ("tickets", "ticket_lines", "tenders", "shifts", "users", "roles",
                      "items", "tax_rates", "categories", "outbox", "audit_log"):  # fmt: skip
            assert before.get(table), table
        old_replica = desk.runner.read(replica_id)
        desk.wipe_demo()
        assert business_rows(desk.runner) == {}
        assert not desk.runner.read(is_demo)
        assert desk.stage() is Stage.FRESH
        assert desk.runner.read(replica_id) != old_replica  # a new till to the server
        meta = desk.runner.read(lambda u: u.conn.execute(text("SELECT key FROM local_meta")).all())
        assert [k for (k,) in meta] == ["replica_id"]
        with pytest.raises(AuthnError):
            Counter(desk.runner).sign_in("1", "1234")  # the demo PINs are gone

    def test_a_real_till_is_never_wiped(self, desk: SetupDesk, server: Server) -> None:
        desk.check_server("testserver")
        desk.enroll_with_code(code=server.code(), till_name="Counter")
        with pytest.raises(Conflict):
            desk.wipe_demo()
        assert desk.runner.read(load_state) is not None

    def test_after_the_wipe_the_enrolled_till_pushes_nothing_of_the_demo(
        self, desk: SetupDesk, server: Server
    ) -> None:
        desk.runner.run(start_demo)
        demo_sale(desk.runner)
        desk.wipe_demo()
        desk.check_server("testserver")
        desk.enroll_with_code(code=server.code(), till_name="Counter")
        report = Link(desk.runner, desk.store, server.transport()).sync()
        assert report.pushed == 0
        assert rows(server.db_url, select(func.count()).select_from(Sale)) == [(0,)]
        pushed = rows(
            server.db_url,
            select(func.count())
            .select_from(SyncMutation)
            .where(SyncMutation.tenant_id == server.tenant),
        )
        assert pushed == [(0,)]
        staff = server.api.get("/v1/staff", headers=server.headers).json()
        assert all("Demo" not in person["name"] for person in staff)
