"""Enroll this terminal with a sync server and build the sync engine from what it stored."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from desktop.db.uow import UnitOfWork
from desktop.setup.demo_mode import refuse_if_demo
from desktop.sync.client import SyncClient, enroll
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import NotEnrolled, SyncEngine, load_state, save_enrollment
from desktop.sync.till_config import remember_enrollment
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
    The terminal code the server assigned and the location are kept; the till is configured for
    selling when the business's selling rules arrive with the first pull
    (`desktop.sync.till_config`). A demo till is refused (Conflict) until its demo data is
    wiped: it must never reach a tenant.
    """
    runner.read(refuse_if_demo)
    answer = enroll(server_url, code, name, transport=transport)
    where = store.save(answer.device_id, answer.secret)

    def keep(uow: UnitOfWork) -> None:
        save_enrollment(
            uow, server_url=server_url, device_id=answer.device_id, tenant_id=answer.tenant_id
        )
        remember_enrollment(
            uow, terminal_code=answer.terminal_code, location=answer.location, till_name=name
        )

    runner.run(keep)
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
