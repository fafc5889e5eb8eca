"""The back office's business set-up (Qt-free): locations, tax presets and classes, selling
rules — all on the server, so each call first asks `rules` whether it may run now.

Inputs are checked here, at the edge, with the field they belong to (`details.field`), so the
view can put the words next to the field; the server checks them again.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.net.http import ServerUnreachable
from desktop.office import rules
from desktop.office.client import OfficeClient
from desktop.office.models import (
    Location,
    ReceiptProfile,
    SellingRules,
    TaxClass,
    TaxPreset,
    Till,
)
from desktop.office.session import OfficeSession
from desktop.office.staff_models import StaffMember
from shared.currency import check_currency, minor_units
from shared.errors import AuthnError, AuthzError, NovaError, ValidationFailed
from shared.money import Money, RoundingMode
from shared.tax import TaxRounding

LOCATION_CODE = re.compile(r"^[A-Za-z0-9-]{1,16}$")
MAX_ADDRESS_LINES = 4
MAX_ADDRESS_LINE = 120
CASH_ROUNDING_STEPS = (1, 5, 10)  # minor units: 0.01, 0.05, 0.10
ROUNDING_TITLES = {
    RoundingMode.HALF_UP.value: "Half up (2.345 → 2.35)",
    RoundingMode.HALF_EVEN.value: "Half to even (2.345 → 2.34)",
}


def field_of(error: NovaError) -> str | None:
    """The input field an error is about: ours and the server's `details.field`, or the last
    part of the first payload-validation location (`["body", "timezone"]` → "timezone")."""
    field = error.details.get("field")
    if isinstance(field, str):
        return field
    errors = error.details.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        loc = errors[0].get("loc") or []
        if loc:
            return str(loc[-1])
    return None


def plain(error: NovaError) -> str:
    """An error's words for a shop owner: the server's first field message without the
    framework's prefix ("Value error, …"), as a sentence."""
    errors = error.details.get("errors")
    message = error.message
    if isinstance(errors, list) and errors and isinstance(errors[0], dict) and errors[0].get("msg"):
        message = str(errors[0]["msg"]).removeprefix("Value error, ")
    return message[:1].upper() + message[1:]


@dataclass(frozen=True)
class Overview:
    """Everything the business set-up screen shows, read in one go after sign-in."""

    locations: list[Location]
    presets: list[TaxPreset]
    classes: list[TaxClass]
    rules: SellingRules | None  # None: this account may not read them
    tills: list[Till] | None = None  # None: this account may not manage tills
    profile: ReceiptProfile | None = None  # what receipts print (None: not read)
    staff: list[StaffMember] | None = None  # None: this account may not manage staff


class ConfigDesk:
    def __init__(self, session: OfficeSession) -> None:
        self.session = session

    def overview(self) -> Overview:
        """Raises what `_read` raises; a part this account may not read comes back empty."""
        self._read()

        def read(client: OfficeClient) -> Overview:
            rules_now: SellingRules | None
            try:
                rules_now = client.selling_rules()
            except AuthzError:
                rules_now = None
            tills: list[Till] | None = None
            if self.session.why_not("tills.manage") is None:
                tills = client.devices()
            staff: list[StaffMember] | None = None
            if self.session.why_not("staff.manage") is None:
                staff = client.staff()
            return Overview(client.locations(), client.tax_presets(), client.tax_classes(),
                            rules_now, tills, client.receipt_profile(), staff)  # fmt: skip

        return self.session.call(read)

    # ------------------------------------------------------------------ guard
    def why_not(self, operation_id: str) -> str | None:
        return self.session.why_not(operation_id)

    def guard(self, operation_id: str) -> None:
        reason = self.session.why_not(operation_id)
        if reason is None:
            return
        if reason in (rules.OFFLINE, rules.NOT_CONNECTED):
            raise ServerUnreachable(reason)
        if reason == rules.SIGN_IN:
            raise AuthnError(reason)
        raise AuthzError(reason)

    def _read(self) -> None:
        """Reads need the server and a signed-in account, but no particular permission."""
        if not self.session.connected:
            raise ServerUnreachable(rules.NOT_CONNECTED)
        if not self.session.online:
            raise ServerUnreachable(rules.OFFLINE)
        if not self.session.signed_in:
            raise AuthnError(rules.SIGN_IN)

    @property
    def currency(self) -> str:
        user = self.session.user
        if user is None:
            raise AuthnError(rules.SIGN_IN)
        return user.currency

    # ------------------------------------------------------------------ locations
    def locations(self) -> list[Location]:
        self._read()
        return self.session.call(lambda c: c.locations())

    def create_location(
        self, *, code: str, name: str, address: str, timezone: str, currency: str = ""
    ) -> Location:
        """Raises ValidationFailed naming the field (code, name, address_lines, timezone,
        currency), Conflict (code taken), or what `guard` raises. An empty time zone or
        currency is the business's."""
        self.guard("locations.edit")
        code = code.strip().upper()
        if not LOCATION_CODE.fullmatch(code):
            raise ValidationFailed(
                "A short code of letters, digits or '-', e.g. BERLIN-1", details={"field": "code"}
            )
        fields = _location_fields(name, address, timezone, currency)
        return self.session.call(lambda c: c.create_location(code=code, **fields))

    def update_location(
        self, location_id: uuid.UUID, *, name: str, address: str, timezone: str,
        currency: str = "",
    ) -> Location:  # fmt: skip
        """Raises as `create_location`, and Conflict (field currency) for a new currency at a
        location where a till is enrolled."""
        self.guard("locations.edit")
        fields = _location_fields(name, address, timezone, currency)
        return self.session.call(lambda c: c.update_location(location_id, **fields))

    # ------------------------------------------------------------------ taxes
    def presets(self) -> list[TaxPreset]:
        self._read()
        return self.session.call(lambda c: c.tax_presets())

    def tax_classes(self) -> list[TaxClass]:
        self._read()
        return self.session.call(lambda c: c.tax_classes())

    def apply_preset(
        self, country: str, *, rate_percent: str = "", location: str | None = None
    ) -> list[TaxClass]:
        """Write the preset's classes (and its prices incl./excl. tax) — or, with `location`
        (a code), that location's rates of them; returns the classes now on the server. A
        US-style preset needs the local sales-tax rate."""
        self.guard("taxes.apply_preset")
        rate = None
        if rate_percent.strip() or country == "US":
            rate = parse_percent(rate_percent, field="rate_percent")
        self.session.call(lambda c: c.apply_preset(country, rate_percent=rate, location=location))
        return self.session.call(lambda c: c.tax_classes())

    def save_rates(
        self, code: str, percents: dict[str, str], *, location: str | None = None
    ) -> TaxClass:
        """New percents for a class's rates, by rate code — the class's own, or with
        `location` (a code) that location's. Sales already made keep the rates they were made
        with (each sale stores its per-rate taxes)."""
        self.guard("taxes.edit_rates")
        rates = [(rate, parse_percent(text, field=rate)) for rate, text in percents.items()]
        if location is not None:
            return self.session.call(lambda c: c.save_location_rates(code, location, rates))
        return self.session.call(lambda c: c.save_tax_class(code, rates))

    def use_class_rates(self, code: str, location: str) -> TaxClass:
        """The location goes back to the class's own rates."""
        self.guard("taxes.edit_rates")
        return self.session.call(lambda c: c.clear_location_rates(code, location))

    # ------------------------------------------------------------------ selling rules
    def selling_rules(self) -> SellingRules:
        self._read()
        return self.session.call(lambda c: c.selling_rules())

    def save_selling_rules(
        self,
        current: SellingRules,
        *,
        prices_include_tax: bool,
        cash_rounding_minor: int,
        max_change: str,
        rounding: str,
        tax_rounding: str | None = None,
    ) -> SellingRules:
        """Raises ValidationFailed naming the field (cash_rounding_minor, max_change,
        rounding), or what `guard` raises."""
        self.guard("selling.edit")
        if cash_rounding_minor not in CASH_ROUNDING_STEPS:
            raise ValidationFailed(
                "Round cash to 0.01, 0.05 or 0.10", details={"field": "cash_rounding_minor"}
            )
        if rounding not in ROUNDING_TITLES:
            raise ValidationFailed("Choose how amounts are rounded", details={"field": "rounding"})
        if tax_rounding is not None and tax_rounding not in {t.value for t in TaxRounding}:
            raise ValidationFailed("Choose how tax is rounded", details={"field": "tax_rounding"})
        limit = self._money(max_change, field="max_change")
        rules_now = replace(
            current,
            prices_include_tax=prices_include_tax,
            cash_rounding_minor=cash_rounding_minor,
            max_change_minor=limit.minor_units,
            rounding=rounding,
            tax_rounding=tax_rounding or current.tax_rounding,
        )
        return self.session.call(lambda c: c.save_selling_rules(rules_now))

    def format_minor(self, minor: int) -> str:
        return str(Money.from_minor(minor, self.currency).amount)

    def _money(self, text: str, *, field: str) -> Money:
        raw = text.strip().replace(",", ".")
        places = minor_units(self.currency)
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or value < 0 or value.as_tuple().exponent < -places:  # type: ignore[operator]
            raise ValidationFailed(
                f"An amount such as 500 or 500.00 in {self.currency}", details={"field": field}
            )
        if value > 1_000_000:
            raise ValidationFailed("At most 1,000,000", details={"field": field})
        return Money(value, self.currency)


def parse_percent(text: str, *, field: str) -> Decimal:
    """A tax percent such as 19, 5.5 or 8.875 (from 0 up to, not including, 100; at most 4
    decimals — the server's rule)."""
    raw = text.strip().replace(",", ".").removesuffix("%").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal(-1)
    exponent: Any = value.as_tuple().exponent
    if not value.is_finite() or not 0 <= value < 100 or exponent < -4:
        raise ValidationFailed(
            "A percent from 0 up to 100, such as 19 or 8.875", details={"field": field}
        )
    return value


def _location_fields(name: str, address: str, timezone: str, currency: str) -> dict[str, Any]:
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed("Give the location a name", details={"field": "name"})
    if len(name) > 120:
        raise ValidationFailed("At most 120 characters", details={"field": "name"})
    lines = [" ".join(line.split()) for line in address.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_ADDRESS_LINES or any(len(x) > MAX_ADDRESS_LINE for x in lines):
        raise ValidationFailed(
            f"At most {MAX_ADDRESS_LINES} lines of {MAX_ADDRESS_LINE} characters",
            details={"field": "address_lines"},
        )
    zone = timezone.strip() or None
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationFailed(
                "A time zone such as Europe/Berlin (or empty for the business's)",
                details={"field": "timezone"},
            ) from None
    money = currency.strip().upper() or None
    if money is not None:
        try:
            check_currency(money)
        except ValidationFailed:
            raise ValidationFailed(
                "A currency code such as EUR or GBP (or empty for the business's)",
                details={"field": "currency"},
            ) from None
    return {"name": name, "address_lines": lines, "timezone": zone, "currency": money}


def who_is_at(location: Location, overview: Overview | None) -> str:
    """Which tills and staff belong to `location`, in one line a manager reads at a glance
    (staff with a role at every location are counted everywhere). Empty for what this account
    may not see."""
    if overview is None:
        return ""
    parts = []
    if overview.tills is not None:
        here = sorted(t.name for t in overview.tills if t.location_id == location.id and t.active)
        parts.append(f"Tills here: {', '.join(here)}" if here else "No till here yet")
    if overview.staff is not None:
        mine, everywhere = [], []
        for person in sorted(overview.staff, key=lambda p: p.name.lower()):
            places = {a.location_id for a in person.roles}
            if not person.active:
                continue
            if None in places:
                everywhere.append(person.name)
            elif location.id in places:
                mine.append(person.name)
        staff = f"Staff here: {', '.join(mine)}" if mine else "No staff of this shop alone"
        if everywhere:
            staff += f"; at every location: {', '.join(everywhere)}"
        parts.append(staff)
    return " · ".join(parts)
