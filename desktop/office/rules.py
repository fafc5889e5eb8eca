"""Which back-office operations work offline and which need the server — the one table the
views, the desks and docs/back-office.md all follow.

Operations that write local rows and an outbox record (catalog, stock, this till's printers) work
offline with the staff PIN session, like selling. Operations that only the server can do
(locations, taxes, selling rules, staff and roles, tills, billing) need the server *and* an
owner or manager signed in with their e-mail: without both they are disabled with a reason,
never half-done.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.permissions import Permission

OFFLINE = "Needs the server: you are offline"
NOT_CONNECTED = "Needs the server: this till is not connected to a business yet"
SIGN_IN = "Sign in with your e-mail to change this"


class Needs(StrEnum):
    LOCAL = "local"  # through the outbox: works offline
    SERVER = "server"  # only the server can do it: online and signed in with an e-mail


@dataclass(frozen=True)
class Operation:
    id: str
    screen: str  # the screen id in shared.navigation that offers it
    title: str
    needs: Needs
    permission: str
    also: tuple[str, ...] = ()  # further permissions the server asks for the same operation


OPERATIONS: tuple[Operation, ...] = (
    Operation("catalog.edit", "catalog", "Items, categories, modifiers and prices", Needs.LOCAL,
              Permission.CATALOG_EDIT),
    Operation("inventory.adjust", "inventory", "Stock adjustments", Needs.LOCAL,
              Permission.INVENTORY_ADJUST),
    Operation("inventory.count", "inventory", "Stock counts", Needs.LOCAL,
              Permission.INVENTORY_COUNT),
    Operation("devices.printers", "devices", "This till's printers and cash drawer", Needs.LOCAL,
              Permission.DEVICES_MANAGE),
    Operation("catalog.picture", "catalog", "Items' tile pictures (the server resizes them)",
              Needs.SERVER, Permission.CATALOG_EDIT),
    Operation("locations.edit", "business", "Create and edit locations", Needs.SERVER,
              Permission.LOCATIONS_MANAGE),
    Operation("taxes.apply_preset", "business", "Apply a country's tax preset", Needs.SERVER,
              Permission.SETTINGS_MANAGE, (Permission.CATALOG_EDIT,)),
    Operation("taxes.edit_rates", "business", "Change a tax class's rates", Needs.SERVER,
              Permission.CATALOG_EDIT),
    Operation("selling.edit", "business", "Selling rules (tax in prices, cash rounding, change)",
              Needs.SERVER, Permission.SETTINGS_MANAGE),
    Operation("staff.manage", "staff", "Hire staff, PINs, disable", Needs.SERVER,
              Permission.STAFF_MANAGE),
    Operation("roles.manage", "staff", "Roles and their permissions", Needs.SERVER,
              Permission.STAFF_MANAGE),
    Operation("profile.edit", "business", "Receipt name, address, tax id, footer and logo",
              Needs.SERVER, Permission.SETTINGS_MANAGE),
    Operation("tills.manage", "business", "Enroll, move and revoke tills", Needs.SERVER,
              Permission.DEVICES_MANAGE),
    Operation("catalog.import", "business", "Import items from a CSV file", Needs.SERVER,
              Permission.CATALOG_EDIT),
    Operation("catalog.export", "business", "Export the catalog as a CSV file", Needs.SERVER,
              Permission.CATALOG_EDIT),
    Operation("sync.review", "inbox", "Resolve what sync could not settle alone", Needs.SERVER,
              Permission.SYNC_REVIEW),
    Operation("billing", "business", "Plan and invoices", Needs.SERVER,
              Permission.SETTINGS_MANAGE),
)  # fmt: skip

BY_ID: dict[str, Operation] = {op.id: op for op in OPERATIONS}


def needs_server(operation_id: str) -> bool:
    return BY_ID[operation_id].needs is Needs.SERVER


def why_not(
    operation_id: str,
    *,
    connected: bool,
    online: bool,
    signed_in: bool,
    permissions: frozenset[str] = frozenset(),
) -> str | None:
    """Why `operation_id` is unavailable now, in words for the owner; None when it may run.

    Args:
        connected: the till is enrolled with a server.
        online: the server answered the last time we asked.
        signed_in: an owner or manager is signed in with their e-mail.
        permissions: what that account holds (for every location).

    Raises:
        KeyError: an operation the table does not know (a bug: every view asks by a known id).
    """
    op = BY_ID[operation_id]
    if op.needs is Needs.LOCAL:
        return None  # the desk checks the PIN session's permission, as for selling
    if not connected:
        return NOT_CONNECTED
    if not online:
        return OFFLINE
    if not signed_in:
        return SIGN_IN
    missing = [p for p in (op.permission, *op.also) if p not in permissions]
    if missing:
        return f"Your account may not do this (it needs the {' and '.join(missing)} permission)"
    return None
