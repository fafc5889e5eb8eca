"""The screens of the terminal app and what each needs: the shell and the server's
preview-as-role both read this list, so the preview shows exactly what the app will."""

from __future__ import annotations

from dataclasses import dataclass

from shared.permissions import Module, Permission


@dataclass(frozen=True)
class Screen:
    id: str
    title: str
    mode: str  # "terminal" or "back_office"
    permission: str
    module: str | None = None  # None: core till, never switched off
    summary: str = ""


SCREENS: tuple[Screen, ...] = (
    Screen("sell", "Sell", "terminal", Permission.POS_SELL, None,
           "Product grid, scan box, cart and tender."),
    # Every cashier opens Refunds; without pos.refund a manager approves each refund there.
    Screen("refunds", "Refunds", "terminal", Permission.POS_SELL, None,
           "Find a receipt, pick lines, refund."),
    # A cashier opens the shift and moves cash; the count, close and Z need shift.close.
    Screen("shift", "Shift & cash", "terminal", Permission.SHIFT_OPEN, None,
           "Open, paid-in/out, cash drops, X and Z reports."),
    Screen("catalog", "Catalog", "back_office", Permission.CATALOG_EDIT, None,
           "Items, categories, modifiers and prices."),
    Screen("inventory", "Inventory", "back_office", Permission.INVENTORY_VIEW, Module.INVENTORY,
           "Stock levels, adjustments and counts."),
    Screen("loyalty", "Loyalty", "back_office", Permission.LOYALTY_VIEW, Module.LOYALTY,
           "Customers, points and the program."),
    Screen("reports", "Reports", "back_office", Permission.REPORTS_VIEW, Module.REPORTS,
           "Sales by day, tender, tax and cashier."),
    # Past sales are a manager's reading (reports.view), not switched off with the reports module.
    Screen("journal", "Sales journal", "back_office", Permission.REPORTS_VIEW, None,
           "Past sales of this till and location: search, detail, reprint, refund."),
    Screen("staff", "Staff & roles", "back_office", Permission.STAFF_MANAGE, None,
           "Users, PINs and permissions."),
    Screen("business", "Business setup", "back_office", Permission.SETTINGS_MANAGE, None,
           "Locations, taxes and selling rules (on the server: sign in with your e-mail)."),
    Screen("devices", "Devices", "back_office", Permission.DEVICES_MANAGE, None,
           "Printers, drawers, card terminals, scanners."),
    Screen("inbox", "Sync inbox", "back_office", Permission.SYNC_REVIEW, None,
           "What sync could not settle alone: conflicts and sales to look at."),
)  # fmt: skip


def visible_screens(permissions: frozenset[str], modules: frozenset[str]) -> list[Screen]:
    """The screens a holder of `permissions` sees when `modules` are enabled."""
    return [
        s
        for s in SCREENS
        if s.permission in permissions and (s.module is None or s.module in modules)
    ]
