"""Read and change a business's selling rules (audited); tills receive them as the `selling`
document.

Defaults until an owner saves them: prices include tax, no cash rounding (to the cent), at most
500.00 of change, half-up rounding, tax rounded per line.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from shared.money import RoundingMode
from shared.permissions import Permission
from shared.tax import TaxRounding
from syncserver.audit.service import record
from syncserver.models import SellingRules
from syncserver.tenancy import Subject


@dataclass(frozen=True)
class Rules:
    prices_include_tax: bool
    cash_rounding_minor: int
    max_change_minor: int
    rounding: RoundingMode
    tax_rounding: TaxRounding


DEFAULTS = Rules(True, 1, 50_000, RoundingMode.HALF_UP, TaxRounding.PER_LINE)


def current(session: Session, tenant_id: uuid.UUID) -> Rules:
    row = session.get(SellingRules, tenant_id)
    if row is None:
        return DEFAULTS
    return Rules(
        row.prices_include_tax,
        row.cash_rounding_minor,
        row.max_change_minor,
        RoundingMode(row.rounding),
        TaxRounding(row.tax_rounding),
    )


def is_saved(session: Session, tenant_id: uuid.UUID) -> bool:
    return session.get(SellingRules, tenant_id) is not None


def change(
    session: Session, subject: Subject, new: Rules, *, ip: str | None, why: str = "changed"
) -> Rules:
    """Store new rules (`settings.manage` for the whole business); saving the rules in place
    changes nothing and records nothing (a repeated request, a re-run seed)."""
    subject.require_at(Permission.SETTINGS_MANAGE, None)
    before = current(session, subject.tenant_id)
    if new == before and session.get(SellingRules, subject.tenant_id) is not None:
        return before
    row = session.get(SellingRules, subject.tenant_id)
    if row is None:
        row = SellingRules(tenant_id=subject.tenant_id)
        session.add(row)
    row.prices_include_tax = new.prices_include_tax
    row.cash_rounding_minor = new.cash_rounding_minor
    row.max_change_minor = new.max_change_minor
    row.rounding, row.tax_rounding = new.rounding.value, new.tax_rounding.value
    row.updated_at = datetime.now(UTC)
    record(
        session,
        action=f"selling.{why}",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target="settings:selling",
        before=asdict(before),
        after=asdict(new),
        ip=ip,
    )
    session.flush()
    return new
