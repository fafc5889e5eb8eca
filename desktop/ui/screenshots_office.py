"""The business set-up window for `nova screens`: signed in to a sample business whose server
answers are canned here (a picture needs no server; the tests use a real one)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from PySide6.QtCore import QCoreApplication

from desktop.office.catalog_file import ImportPlan, RowError
from desktop.office.config_desk import ConfigDesk
from desktop.office.inbox_desk import InboxDesk
from desktop.office.session import OfficeSession
from desktop.office.staff_desk import StaffDesk
from desktop.ui.backoffice.business_screen import BusinessScreen
from desktop.ui.backoffice.inbox_screen import InboxScreen
from desktop.ui.backoffice.staff_screen import StaffScreen
from shared.navigation import visible_screens
from shared.permissions import ALL_PERMISSIONS

TENANT = "0193a000-0000-7000-8000-000000000001"
LOCATION = "0193a000-0000-7000-8000-000000000002"
DE_NAME = "Germany: VAT (Umsatzsteuer), prices include tax"  # as the server names its presets
US_NAME = "United States: sales tax added at the till (your local rate), prices exclude tax"
ANSWERS: dict[tuple[str, str], Any] = {
    ("POST", "/v1/auth/login"): {"token": "sample", "expires_at": "2026-12-31T00:00:00Z",
                                 "user": {}},
    ("GET", "/v1/me"): {
        "id": "0193a000-0000-7000-8000-000000000003", "name": "Anna Müller",
        "email": "anna@cafe-mueller.example", "tenant_id": TENANT,
        "business_name": "Café Müller", "country": "DE", "currency": "EUR",
        "timezone": "Europe/Berlin", "permissions": ["locations.manage", "settings.manage",
                                                     "catalog.edit", "sync.review",
                                                     "staff.manage", "devices.manage"],
        "location_permissions": {}, "modules": [],
    },
    ("GET", "/v1/locations"): [
        {"id": LOCATION, "code": "MAIN", "name": "Café Müller", "timezone": None,
         "address_lines": ["Marktstraße 5", "10115 Berlin"]},
        {"id": "0193a000-0000-7000-8000-000000000004", "code": "HBF-2",
         "name": "Café Müller am Bahnhof", "timezone": "Europe/Berlin",
         "address_lines": ["Bahnhofplatz 1", "10557 Berlin"]},
    ],
    ("GET", "/v1/tax/presets"): [
        {"country": "DE", "name": DE_NAME, "prices_include_tax": True, "classes": [
            {"code": "STD", "rates": [{"code": "VAT19", "percent": "19"}]},
            {"code": "REDUCED", "rates": [{"code": "VAT7", "percent": "7"}]}]},
        {"country": "US", "name": US_NAME, "prices_include_tax": False,
         "classes": [{"code": "TAX", "rates": [{"code": "SALES", "percent": "0"}]},
                     {"code": "EXEMPT", "rates": []}]},
    ],
    ("GET", "/v1/catalog/tax-classes"): [
        {"code": "REDUCED", "rates": [{"code": "VAT7", "percent": "7"}]},
        {"code": "STD", "rates": [{"code": "VAT19", "percent": "19"}]},
    ],
    ("GET", "/v1/selling-rules"): {"prices_include_tax": True, "cash_rounding_minor": 5,
                                   "max_change_minor": 20000, "rounding": "half_up",
                                   "tax_rounding": "per_line"},
    ("GET", "/v1/sync/inbox"): [
        {"id": "0193a000-0000-7000-8000-00000000000a:12", "status": "needs_review",
         "kind": "ticket.refunded", "replica_id": "0193a000-0000-7000-8000-00000000000a",
         "seq": 12, "detail": "refunds 1600 exceed the sale 1000",
         "received_at": "2026-12-03T09:14:00+00:00",
         "payload": {"receipt_no": "HBF2-000031", "gross_minor": -800, "currency": "EUR"}},
        {"id": "field:0193a000-0000-7000-8000-00000000000b", "status": "field_conflict",
         "kind": "cat.item.price_minor", "replica_id": "0193a000-0000-7000-8000-00000000000a",
         "seq": 0, "detail": "concurrent", "received_at": "2026-12-03T10:02:00+00:00",
         "payload": {"entity": "cat.item", "id": "0193a000-0000-7000-8000-00000000000c",
                     "field": "price_minor", "reason": "concurrent", "mine": 360,
                     "theirs": 340, "choices": ["keep_mine", "keep_theirs", "custom"]}},
    ],
    ("GET", "/v1/sync/inbox/resolved"): [
        {"id": "0193a000-0000-7000-8000-00000000000a:9", "at": "2026-12-02T17:40:00+00:00",
         "by": "Anna Müller", "status": "needs_review", "kind": "loyalty.adjusted",
         "resolution": "adjusted", "note": "points given twice"},
    ],
}  # fmt: skip
OWNER_ROLE, CASHIER_ROLE, CLERK_ROLE = (f"0193a000-0000-7000-8000-00000000010{n}" for n in "123")
CLERK = ["catalog.edit", "inventory.count", "inventory.view", "pos.sell", "shift.open"]
ANSWERS |= {
    ("GET", "/v1/roles"): [
        {"id": CASHIER_ROLE, "name": "cashier", "permissions": [
            "inventory.count", "inventory.view", "loyalty.redeem", "loyalty.view", "pos.sell",
            "shift.open"]},
        {"id": OWNER_ROLE, "name": "owner", "permissions": sorted(ALL_PERMISSIONS)},
        {"id": CLERK_ROLE, "name": "Stock clerk", "permissions": CLERK},
    ],
    ("GET", "/v1/staff"): [
        {"id": "0193a000-0000-7000-8000-000000000201", "name": "Anna Müller", "code": "1",
         "email": "anna@cafe-mueller.example", "status": "active",
         "roles": [{"role_id": OWNER_ROLE, "location_id": None}]},
        {"id": "0193a000-0000-7000-8000-000000000202", "name": "Ben Koch", "code": "2",
         "email": None, "status": "active",
         "roles": [{"role_id": CASHIER_ROLE, "location_id": LOCATION}]},
        {"id": "0193a000-0000-7000-8000-000000000203", "name": "Ada Clerk", "code": "31",
         "email": None, "status": "active",
         "roles": [{"role_id": CLERK_ROLE, "location_id": None}]},
        {"id": "0193a000-0000-7000-8000-000000000204", "name": "Tom Left", "code": "7",
         "email": None, "status": "disabled",
         "roles": [{"role_id": CASHIER_ROLE, "location_id": LOCATION}]},
    ],
    ("GET", f"/v1/roles/{CLERK_ROLE}/preview"): {
        "role": {"id": CLERK_ROLE, "name": "Stock clerk", "permissions": CLERK},
        "navigation": [{"id": s.id, "title": s.title, "mode": s.mode}
                       for s in visible_screens(frozenset(CLERK), frozenset({"inventory"}))],
    },
}  # fmt: skip


ANSWERS |= {
    ("GET", "/v1/devices"): [
        {"id": "0193a000-0000-7000-8000-000000000301", "name": "Front counter",
         "location_id": LOCATION, "status": "active", "terminal_code": "T01",
         "last_seen_at": "2026-12-04T09:58:00+00:00"},
        {"id": "0193a000-0000-7000-8000-000000000302", "name": "Bahnhof till",
         "location_id": "0193a000-0000-7000-8000-000000000004", "status": "active",
         "terminal_code": "T02", "last_seen_at": "2026-12-01T17:12:00+00:00"},
        {"id": "0193a000-0000-7000-8000-000000000303", "name": "Old laptop",
         "location_id": LOCATION, "status": "revoked", "terminal_code": "T03",
         "last_seen_at": "2026-10-20T08:00:00+00:00"},
    ],
    ("POST", "/v1/devices/enrollment-codes"): {"code": "K7PQM-3XW9A",
                                               "expires_at": "2026-12-05T10:00:00+00:00"},
}  # fmt: skip


ANSWERS |= {
    ("GET", "/v1/business/settings"): {
        "receipt_name": "Café Müller", "address_lines": ["Marktstraße 5", "10115 Berlin"],
        "tax_id": "DE123456789", "receipt_footer": "Danke! Thank you — see you soon",
    },
}  # fmt: skip


def inbox_screen() -> InboxScreen:
    """The sync inbox signed in, a refund beyond its sale and a price two tills changed."""
    session = OfficeSession("http://sample", None, transport=httpx.MockTransport(_answer))
    session.sign_in("anna@cafe-mueller.example", "sample-password-1")
    desk = InboxDesk(ConfigDesk(session))
    screen = InboxScreen(desk, open_business=lambda: None)
    screen.runner.wait()
    QCoreApplication.processEvents()  # the read's answer reaches the screen
    screen.table.setCurrentCell(1, 0)
    return screen


def _answer(request: httpx.Request) -> httpx.Response:
    if (request.method, request.url.path) == ("GET", "/v1/business/logo"):
        from desktop.ui.screenshots import _sample_logo

        return httpx.Response(200, content=_sample_logo(), headers={"content-type": "image/png"})
    body = ANSWERS.get((request.method, request.url.path))
    if body is None:
        return httpx.Response(404, json={"error": {"code": "NOT_FOUND", "message": "no such"}})
    return httpx.Response(
        200, content=json.dumps(body), headers={"content-type": "application/json"}
    )


def business_screen(tab: int, *, offline: bool = False) -> BusinessScreen:
    """The window signed in (tab 0 locations, 1 taxes, 2 selling rules, 3 catalog file with a
    previewed file that has rows to fix, 4 tills with a code just issued, 5 the receipt with its
    logo), or — `offline` — signed out on a till that lost the network, every server change
    off with the reason."""
    session = OfficeSession("http://sample", None, transport=httpx.MockTransport(_answer))
    desk = ConfigDesk(session)
    screen = BusinessScreen(desk)
    if offline:
        session.set_online(False)
        screen.refresh_state()
    else:
        session.sign_in("anna@cafe-mueller.example", "sample-password-1")
        screen.show_overview(desk.overview())
    screen.tabs.setCurrentIndex(tab)
    if tab == 0 and not offline:
        screen.locations.table.setCurrentCell(0, 0)  # a location open for editing
    if tab == 1:
        screen.taxes.preset.setCurrentIndex(screen.taxes.preset.findData("DE"))
    if tab == 3:
        screen.catalog_file.path.set_text("/home/anna/Documents/summer-menu.csv")
        screen.catalog_file.show_plan(PREVIEW)
    if tab == 4:
        tills = screen.tills
        tills.table.setCurrentCell(0, 0)
        location = tills.locations[0]
        tills.show_code(tills.desk.issue_code(location, 24 * 60), announce=False)
    return screen


PREVIEW = ImportPlan(
    create=38, change=12, unchanged=140, refused=3, applied=False, errors_total=3,
    errors=(
        RowError(7, "price",
                 "'1,2,3' is not a price: write it like 3.40 (no thousands separators)"),
        RowError(19, "category",
                 "there is no category named 'Snacks': create it first or fix the name"),
        RowError(44, "barcodes",
                 "4006381333932 has a wrong check digit (it should end in 1): type it again"),
    ),
)  # fmt: skip


def staff_screen(tab: int) -> StaffScreen:
    """Staff & roles signed in: tab 0 the staff with one person open, tab 1 a role with its
    permissions by area and its preview."""
    session = OfficeSession("http://sample", None, transport=httpx.MockTransport(_answer))
    desk = StaffDesk(session)
    screen = StaffScreen(desk, open_counter=lambda _name, _permissions: None)  # the button shows
    session.sign_in("anna@cafe-mueller.example", "sample-password-1")
    screen.show_overview(desk.overview())
    screen.tabs.setCurrentIndex(tab)
    if tab == 0:
        screen.staff.select("2")
    else:
        screen.roles.select("Stock clerk")
        screen.roles.show_preview(desk.preview(screen.roles.all_roles[2]))
    return screen
