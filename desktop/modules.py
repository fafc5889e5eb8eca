"""Which switchable modules (inventory, loyalty, reports) this terminal's business has on.

The server owns the switches (superadmins toggle them); sync writes them here. Until the first
sync every module is on. Services of a switched-off module refuse with AUTHZ naming it; the shell
hides its screens (`shared/navigation.py`).
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from desktop.db.models import LocalMeta
from desktop.db.uow import UnitOfWork
from shared.errors import AuthzError, ValidationFailed
from shared.permissions import ALL_MODULES

PREFIX = "module."
CACHE_KEY = "modules.off"


def switched_off(uow: UnitOfWork) -> frozenset[str]:
    cached = uow.cache.get(CACHE_KEY)
    if isinstance(cached, frozenset):
        return cached
    rows = uow.conn.execute(
        select(LocalMeta.key).where(LocalMeta.key.startswith(PREFIX), LocalMeta.value == "0")
    ).scalars()
    off = frozenset(str(key).removeprefix(PREFIX) for key in rows)
    uow.cache[CACHE_KEY] = off
    return off


def enabled_modules(uow: UnitOfWork) -> frozenset[str]:
    """What the shell shows (`SessionContext.enabled_modules`)."""
    return ALL_MODULES - switched_off(uow)


def set_module(uow: UnitOfWork, module: str, *, enabled: bool) -> None:
    """Store one switch (called by sync with the server's value)."""
    if module not in ALL_MODULES:
        raise ValidationFailed(f"no module named {module}", details={"module": module})
    uow.cache.pop(CACHE_KEY, None)
    uow.conn.execute(delete(LocalMeta).where(LocalMeta.key == PREFIX + module))
    uow.conn.execute(insert(LocalMeta).values(key=PREFIX + module, value="1" if enabled else "0"))


def require_module(uow: UnitOfWork, module: str) -> None:
    if module in switched_off(uow):
        raise AuthzError(
            f"the {module} module is switched off for this business", details={"module": module}
        )
