"""Enroll this terminal with a sync server and build the sync engine from what it stored."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from desktop.setup.demo_mode import refuse_if_demo
from desktop.sync.client import SyncClient, enroll
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import NotEnrolled, SyncEngine, load_state, save_enrollment
from desktop.till.runner import Runner


def enroll_terminal(
    runner: Runner,
    store: CredentialStore,
    *,
    server_url: str,
    code: str,
    name: str,
    transport: httpx.BaseTransport | None = None,
) -> str:
    """Trade the manager's one-time code for a credential; returns where the secret is kept.

    Re-enrolling keeps the outbox and the progress marks: nothing unsynced is ever discarded.
    A demo till is refused (Conflict) until its demo data is wiped: it must never reach a tenant.
    """
    runner.read(refuse_if_demo)
    device_id, secret, tenant_id = enroll(server_url, code, name, transport=transport)
    where = store.save(device_id, secret)
    runner.run(
        lambda uow: save_enrollment(
            uow, server_url=server_url, device_id=device_id, tenant_id=tenant_id
        )
    )
    return where


def build_engine(
    runner: Runner,
    store: CredentialStore,
    *,
    transport: httpx.BaseTransport | None = None,
    progress: Callable[[float], None] | None = None,
    batch: int = 500,
) -> SyncEngine:
    state = runner.read(load_state)
    if state is None:
        raise NotEnrolled("this terminal is not enrolled with a sync server: nova sync enroll")
    secret = store.load(str(state.device_id))
    if secret is None:
        raise NotEnrolled("the device credential is missing: enroll this terminal again")
    client = SyncClient(state.server_url, str(state.device_id), secret, transport=transport)
    return SyncEngine(runner, client, progress=progress, batch=batch)
