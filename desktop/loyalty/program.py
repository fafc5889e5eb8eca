"""The loyalty program's rules, kept in `local_meta` (the server authors them; sync writes them).

Example: 1 point per EUR 1.00 spent (rounded down), a point is worth EUR 0.01, at least 100
points per redemption, points expire 365 days after they were earned.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from sqlalchemy import delete, insert, select

from desktop.db.models import LocalMeta
from desktop.db.uow import UnitOfWork
from shared.errors import ValidationFailed

PREFIX = "loyalty."


@dataclass(frozen=True)
class Program:
    points_per_unit: Decimal = Decimal(1)  # points per 1.00 of the currency spent
    rounding: str = "down"  # "down" or "half_up" when turning money into points
    point_value: Decimal = Decimal("0.01")  # what one point pays, in the currency
    min_redeem: int = 100  # fewest points redeemed at once
    expiry_days: int = 365  # 0: points never expire

    def points_for(self, amount: Decimal) -> int:
        """Points earned on `amount` (money actually paid, not points)."""
        mode = ROUND_DOWN if self.rounding == "down" else ROUND_HALF_UP
        return int((amount * self.points_per_unit).to_integral_value(rounding=mode))


def configure_program(uow: UnitOfWork, program: Program) -> None:
    if program.points_per_unit < 0 or program.point_value <= 0:
        raise ValidationFailed("points per unit ≥ 0 and a point worth more than 0")
    if program.rounding not in ("down", "half_up"):
        raise ValidationFailed("rounding is down or half_up", details={"field": "rounding"})
    if program.min_redeem < 1 or program.expiry_days < 0:
        raise ValidationFailed("minimum redemption ≥ 1 point; expiry ≥ 0 days")
    values = {
        "points_per_unit": str(program.points_per_unit),
        "rounding": program.rounding,
        "point_value": str(program.point_value),
        "min_redeem": str(program.min_redeem),
        "expiry_days": str(program.expiry_days),
    }
    uow.cache.pop(PREFIX, None)
    uow.conn.execute(delete(LocalMeta).where(LocalMeta.key.startswith(PREFIX)))
    uow.conn.execute(
        insert(LocalMeta), [{"key": PREFIX + k, "value": v} for k, v in values.items()]
    )


def program(uow: UnitOfWork) -> Program:
    """The stored rules, or the defaults above until the server sends its own."""
    cached = uow.cache.get(PREFIX)
    if isinstance(cached, Program):
        return cached
    rows = uow.conn.execute(
        select(LocalMeta.key, LocalMeta.value).where(LocalMeta.key.startswith(PREFIX))
    )
    get = {str(k).removeprefix(PREFIX): str(v) for k, v in rows}
    loaded = Program(
        points_per_unit=Decimal(get.get("points_per_unit", "1")),
        rounding=get.get("rounding", "down"),
        point_value=Decimal(get.get("point_value", "0.01")),
        min_redeem=int(get.get("min_redeem", "100")),
        expiry_days=int(get.get("expiry_days", "365")),
    )
    uow.cache[PREFIX] = loaded
    return loaded
