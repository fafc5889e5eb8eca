"""Permission and module names both sides agree on (the server's roles grant these)."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    POS_SELL = "pos.sell"
    POS_REFUND = "pos.refund"
    POS_DISCOUNT = "pos.discount"
    POS_VOID = "pos.void"
    POS_OVER_TENDER = "pos.over_tender"
    POS_PRICE_CHANGE = "pos.price_change"
    DRAWER_NO_SALE = "drawer.no_sale"
    SHIFT_OPEN = "shift.open"
    SHIFT_CLOSE = "shift.close"
    CATALOG_EDIT = "catalog.edit"
    INVENTORY_VIEW = "inventory.view"
    INVENTORY_ADJUST = "inventory.adjust"
    INVENTORY_COUNT = "inventory.count"
    LOYALTY_VIEW = "loyalty.view"
    LOYALTY_REDEEM = "loyalty.redeem"
    LOYALTY_ADJUST = "loyalty.adjust"
    REPORTS_VIEW = "reports.view"
    STAFF_MANAGE = "staff.manage"
    LOCATIONS_MANAGE = "locations.manage"
    DEVICES_MANAGE = "devices.manage"
    AUDIT_VIEW = "audit.view"
    SYNC_REVIEW = "sync.review"
    SETTINGS_MANAGE = "settings.manage"


class Module(StrEnum):
    """Features a tenant can switch off; the core till (selling) is always on."""

    INVENTORY = "inventory"
    LOYALTY = "loyalty"
    REPORTS = "reports"


ALL_PERMISSIONS: frozenset[str] = frozenset(p.value for p in Permission)
ALL_MODULES: frozenset[str] = frozenset(m.value for m in Module)


_CASHIER = {
    Permission.POS_SELL, Permission.SHIFT_OPEN, Permission.LOYALTY_VIEW,
    Permission.LOYALTY_REDEEM, Permission.INVENTORY_VIEW, Permission.INVENTORY_COUNT,
}  # fmt: skip
_MANAGER = ALL_PERMISSIONS - {Permission.STAFF_MANAGE, Permission.LOCATIONS_MANAGE}

# The roles every new tenant starts with; owners may edit them afterwards.
DEFAULT_ROLES: dict[str, frozenset[str]] = {
    "owner": ALL_PERMISSIONS,
    "manager": frozenset(_MANAGER),
    "cashier": frozenset(p.value for p in _CASHIER),
}
