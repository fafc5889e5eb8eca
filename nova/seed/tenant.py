"""The server half of `nova seed tenant`: a business from registration to its menu and staff.

Every step goes through the public HTTP API, the way a new shop owner and the operator would,
and first looks whether its result is already there: a second run finds everything, writes
nothing and says so. The till half (enrollment, first sync, the sale) is `nova/seed/till.py`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from nova.seed import demo
from nova.seed.api import Api
from nova.seed.mailbox import activation_token
from shared.errors import AuthnError, Conflict
from shared.ids import uuid7


@dataclass(frozen=True)
class SeedOptions:
    """Who and where; the defaults are the demo business `nova start` shows."""

    server_url: str
    till_database: Path
    mail_dir: Path
    business_name: str = demo.DEMO_BUSINESS
    owner_name: str = demo.DEMO_OWNER_NAME
    owner_email: str = demo.DEMO_OWNER_EMAIL
    owner_password: str = demo.DEMO_OWNER_PASSWORD
    superadmin_email: str = demo.DEMO_SUPERADMIN_EMAIL
    superadmin_password: str = demo.DEMO_SUPERADMIN_PASSWORD
    till_name: str = demo.TILL_NAME

    @property
    def session_file(self) -> Path:
        """Where the owner's session is kept between runs (next to the till database)."""
        return self.till_database.parent / "seed-session.json"


@dataclass
class Progress:
    """What a run did, told as it happens; empty at the end means "nothing to do"."""

    say: Callable[[str], None] = print
    done: list[str] = field(default_factory=list)

    def did(self, what: str) -> None:
        self.done.append(what)
        self.say(f"  {what}")


@dataclass(frozen=True)
class Tenant:
    """What the till half needs from the server half."""

    tenant_id: str
    location_id: str


# ---------------------------------------------------------------- the owner's session


def _load_session(opts: SeedOptions) -> dict[str, str] | None:
    try:
        saved: dict[str, str] = json.loads(opts.session_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    same = (
        saved.get("server_url") == opts.server_url.rstrip("/")
        and saved.get("email") == opts.owner_email.lower()
    )
    return saved if same and saved.get("token") and saved.get("tenant_id") else None


def _save_session(opts: SeedOptions, token: str, tenant_id: str) -> None:
    """Kept so that a second run needs no new sign-in (a sign-in is a session row and an
    audit event); owner-only file, like the till's credential fallback."""
    opts.session_file.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "server_url": opts.server_url.rstrip("/"),
        "email": opts.owner_email.lower(),
        "token": token,
        "tenant_id": tenant_id,
    }
    fd = os.open(opts.session_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(body, out)


def _login(api: Api, email: str, password: str) -> dict[str, Any]:
    signed: dict[str, Any] = api.post("/v1/auth/login", {"email": email, "password": password})
    api.token = signed["token"]
    return signed


def sign_in_owner(api: Api, opts: SeedOptions, progress: Progress) -> str:
    """Leave `api` signed in as the owner, onboarding the business first if needed.

    Returns:
        The tenant id.
    """
    saved = _load_session(opts)
    if saved is not None:
        api.token = saved["token"]
        try:
            api.get("/v1/locations")
            return saved["tenant_id"]
        except AuthnError:
            api.token = None  # expired or signed out: sign in again below
    try:
        signed = _login(api, opts.owner_email, opts.owner_password)
    except AuthnError as exc:
        onboard(api, opts, progress, invited="not active yet" in exc.message)
        try:
            signed = _login(api, opts.owner_email, opts.owner_password)
        except AuthnError as again:
            raise AuthnError(
                f"the owner {opts.owner_email} cannot sign in: {again.message} "
                "(is the owner password the one this business registered with?)"
            ) from again
    progress.did(f"signed in as the owner {opts.owner_email}")
    tenant_id = str(signed["user"]["tenant_id"])
    _save_session(opts, signed["token"], tenant_id)
    return tenant_id


def onboard(api: Api, opts: SeedOptions, progress: Progress, *, invited: bool) -> None:
    """Register → the superadmin approves → the owner activates from the e-mailed link."""
    if not invited:
        try:
            api.post(
                "/v1/auth/register",
                {
                    "business_name": opts.business_name,
                    "owner_name": opts.owner_name,
                    "email": opts.owner_email,
                    "password": opts.owner_password,
                    "country": demo.COUNTRY,
                    "currency": demo.CURRENCY,
                    "timezone": demo.TIMEZONE,
                },
            )
            progress.did(f"registered {opts.business_name} ({opts.owner_email})")
        except Conflict as exc:
            if exc.details.get("field") != "email":
                raise  # the business name is taken by another e-mail: say so as it is
    admin = Api(opts.server_url)
    try:
        try:
            _login(admin, opts.superadmin_email, opts.superadmin_password)
        except AuthnError as exc:
            raise AuthnError(
                f"the superadmin {opts.superadmin_email} cannot sign in: {exc.message} "
                "(create one with `nova admin create-superadmin`)"
            ) from exc
        _approve(admin, opts, progress)
    finally:
        admin.close()
    try:
        api.post("/v1/auth/activate", {"token": activation_token(opts.mail_dir, opts.owner_email)})
        progress.did(f"activated {opts.owner_email} from the e-mailed link")
    except AuthnError:
        pass  # used already: the sign-in that follows tells whether the password is right


def _approve(admin: Api, opts: SeedOptions, progress: Progress) -> None:
    email = opts.owner_email.lower()
    for status in ("pending", "approved", "rejected"):
        mine = [
            r
            for r in admin.get("/v1/superadmin/registrations", status=status)
            if r["email"].lower() == email
        ]
        if not mine:
            continue
        if status == "pending":
            admin.post(
                f"/v1/superadmin/registrations/{mine[0]['id']}/decision", {"decision": "approve"}
            )
            progress.did(f"approved by the superadmin {opts.superadmin_email}")
        elif status == "rejected":
            raise Conflict(
                f"the registration of {opts.owner_email} was rejected: "
                f"{mine[0].get('decision_reason') or 'no reason given'}"
            )
        return
    raise Conflict(f"the server has no registration for {opts.owner_email}")


# ---------------------------------------------------------------- the business's set-up


def set_up_business(api: Api, tenant_id: str, progress: Progress) -> Tenant:
    """Location address, DE taxes, menu and staff; each only when it is not there yet."""
    location = _main_location(api, progress)
    _taxes(api, progress)
    categories = _categories(api, progress)
    milk = _milk(api, progress)
    _items(api, categories, milk, progress)
    _staff(api, progress)
    return Tenant(tenant_id, location)


def _main_location(api: Api, progress: Progress) -> str:
    locations = api.get("/v1/locations")
    main = next((loc for loc in locations if loc["code"] == "MAIN"), locations[0])
    if list(main.get("address_lines") or []) != list(demo.ADDRESS_LINES):
        api.patch(f"/v1/locations/{main['id']}", {"address_lines": list(demo.ADDRESS_LINES)})
        progress.did(f"address of {main['name']}: {', '.join(demo.ADDRESS_LINES)}")
    return str(main["id"])


def _rates(classes: list[dict[str, Any]]) -> dict[str, set[tuple[str, Decimal]]]:
    return {c["code"]: {(r["code"], Decimal(r["percent"])) for r in c["rates"]} for c in classes}


def _taxes(api: Api, progress: Progress) -> None:
    preset = next(p for p in api.get("/v1/tax/presets") if p["country"] == demo.COUNTRY)
    have = _rates(api.get("/v1/catalog/tax-classes"))
    want = _rates(preset["classes"])
    rules = api.get("/v1/selling-rules")
    if any(have.get(code) != rates for code, rates in want.items()) or (
        rules["prices_include_tax"] != preset["prices_include_tax"]
    ):
        api.post(f"/v1/tax/presets/{demo.COUNTRY}/apply")
        progress.did(f"tax preset {preset['name']} applied")


def _categories(api: Api, progress: Progress) -> dict[str, str]:
    have = {c["name"]: str(c["id"]) for c in api.get("/v1/catalog/categories")}
    for position, name in enumerate(demo.CATEGORIES):
        if name not in have:
            made = api.post(
                "/v1/catalog/categories", {"id": str(uuid7()), "name": name, "position": position}
            )
            have[name] = str(made["id"])
            progress.did(f"category {name}")
    return have


def _milk(api: Api, progress: Progress) -> str:
    for group in api.get("/v1/catalog/modifier-groups"):
        if group["name"] == demo.MILK:
            return str(group["id"])
    made = api.post(
        "/v1/catalog/modifier-groups",
        {
            "id": str(uuid7()),
            "name": demo.MILK,
            "min_choices": 0,
            "max_choices": 1,
            "modifiers": [{"name": n, "price_delta": d} for n, d in demo.MILK_CHOICES],
        },
    )
    choices = ", ".join(f"{n} +{d}" for n, d in demo.MILK_CHOICES)
    progress.did(f"modifier group {demo.MILK} ({choices})")
    return str(made["id"])


def _items(api: Api, categories: dict[str, str], milk: str, progress: Progress) -> None:
    have = {i["sku"] for i in api.get("/v1/catalog/items")}
    for item in demo.MENU:
        if item.sku in have:
            continue
        api.post(
            "/v1/catalog/items",
            {
                "id": str(uuid7()),
                "sku": item.sku,
                "name": item.name,
                "price": item.price,
                "tax_class": item.tax_class,
                "category_id": categories[item.category],
                "barcodes": [item.barcode],
                "modifier_group_ids": [milk] if item.milk else [],
                "track_stock": item.track_stock,
            },
        )
        progress.did(f"item {item.name} {item.price} ({item.tax_class})")


def _staff(api: Api, progress: Progress) -> None:
    roles = {r["name"]: str(r["id"]) for r in api.get("/v1/roles")}
    codes = {s["code"] for s in api.get("/v1/staff")}
    for person in demo.STAFF:
        if person.code in codes:
            continue
        api.post(
            "/v1/staff",
            {
                "name": person.name,
                "code": person.code,
                "pin": person.pin,
                "roles": [{"role_id": roles[person.role]}],
            },
        )
        progress.did(f"{person.role} {person.name}: code {person.code}, PIN {person.pin}")
