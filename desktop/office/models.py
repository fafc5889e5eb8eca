"""What the back office reads from the server, as frozen values (parsed once, at the edge)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class OfficeUser:
    """The owner or manager signed in with their e-mail, and what they hold."""

    id: uuid.UUID
    name: str
    email: str
    tenant_id: uuid.UUID
    business_name: str
    currency: str
    timezone: str
    permissions: frozenset[str]  # for every location
    location_permissions: dict[uuid.UUID, frozenset[str]]

    @classmethod
    def parse(cls, me: dict[str, Any]) -> OfficeUser:
        return cls(
            id=uuid.UUID(me["id"]),
            name=str(me["name"]),
            email=str(me.get("email") or ""),
            tenant_id=uuid.UUID(me["tenant_id"]),
            business_name=str(me["business_name"]),
            currency=str(me["currency"]),
            timezone=str(me["timezone"]),
            permissions=frozenset(me["permissions"]),
            location_permissions={
                uuid.UUID(k): frozenset(v) for k, v in me["location_permissions"].items()
            },
        )


@dataclass(frozen=True)
class Location:
    id: uuid.UUID
    code: str
    name: str
    address_lines: tuple[str, ...]
    timezone: str | None  # None: the business's time zone
    currency: str | None = None  # None: the business's currency

    @classmethod
    def parse(cls, row: dict[str, Any]) -> Location:
        return cls(
            id=uuid.UUID(row["id"]),
            code=str(row["code"]),
            name=str(row["name"]),
            address_lines=tuple(str(x) for x in row.get("address_lines") or ()),
            timezone=row.get("timezone"),
            currency=row.get("currency"),
        )


@dataclass(frozen=True)
class SellingRules:
    prices_include_tax: bool
    cash_rounding_minor: int  # 1, 5 or 10 minor units (0.01, 0.05, 0.10)
    max_change_minor: int
    rounding: str  # shared.money.RoundingMode value
    tax_rounding: str  # shared.tax.TaxRounding value

    @classmethod
    def parse(cls, row: dict[str, Any]) -> SellingRules:
        return cls(
            prices_include_tax=bool(row["prices_include_tax"]),
            cash_rounding_minor=int(row["cash_rounding_minor"]),
            max_change_minor=int(row["max_change_minor"]),
            rounding=str(row["rounding"]),
            tax_rounding=str(row["tax_rounding"]),
        )

    def body(self) -> dict[str, Any]:
        return {
            "prices_include_tax": self.prices_include_tax,
            "cash_rounding_minor": self.cash_rounding_minor,
            "max_change_minor": self.max_change_minor,
            "rounding": self.rounding,
            "tax_rounding": self.tax_rounding,
        }


@dataclass(frozen=True)
class Rate:
    code: str
    percent: Decimal


@dataclass(frozen=True)
class TaxClass:
    code: str
    rates: tuple[Rate, ...]
    # location code -> the class's rates there, where the business set that location's own
    locations: dict[str, tuple[Rate, ...]] = field(default_factory=dict)

    @classmethod
    def parse(cls, row: dict[str, Any]) -> TaxClass:
        return cls(
            code=str(row["code"]),
            rates=_rates(row["rates"]),
            locations={str(k): _rates(v) for k, v in (row.get("locations") or {}).items()},
        )

    def rates_at(self, location: str | None) -> tuple[Rate, ...]:
        """The rates a till at `location` uses (None: the class's own)."""
        if location is None:
            return self.rates
        return self.locations.get(location, self.rates)


def _rates(rows: list[dict[str, Any]]) -> tuple[Rate, ...]:
    return tuple(Rate(str(r["code"]), Decimal(str(r["percent"]))) for r in rows)


@dataclass(frozen=True)
class TaxPreset:
    country: str
    name: str
    prices_include_tax: bool
    classes: tuple[TaxClass, ...]

    @classmethod
    def parse(cls, row: dict[str, Any]) -> TaxPreset:
        return cls(
            country=str(row["country"]),
            name=str(row["name"]),
            prices_include_tax=bool(row["prices_include_tax"]),
            classes=tuple(TaxClass.parse(c) for c in row["classes"]),
        )


@dataclass(frozen=True)
class Till:
    id: uuid.UUID
    name: str
    location_id: uuid.UUID
    active: bool
    last_seen_at: datetime | None
    terminal_code: str | None

    @classmethod
    def parse(cls, row: dict[str, Any]) -> Till:
        seen = row.get("last_seen_at")
        return cls(
            id=uuid.UUID(str(row["id"])),
            name=str(row["name"]),
            location_id=uuid.UUID(str(row["location_id"])),
            active=row.get("status") == "active",
            last_seen_at=None if seen is None else datetime.fromisoformat(str(seen)),
            terminal_code=row.get("terminal_code"),
        )


@dataclass(frozen=True)
class ReceiptProfile:
    """What every till of the business prints at the top and bottom of a receipt."""

    receipt_name: str
    address_lines: tuple[str, ...]
    tax_id: str
    receipt_footer: str
    logo: bytes | None = None  # as tills print it: a 1-bit PNG of at most 384 × 160 dots

    @classmethod
    def parse(cls, row: dict[str, Any], logo: bytes | None = None) -> ReceiptProfile:
        return cls(
            receipt_name=str(row["receipt_name"]),
            address_lines=tuple(str(x) for x in row.get("address_lines") or []),
            tax_id=str(row.get("tax_id") or ""),
            receipt_footer=str(row.get("receipt_footer") or ""),
            logo=logo,
        )

    def body(self) -> dict[str, Any]:
        return {
            "receipt_name": self.receipt_name,
            "address_lines": list(self.address_lines),
            "tax_id": self.tax_id,
            "receipt_footer": self.receipt_footer,
        }
