"""Read and change the business settings (audited); tills receive them as the `settings` document.

Defaults until an owner saves them: the business's registered name and "Thank you!".
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from shared.permissions import Permission
from syncserver.audit.service import record
from syncserver.models import BusinessSettings, Tenant
from syncserver.tenancy import Subject

DEFAULT_FOOTER = "Thank you!"


@dataclass(frozen=True)
class Settings:
    receipt_name: str
    address_lines: list[str]
    tax_id: str
    receipt_footer: str


def current(session: Session, tenant_id: object) -> Settings:
    row = session.get(BusinessSettings, tenant_id)
    if row is not None:
        return Settings(
            row.receipt_name, json.loads(row.address_lines), row.tax_id, row.receipt_footer
        )
    tenant = session.get(Tenant, tenant_id)
    return Settings(tenant.name if tenant else "", [], "", DEFAULT_FOOTER)


def change(session: Session, subject: Subject, new: Settings, *, ip: str | None) -> Settings:
    """Store new settings (`settings.manage` for the whole business)."""
    subject.require_at(Permission.SETTINGS_MANAGE, None)
    before = current(session, subject.tenant_id)
    row = session.get(BusinessSettings, subject.tenant_id)
    if row is None:
        row = BusinessSettings(tenant_id=subject.tenant_id)
        session.add(row)
    row.receipt_name, row.tax_id, row.receipt_footer = (
        new.receipt_name, new.tax_id, new.receipt_footer,
    )  # fmt: skip
    row.address_lines = json.dumps(new.address_lines)
    row.updated_at = datetime.now(UTC)
    record(
        session,
        action="settings.changed",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target="settings:business",
        before=asdict(before),
        after=asdict(new),
        ip=ip,
    )
    session.flush()
    return new
