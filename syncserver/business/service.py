"""Read and change the business settings and logo (audited); tills receive them as the `settings`
document.

Defaults until an owner saves them: the business's registered name and "Thank you!".
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from shared.permissions import Permission
from shared.receipt_logo import receipt_logo
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


def logo(session: Session, tenant_id: object) -> bytes | None:
    row = session.get(BusinessSettings, tenant_id)
    return row.logo_png if row is not None else None


def set_logo(session: Session, subject: Subject, raw: bytes | None, *, ip: str | None) -> None:
    """Store the receipt logo made from an uploaded image (None removes it).

    Raises:
        ValidationFailed: the upload is not an image we can use (see `shared.receipt_logo`).
    """
    subject.require_at(Permission.SETTINGS_MANAGE, None)
    png = receipt_logo(raw) if raw is not None else None
    row = _row(session, subject.tenant_id)
    had = row.logo_png is not None
    row.logo_png = png
    row.updated_at = datetime.now(UTC)
    after = {"logo": png is not None, "bytes": len(png) if png else 0}
    _audit(session, subject, "settings.logo_changed", {"logo": had}, after, ip=ip)
    session.flush()


def _row(session: Session, tenant_id: object) -> BusinessSettings:
    """The settings row, created with the defaults the first time something is saved."""
    row = session.get(BusinessSettings, tenant_id)
    if row is None:
        defaults = current(session, tenant_id)
        row = BusinessSettings(
            tenant_id=tenant_id,
            receipt_name=defaults.receipt_name,
            address_lines=json.dumps(defaults.address_lines),
            tax_id=defaults.tax_id,
            receipt_footer=defaults.receipt_footer,
            updated_at=datetime.now(UTC),
        )
        session.add(row)
    return row


def change(session: Session, subject: Subject, new: Settings, *, ip: str | None) -> Settings:
    """Store new settings (`settings.manage` for the whole business)."""
    subject.require_at(Permission.SETTINGS_MANAGE, None)
    before = current(session, subject.tenant_id)
    row = _row(session, subject.tenant_id)
    row.receipt_name, row.tax_id, row.receipt_footer = (
        new.receipt_name, new.tax_id, new.receipt_footer,
    )  # fmt: skip
    row.address_lines = json.dumps(new.address_lines)
    row.updated_at = datetime.now(UTC)
    _audit(session, subject, "settings.changed", asdict(before), asdict(new), ip=ip)
    session.flush()
    return new


def _audit(
    session: Session,
    subject: Subject,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    ip: str | None,
) -> None:
    record(
        session,
        action=action,
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target="settings:business",
        before=before,
        after=after,
        ip=ip,
    )
