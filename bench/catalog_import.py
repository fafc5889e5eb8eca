"""Catalog CSV import benchmark: preview and apply of a 50,000-row file on the embedded SQLite
server, over HTTP like `nova catalog import` (issue 19: preview < 10 s, apply < 30 s); then the
same file again (no changes) and once with every tenth price changed.

Baseline, measured in the same run on the same database: a raw multi-row INSERT (SQLAlchemy
Core, 1,000 rows a statement, one transaction) of the same items as catalog documents plus their
SKU and barcode keys into scratch tables shaped like the real ones — no parsing, no checks, no
field clocks, no change log: the floor for writing these rows.

    .venv/bin/python bench/catalog_import.py [--rows 50000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import Column, Engine, MetaData, Table, insert, select

from migrations.runner import upgrade_server
from shared.clock import HlcStamp
from shared.gtin import check_digit
from shared.ids import uuid7
from syncserver.app import create_app
from syncserver.db import make_engine, make_sessionmaker
from syncserver.mail import MemoryMailSender
from syncserver.models import CatalogDocument, CatalogKey, Tenant
from syncserver.models.base import table_of
from syncserver.settings import ServerSettings
from syncserver.superadmin.accounts import create_superadmin

PASSWORD = "bench-pass-2026"
HEADER = (
    "sku,name,price,tax_class,category,barcodes,modifier_groups,track_stock,available,active,"
    "tile_color"
)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, mailer: MemoryMailSender) -> tuple[str, uvicorn.Server, threading.Thread]:
    app = create_app(ServerSettings(database_url=url))
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


def owner_headers(http: httpx.Client, url: str, mailer: MemoryMailSender) -> dict[str, str]:
    """A business registered, approved, activated and signed in; its DE taxes, a category and
    a modifier group the file names."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session, session.begin():
        create_superadmin(session, email="ops@bench.example", name="Ops", password=PASSWORD)
    engine.dispose()
    owner = {
        "business_name": "Bench Café", "owner_name": "Bea Bench", "email": "bea@bench.example",
        "password": PASSWORD, "country": "DE", "currency": "EUR", "timezone": "Europe/Berlin",
    }  # fmt: skip
    reg = http.post("/v1/auth/register", json=owner).json()
    ops = http.post("/v1/auth/login", json={"email": "ops@bench.example", "password": PASSWORD})
    http.post(
        f"/v1/superadmin/registrations/{reg['id']}/decision",
        json={"decision": "approve"},
        headers={"Authorization": f"Bearer {ops.json()['token']}"},
    ).raise_for_status()
    token = re.search(r"token=([\w-]+)", mailer.sent[-1].body).group(1)  # type: ignore[union-attr]
    http.post("/v1/auth/activate", json={"token": token}).raise_for_status()
    login = http.post("/v1/auth/login", json={"email": owner["email"], "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    http.post("/v1/tax/presets/DE/apply", headers=headers).raise_for_status()
    http.post("/v1/catalog/categories", headers=headers, json={"name": "Bakery"})
    http.post("/v1/catalog/modifier-groups", headers=headers, json={
        "name": "Milk", "modifiers": [{"name": "Oat", "price_delta": "0.40"}]})  # fmt: skip
    return headers


def ean13(n: int) -> str:
    body = f"400{n:09d}"
    return body + str(check_digit(body))


def csv_file(rows: int, raised_every: int = 0) -> bytes:
    """`rows` items; with `raised_every`, every n-th item's price is one more."""
    lines = [HEADER]
    for i in range(rows):
        group = "Milk" if i % 10 == 0 else ""
        whole = 1 + i % 50 + (1 if raised_every and i % raised_every == 0 else 0)
        lines.append(
            f"B{i:06d},Bench item {i},{whole}.{i % 100:02d},STD,Bakery,{ean13(i)},{group},"
            "yes,yes,yes,"
        )
    return ("\n".join(lines) + "\n").encode()


def raw_insert_baseline(engine: Engine, rows: int) -> float:
    """Rows/s of plain multi-row INSERTs of `rows` item documents and their two keys."""
    metadata = MetaData()
    scratch = {
        model: Table(
            f"raw_{model.__tablename__}",
            metadata,
            *[Column(c.name, c.type, primary_key=c.primary_key) for c in table_of(model).columns],
        )
        for model in (CatalogDocument, CatalogKey)
    }
    metadata.create_all(engine)
    with engine.connect() as conn:
        tenant = conn.execute(select(Tenant.id)).scalar_one()
    stamp = HlcStamp(int(time.time() * 1000), 0, "server").encode()
    now = datetime.now(UTC)
    start = time.perf_counter()
    with engine.begin() as conn:
        for lo in range(0, rows, 1000):
            docs, keys = [], []
            for i in range(lo, min(rows, lo + 1000)):
                item_id = str(uuid7())
                fields = {
                    "sku": f"B{i:06d}", "name": f"Bench item {i}", "price_minor": 100 + i % 5000,
                    "currency": "EUR", "tax_class": "STD", "category_id": None,
                    "barcodes": [ean13(i)], "modifier_groups": [], "track_stock": True,
                    "available": True, "active": True, "tile_color": None,
                }  # fmt: skip
                body = {k: [v, stamp, None] for k, v in fields.items()}
                docs.append({"tenant_id": tenant, "entity": "cat.item", "entity_id": item_id,
                             "fields": json.dumps(body), "updated_at": now})  # fmt: skip
                keys.append({"tenant_id": tenant, "kind": "sku", "key": fields["sku"],
                             "item_id": item_id})  # fmt: skip
                keys.append({"tenant_id": tenant, "kind": "barcode", "key": ean13(i),
                             "item_id": item_id})  # fmt: skip
            conn.execute(insert(scratch[CatalogDocument]), docs)
            conn.execute(insert(scratch[CatalogKey]), keys)
    rate = rows / (time.perf_counter() - start)
    metadata.drop_all(engine)
    return rate


def timed(
    http: httpx.Client, path: str, body: bytes, headers: dict[str, str]
) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    r = http.post(path, content=body, headers={**headers, "Content-Type": "text/csv"})
    elapsed = time.perf_counter() - start
    r.raise_for_status()
    return elapsed, r.json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--database-url", default=None, help="default: a temp SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+pysqlite:///{Path(tmp) / 'server.db'}"
        upgrade_server(url)
        mailer = MemoryMailSender()
        base, server, thread = serve(url, mailer)
        try:
            with httpx.Client(base_url=base, timeout=600) as http:
                headers = owner_headers(http, url, mailer)
                body = csv_file(args.rows)
                print(f"{args.rows} rows, {len(body) / 1e6:.1f} MB, on {url.split(':')[0]}")
                seconds, plan = timed(http, "/v1/catalog/import/preview", body, headers)
                print(f"preview:   {seconds:6.2f} s  {args.rows / seconds:8.0f} rows/s  {plan}")
                seconds, plan = timed(http, "/v1/catalog/import", body, headers)
                applied = args.rows / seconds
                print(f"apply:     {seconds:6.2f} s  {applied:8.0f} rows/s  {plan}")
                seconds, plan = timed(http, "/v1/catalog/import", body, headers)
                print(f"re-import: {seconds:6.2f} s  {args.rows / seconds:8.0f} rows/s  {plan}")
                raised = csv_file(args.rows, raised_every=10)
                seconds, plan = timed(http, "/v1/catalog/import", raised, headers)
                changes = int(str(plan["change"]))
                print(f"1 in 10 prices changed: {seconds:6.2f} s  {changes} changes  "
                      f"{args.rows / seconds:8.0f} rows/s (all rows read)")  # fmt: skip
        finally:
            server.should_exit = True
            thread.join()
        engine = make_engine(url)
        raw = raw_insert_baseline(engine, args.rows)
        engine.dispose()
        print(f"raw multi-row INSERT (documents + keys): {raw:8.0f} rows/s "
              f"(apply is {raw / applied:.1f}x slower)")  # fmt: skip


if __name__ == "__main__":
    main()
