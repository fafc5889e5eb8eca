"""`nova seed tenant` from start to end: the server half, then the till half, each re-runnable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.outbox.service import pending_count
from desktop.sync.engine import load_state
from nova.seed.api import Api
from nova.seed.tenant import Progress, SeedOptions, set_up_business, sign_in_owner
from nova.seed.till import Till, enroll, receive_opening_stock, sell, sync
from shared.errors import Conflict

# Why `enroll` refuses a till database that is not the seed's to take.
FOREIGN = {"other_business", "till_has_data"}


@dataclass(frozen=True)
class Seeded:
    tenant_id: str
    done: tuple[str, ...]  # empty: the run found everything in place
    till_in_tenant: bool = True  # False: the till belongs to another business, left alone

    @property
    def nothing_to_do(self) -> bool:
        return not self.done


def seed_tenant(
    opts: SeedOptions,
    *,
    say: Callable[[str], None] = print,
    leave_foreign_till: bool = False,
) -> Seeded:
    """Build the business, its till and its first sale; do only what is missing.

    Args:
        leave_foreign_till: a till database enrolled with another business, or one holding
            data of its own (a till-only demo), is left as it is instead of refused (`nova
            start` on a till someone enrolled into their real shop).

    Raises:
        NovaError: the first step the server or the till refused, with its message.
    """
    progress = Progress(say)
    api = Api(opts.server_url)
    till = Till.open(opts.till_database)
    try:
        tenant_id = sign_in_owner(api, opts, progress)
        tenant = set_up_business(api, tenant_id, progress)
        try:
            enroll(api, till, opts, tenant, progress)
        except Conflict as exc:
            if leave_foreign_till and exc.details.get("reason") in FOREIGN:
                return Seeded(tenant_id, tuple(progress.done), till_in_tenant=False)
            raise
        state = till.runner.read(load_state)
        never_synced = state is None or state.last_success_at is None
        if progress.done or never_synced or till.runner.read(pending_count):
            # What the server half wrote reaches the till only by sync.
            sync(till, progress, "configuration, menu and staff")
        before = len(progress.done)
        receive_opening_stock(till, progress)
        sell(till, progress)
        if len(progress.done) > before:
            sync(till, progress, "opening stock and the sale")
    finally:
        till.close()
        api.close()
    return Seeded(tenant_id, tuple(progress.done))
