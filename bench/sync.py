"""Sync benchmark on loopback against Postgres (or SQLite): catch-up, a fleet reconnecting, pull.

1. One terminal sells N tickets offline (5 lines, stock movements, loyalty earn) and catches up.
2. M terminals (same catalog, a few hundred tickets each) reconnect at once: all must finish
   without an error, each pushing its sales and pulling the others' stock and loyalty changes.
3. Pull/apply rate of changes on a terminal (changes/s).
4. Bootstrap: a new, empty till of a business whose catalog holds 50,000 items (written to the
   server's catalog documents directly) runs its first sync: catalog snapshot in pages, then pull.
5. Baseline, same run, same database: a raw multi-row INSERT of the rows the server wrote for
   the catch-up (mutation results, sales, payments, movements, loyalty entries, change log).

    .venv/bin/python bench/sync.py [--tickets 5000] [--fleet 10] [--fleet-tickets 200]
                                   [--catalog-items 50000]
                                   [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import shutil
import socket
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import Column, Engine, MetaData, Table, func, insert, select, text

from desktop.catalog.service import set_tax_class
from desktop.db.engine import make_terminal_engine
from desktop.db.migrate import upgrade_terminal
from desktop.db.uow import UnitOfWork
from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.loyalty.customers import create_customer
from desktop.sales.checkout import TenderRequest, finalize
from desktop.sales.config import SellingConfig, configure
from desktop.sales.tickets import add_line, attach_customer, open_shift, open_ticket
from desktop.staff.service import create_role, create_user, sign_in
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import SyncReport
from desktop.sync.setup import build_engine, enroll_terminal
from desktop.till.runner import Runner
from migrations.runner import upgrade_server
from shared.ids import uuid7
from shared.money import Money
from shared.permissions import ALL_PERMISSIONS
from shared.tax import TaxRate
from syncserver.app import create_app
from syncserver.db import make_engine, make_sessionmaker
from syncserver.mail import MemoryMailSender
from syncserver.models import (
    ChangeLogEntry,
    Sale,
    SalePayment,
    ServerLoyaltyEntry,
    ServerStockMovement,
    SyncMutation,
)
from syncserver.models.base import table_of
from syncserver.settings import ServerSettings
from syncserver.superadmin.accounts import create_superadmin

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-pass-2026x"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def throwaway_pg() -> str | None:
    try:
        import psycopg

        name = f"nova_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception:
        return None
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def serve(
    url: str, mailer: MemoryMailSender, writer_gate: bool = True
) -> tuple[str, uvicorn.Server, threading.Thread]:
    if not writer_gate:  # measure SQLite's own busy wait alone (the FIFO gate is the default)
        import syncserver.app

        syncserver.app.make_engine = functools.partial(make_engine, writer_gate=False)  # type: ignore[assignment]
    app = create_app(
        ServerSettings(database_url=url, max_body_bytes=4_000_000, register_limit_per_hour=10_000)
    )
    app.state.mailer = mailer
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server, thread


def onboard(base: str, url: str, mailer: MemoryMailSender, codes: int) -> list[str]:
    """A business, approved and signed in; returns `codes` enrollment codes for its location."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session, session.begin():
        create_superadmin(session, email="ops@bench.example", name="Ops", password=PASSWORD)
    engine.dispose()
    with httpx.Client(base_url=base, timeout=60) as http:
        owner = {
            "business_name": "Bench Café", "owner_name": "Bea Bench",
            "email": "bea@bench.example", "password": PASSWORD, "country": "DE",
            "currency": "EUR", "timezone": "Europe/Berlin",
        }  # fmt: skip
        reg = http.post("/v1/auth/register", json=owner).json()
        ops = http.post(
            "/v1/auth/login", json={"email": "ops@bench.example", "password": PASSWORD}
        ).json()
        http.post(
            f"/v1/superadmin/registrations/{reg['id']}/decision",
            json={"decision": "approve"},
            headers={"Authorization": f"Bearer {ops['token']}"},
        ).raise_for_status()
        token = re.search(r"token=([\w-]+)", mailer.sent[-1].body).group(1)  # type: ignore[union-attr]
        http.post("/v1/auth/activate", json={"token": token}).raise_for_status()
        login = http.post("/v1/auth/login", json={"email": owner["email"], "password": PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        _OWNER_HEADERS.update(headers)
        location = http.get("/v1/locations", headers=headers).json()[0]["id"]
        return [
            http.post(
                "/v1/devices/enrollment-codes", headers=headers, json={"location_id": location}
            ).json()["code"]
            for _ in range(codes)
        ]


_OWNER_HEADERS: dict[str, str] = {}


def onboard_code(base: str) -> str:
    """One more enrollment code, with the owner's session from `onboard`."""
    with httpx.Client(base_url=base, timeout=60) as http:
        location = http.get("/v1/locations", headers=_OWNER_HEADERS).json()[0]["id"]
        r = http.post(
            "/v1/devices/enrollment-codes", headers=_OWNER_HEADERS, json={"location_id": location}
        )
        return str(r.json()["code"])


def base_terminal(path: Path, items: int) -> None:
    """A configured till: tax, a manager, a shift, a customer and tracked items."""
    upgrade_terminal(path)
    engine = make_terminal_engine(path)
    with UnitOfWork(engine) as uow:
        configure(uow, SellingConfig(terminal_code="B0", currency="EUR", location_code="MAIN"))
        set_tax_class(uow, tax_class="STD", rates=[TaxRate("VAT19", Decimal(19))])
        role = create_role(uow, name="manager", permissions=set(ALL_PERMISSIONS))
        create_user(uow, code="1", name="Bench", pin="1111", role_id=role)
        actor = sign_in(uow, code="1", pin="1111")
        open_shift(uow, actor, float_amount=Money("100", "EUR"))
        from desktop.catalog.service import create_item

        for i in range(items):
            create_item(
                uow, actor, sku=f"S{i}", name=f"Item {i}", price=Money("2.50", "EUR"),
                tax_class="STD", track_stock=True,
            )  # fmt: skip
        uow.commit()
    engine.dispose()


def fresh_copy(base: Path, path: Path, code: str) -> None:
    """The same catalog on another till: its own replica id and terminal code."""
    shutil.copyfile(base, path)
    engine = make_terminal_engine(path)
    with UnitOfWork(engine) as uow:
        uow.conn.execute(
            text("UPDATE local_meta SET value = :v WHERE key = 'replica_id'"), {"v": str(uuid7())}
        )
        configure(uow, SellingConfig(terminal_code=code, currency="EUR", location_code="MAIN"))
        uow.commit()
    engine.dispose()


def sell(path: Path, tickets: int) -> float:
    engine = make_terminal_engine(path)
    with UnitOfWork(engine) as uow:
        actor = sign_in(uow, code="1", pin="1111")
        customer = create_customer(
            uow, actor, name="Loyal Lou", phone=f"+4930{uuid7().int % 10**8}"
        )
        items = [
            row[0]
            for row in uow.sql.execute("SELECT id FROM items ORDER BY sku LIMIT 5").fetchall()
        ]
        card = SimulatedPaymentTerminal()
        cash = [TenderRequest("cash", Money("100.00", "EUR"))]
        start = time.perf_counter()
        for _ in range(tickets):
            ticket = open_ticket(uow, actor)
            attach_customer(uow, actor, ticket_id=ticket, customer_id=customer)
            for item in items:
                add_line(uow, actor, ticket_id=ticket, item_id=uuid.UUID(item))
            finalize(uow, actor, ticket_id=ticket, tenders=cash, payment_terminal=card)
            uow.commit()
        elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def seed_server_catalog(engine: Engine, items: int) -> None:
    """A large catalog as the server holds it after tills created it: one document per item
    (every field stamped), barcodes and SKUs owned, in one transaction."""
    from shared.clock import HlcStamp
    from syncserver.models import CatalogDocument, CatalogKey, Tenant

    stamp = HlcStamp(int(time.time() * 1000) - 60_000, 0, "server").encode()
    with engine.begin() as conn:
        tenant = conn.execute(select(Tenant.id)).scalar_one()
        now = datetime.now(UTC)
        docs, keys = [], []
        for i in range(items):
            item_id = str(uuid7())
            code = f"20{i:010d}"
            fields = {
                "sku": f"CAT{i:06d}", "name": f"Catalog item {i}", "category_id": None,
                "price_minor": 100 + i % 900, "currency": "EUR", "tax_class": "STD",
                "track_stock": True, "active": True, "available": True, "barcodes": [code],
                "modifier_groups": [],
            }  # fmt: skip
            body = {k: [v, stamp, None] for k, v in fields.items()}
            docs.append({"tenant_id": tenant, "entity": "cat.item", "entity_id": item_id,
                         "fields": json.dumps(body), "updated_at": now})  # fmt: skip
            keys.append({"tenant_id": tenant, "kind": "sku", "key": fields["sku"],
                         "item_id": item_id})  # fmt: skip
            keys.append({"tenant_id": tenant, "kind": "barcode", "key": code, "item_id": item_id})
        for i in range(0, items, 5_000):
            conn.execute(insert(table_of(CatalogDocument)), docs[i : i + 5_000])
        for i in range(0, len(keys), 10_000):
            conn.execute(insert(table_of(CatalogKey)), keys[i : i + 10_000])


def empty_terminal(path: Path) -> None:
    upgrade_terminal(path)
    engine = make_terminal_engine(path)
    with UnitOfWork(engine) as uow:
        configure(uow, SellingConfig(terminal_code="E1", currency="EUR", location_code="MAIN"))
        uow.commit()
    engine.dispose()


def sync_once(path: Path, base_url: str, code: str) -> tuple[float, SyncReport, int]:
    """A till's first sync: (seconds, its report, items on the till afterwards)."""
    runner = Runner(make_terminal_engine(path))
    store = CredentialStore(path.parent / f"{path.stem}-cred")
    enroll_terminal(runner, store, server_url=base_url, code=code, name=path.stem)
    engine = build_engine(runner, store)
    start = time.perf_counter()
    try:
        report = engine.run_once()
    finally:
        engine.client.close()
    elapsed = time.perf_counter() - start
    (on_till,) = runner.read(lambda u: u.sql.execute("SELECT count(*) FROM items").fetchone())
    runner.engine.dispose()
    return elapsed, report, int(on_till)


def server_rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            m.__tablename__: int(conn.execute(select(func.count()).select_from(m)).scalar_one())
            for m in (
                SyncMutation,
                Sale,
                SalePayment,
                ServerStockMovement,
                ServerLoyaltyEntry,
                ChangeLogEntry,
            )
        }


def raw_insert_baseline(engine: Engine, counts: dict[str, int]) -> float:
    """Rows/s of plain Core multi-row INSERTs (psycopg "insertmanyvalues", 1,000 rows a batch,
    one transaction) of as many rows as the server wrote, copied from them, into scratch tables
    shaped like the real ones. No ORM, no checks, no change log: the floor for ingest."""
    tables = [SyncMutation, Sale, SalePayment, ServerStockMovement, ServerLoyaltyEntry]
    metadata = MetaData()
    scratch = {
        t: Table(
            f"raw_{t.__tablename__}",
            metadata,
            *[Column(c.name, c.type) for c in table_of(t).columns],
        )
        for t in tables
    }
    metadata.create_all(engine)
    with engine.connect() as conn:
        samples = {
            t: [dict(r._mapping) for r in conn.execute(select(table_of(t)).limit(1000))]
            for t in tables
        }
    total = 0
    start = time.perf_counter()
    with engine.begin() as conn:
        for t in tables:
            need, sample = counts[t.__tablename__], samples[t]
            total += need
            for lo in range(0, need, 1000):
                rows = [sample[i % len(sample)] for i in range(lo, min(need, lo + 1000))]
                conn.execute(insert(scratch[t]), rows)
    rate = total / (time.perf_counter() - start)
    metadata.drop_all(engine)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=5_000)
    parser.add_argument("--fleet", type=int, default=10)
    parser.add_argument("--fleet-tickets", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--catalog-items", type=int, default=50_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--sqlite-writers",
        choices=["gate", "busy-timeout"],
        default="gate",
        help="SQLite: writers queue in the FIFO gate (default) or only on SQLite's busy timeout",
    )
    args = parser.parse_args()
    created = None if args.database_url else throwaway_pg()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.database_url or created or f"sqlite+pysqlite:///{folder / 'server.db'}"
        upgrade_server(url)
        mailer = MemoryMailSender()
        base_url, server, thread = serve(url, mailer, args.sqlite_writers == "gate")
        try:
            codes = onboard(base_url, url, mailer, 1 + args.fleet)
            base = folder / "base.db"
            base_terminal(base, args.items)
            main_db = folder / "main.db"
            fresh_copy(base, main_db, "B1")
            sold = sell(main_db, args.tickets)
            fleet = []
            for n in range(args.fleet):
                path = folder / f"fleet{n}.db"
                fresh_copy(base, path, f"F{n}")
                sell(path, args.fleet_tickets)
                fleet.append(path)

            catch_up, caught_up, _ = sync_once(main_db, base_url, codes[0])
            pushed = caught_up.pushed
            engine = make_engine(url)
            counts = server_rows(engine)

            results: dict[int, tuple[float, SyncReport, int] | BaseException] = {}

            def run(n: int) -> None:
                try:
                    results[n] = sync_once(fleet[n], base_url, codes[1 + n])
                except BaseException as exc:
                    results[n] = exc

            threads = [threading.Thread(target=run, args=(n,)) for n in range(args.fleet)]
            fleet_start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            fleet_time = time.perf_counter() - fleet_start
            # A new till of the same shop (nothing sold): its sync is all pull and apply.
            newcomer = folder / "newcomer.db"
            fresh_copy(base, newcomer, "N1")
            codes.append(onboard_code(base_url))
            solo_time, solo, _ = sync_once(newcomer, base_url, codes[-1])
            solo_pulled = solo.pulled
            raw_rate = raw_insert_baseline(engine, counts)
            seed_server_catalog(engine, args.catalog_items)
            empty = folder / "empty.db"
            empty_terminal(empty)
            codes.append(onboard_code(base_url))
            boot_time, booting, on_till = sync_once(empty, base_url, codes[-1])
            booted = booting.bootstrapped
            engine.dispose()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    if created:
        drop_pg(created)

    backend = "Postgres" if url.startswith("postgresql") else "SQLite"
    written = sum(v for k, v in counts.items() if k != "sync_changes")
    print(f"server database: {backend}; {args.tickets:,} tickets sold offline in {sold:.1f} s")
    print(
        f"catch-up of {pushed:,} mutations ({args.tickets:,} tickets, 5 lines, stock, loyalty): "
        f"{catch_up:.2f} s  (target < 10 s)"
    )
    ingest = written / catch_up
    print(f"  server rows written: {counts}")
    print(f"  ingest {ingest:,.0f} rows/s vs raw multi-row INSERT {raw_rate:,.0f} rows/s "
          f"[baseline]: ratio {ingest / raw_rate:.2f}")  # fmt: skip
    errors = [r for r in results.values() if isinstance(r, BaseException)]
    ok = [r for r in results.values() if not isinstance(r, BaseException)]
    print(
        f"{args.fleet} terminals reconnecting at once ({args.fleet_tickets} tickets each): "
        f"all done in {fleet_time:.2f} s, errors: {len(errors)}"
        + (f" — first: {errors[0]!r}" if errors else "")
    )
    if ok:
        pulled = sum(r[1].pulled for r in ok)
        busy = sum(r[0] for r in ok)
        print(f"  pulled {pulled:,} changes in total; pull+apply+push per terminal "
              f"{pulled / busy:,.0f} changes/s while all {args.fleet} ran at once")  # fmt: skip
    print(f"pull/apply on a new till: {solo_pulled:,} changes in {solo_time:.2f} s → "
          f"{solo_pulled / solo_time:,.0f} changes/s (target ≥ 5,000/s)")  # fmt: skip
    print(f"bootstrap of a {args.catalog_items:,}-item catalog on a new till: {booted:,} documents "
          f"in {boot_time:.2f} s ({booted / boot_time:,.0f} docs/s), {on_till:,} items on the "
          f"till (target < 30 s)")  # fmt: skip


if __name__ == "__main__":
    main()
