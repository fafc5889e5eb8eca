"""Every permission in plain words, grouped by the area of the shop it is about: what the Staff &
roles window shows a manager building a role (docs/identity.md has the same table)."""

from __future__ import annotations

from shared.permissions import Permission

AREAS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Selling", (
        (Permission.POS_SELL, "Sell: take payment, park and resume tickets"),
        (Permission.POS_REFUND, "Refund a sale without asking a manager"),
        (Permission.POS_DISCOUNT, "Give line and ticket discounts"),
        (Permission.POS_VOID, "Void a line"),
        (Permission.POS_PRICE_CHANGE, "Change a price at the till (with a reason)"),
        (Permission.POS_OVER_TENDER, "Give more cash change than the till's limit"),
    )),
    ("Cash and shifts", (
        (Permission.DRAWER_NO_SALE, "Open the drawer without a sale"),
        (Permission.SHIFT_OPEN, "Open a shift, pay in and out, count and close their own shift"),
        (Permission.SHIFT_CLOSE, "X reports, close anyone's shift, Z history"),
    )),
    ("Catalog and stock", (
        (Permission.CATALOG_EDIT, "Edit items, prices, categories and modifiers"),
        (Permission.INVENTORY_VIEW, "See stock levels and their history"),
        (Permission.INVENTORY_ADJUST, "Adjust and transfer stock"),
        (Permission.INVENTORY_COUNT, "Count stock"),
    )),
    ("Customers", (
        (Permission.LOYALTY_VIEW, "See customers and their points"),
        (Permission.LOYALTY_REDEEM, "Let customers pay with points"),
        (Permission.LOYALTY_ADJUST, "Correct a points balance by hand"),
    )),
    ("Running the business", (
        (Permission.REPORTS_VIEW, "See sales, tax and staff reports"),
        (Permission.STAFF_MANAGE, "Manage staff, PINs and roles"),
        (Permission.LOCATIONS_MANAGE, "Open and edit locations"),
        (Permission.DEVICES_MANAGE, "Set up tills, printers and drawers"),
        (Permission.SETTINGS_MANAGE, "Business settings, taxes and selling rules"),
        (Permission.AUDIT_VIEW, "Read the audit trail"),
        (Permission.SYNC_REVIEW, "Sort out sync conflicts"),
    )),
)  # fmt: skip

DESCRIPTIONS: dict[str, str] = {p: words for _, perms in AREAS for p, words in perms}
