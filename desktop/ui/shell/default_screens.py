"""The screens the shell offers today. Each later issue swaps its placeholder for the real one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.ui.components.primitives import Card
from desktop.ui.shell.registry import Mode, ScreenEntry, ScreenRegistry
from desktop.ui.theme import space
from shared.permissions import Module, Permission


def placeholder(title: str, what_comes: str) -> Callable[[], QWidget]:
    """A page holding one card that says what this screen will do."""

    def build() -> QWidget:
        page = QWidget()
        page.setProperty("role", "page")
        page.setAccessibleName(title)
        layout = QVBoxLayout(page)
        pad = space("xl")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.addWidget(Card(title, what_comes))
        layout.addStretch(1)
        return page

    return build


def default_registry() -> ScreenRegistry:
    t, b = Mode.TERMINAL, Mode.BACK_OFFICE
    return ScreenRegistry(
        [
            ScreenEntry(
                "sell",
                "Sell",
                t,
                Permission.POS_SELL,
                placeholder("Sell", "Product grid, scan box, cart and tender."),
            ),
            ScreenEntry(
                "refunds",
                "Refunds",
                t,
                Permission.POS_REFUND,
                placeholder("Refunds", "Find a receipt, pick lines, refund."),
            ),
            ScreenEntry(
                "shift",
                "Shift & cash",
                t,
                Permission.SHIFT_CLOSE,
                placeholder("Shift & cash", "Open, paid-in/out, X and Z reports."),
            ),
            ScreenEntry(
                "catalog",
                "Catalog",
                b,
                Permission.CATALOG_EDIT,
                placeholder("Catalog", "Items, categories, modifiers and prices."),
            ),
            ScreenEntry(
                "inventory",
                "Inventory",
                b,
                Permission.INVENTORY_VIEW,
                placeholder("Inventory", "Stock levels, adjustments and counts."),
                module=Module.INVENTORY,
            ),
            ScreenEntry(
                "loyalty",
                "Loyalty",
                b,
                Permission.LOYALTY_VIEW,
                placeholder("Loyalty", "Customers, points and the program."),
                module=Module.LOYALTY,
            ),
            ScreenEntry(
                "reports",
                "Reports",
                b,
                Permission.REPORTS_VIEW,
                placeholder("Reports", "Sales by day, tender, tax and cashier."),
                module=Module.REPORTS,
            ),
            ScreenEntry(
                "staff",
                "Staff & roles",
                b,
                Permission.STAFF_MANAGE,
                placeholder("Staff & roles", "Users, PINs and permissions."),
            ),
            ScreenEntry(
                "locations",
                "Locations",
                b,
                Permission.LOCATIONS_MANAGE,
                placeholder("Locations", "Shops, tills and their settings."),
            ),
            ScreenEntry(
                "devices",
                "Devices",
                b,
                Permission.DEVICES_MANAGE,
                placeholder("Devices", "Printers, drawers, card terminals, scanners."),
            ),
        ]
    )
