"""Per-terminal selling configuration, kept in `local_meta` (arrives from the server by sync)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from desktop.db.models import LocalMeta
from desktop.db.uow import UnitOfWork
from shared.currency import check_currency
from shared.errors import Conflict, ValidationFailed
from shared.money import RoundingMode
from shared.tax import TaxRounding

PREFIX = "selling."


@dataclass(frozen=True)
class SellingConfig:
    terminal_code: str  # printed in receipt numbers: "T01-000042"
    currency: str
    prices_include_tax: bool = True
    rounding: RoundingMode = RoundingMode.HALF_UP
    tax_rounding: TaxRounding = TaxRounding.PER_LINE
    max_change_minor: int = 50_000  # cash over-tender policy: more change than this is refused
    location_code: str = "MAIN"  # which location's price/availability overrides apply
    cash_rounding_minor: int = 1  # smallest coin in use for cash (5 = round cash to 0.05)


def configure(uow: UnitOfWork, config: SellingConfig) -> None:
    """Store the configuration (replacing any previous one)."""
    check_currency(config.currency)
    if config.cash_rounding_minor < 1:
        raise ValidationFailed("cash rounding is at least one minor unit")
    code = config.terminal_code
    if not (code.isalnum() and 1 <= len(code) <= 8):
        raise ValidationFailed("terminal code: 1 to 8 letters or digits", details={"code": code})
    values = {
        "terminal_code": code,
        "currency": config.currency,
        "prices_include_tax": "1" if config.prices_include_tax else "0",
        "rounding": config.rounding.value,
        "tax_rounding": config.tax_rounding.value,
        "max_change_minor": str(config.max_change_minor),
        "location_code": config.location_code,
        "cash_rounding_minor": str(config.cash_rounding_minor),
    }
    uow.cache.pop(PREFIX, None)
    uow.conn.execute(delete(LocalMeta).where(LocalMeta.key.startswith(PREFIX)))
    uow.conn.execute(
        insert(LocalMeta), [{"key": PREFIX + k, "value": v} for k, v in values.items()]
    )


def load(uow: UnitOfWork) -> SellingConfig:
    """The stored configuration.

    Raises:
        Conflict: the terminal was never configured (enroll it or run the setup first).
    """
    cached = uow.cache.get(PREFIX)
    if isinstance(cached, SellingConfig):
        return cached
    result = uow.conn.execute(
        select(LocalMeta.key, LocalMeta.value).where(LocalMeta.key.startswith(PREFIX))
    )
    rows = {str(key): str(value) for key, value in result}
    if not rows:
        raise Conflict("this terminal is not set up for selling yet: configure it first")
    get = {k.removeprefix(PREFIX): v for k, v in rows.items()}
    config = SellingConfig(
        terminal_code=get["terminal_code"],
        currency=get["currency"],
        prices_include_tax=get["prices_include_tax"] == "1",
        rounding=RoundingMode(get["rounding"]),
        tax_rounding=TaxRounding(get["tax_rounding"]),
        max_change_minor=int(get["max_change_minor"]),
        location_code=get.get("location_code", "MAIN"),
        cash_rounding_minor=int(get.get("cash_rounding_minor", "1")),
    )
    uow.cache[PREFIX] = config
    return config
