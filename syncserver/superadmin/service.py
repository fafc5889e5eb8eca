"""Approving or rejecting registrations; approval provisions a whole tenant in one transaction."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.permissions import ALL_MODULES, DEFAULT_ROLES
from syncserver.audit.service import record
from syncserver.auth.service import ACTIVATION_TTL, issue_token, now
from syncserver.mail import Mail, MailSender
from syncserver.models import (
    Location,
    ModuleRow,
    Role,
    RolePermission,
    Tenant,
    TenantModule,
    TenantRegistration,
    User,
    UserRole,
)


def list_registrations(session: Session, *, status: str | None) -> list[TenantRegistration]:
    stmt = select(TenantRegistration).order_by(TenantRegistration.created_at)
    if status is not None:
        stmt = stmt.where(TenantRegistration.status == status)
    return list(session.scalars(stmt))


def decide(
    session: Session,
    *,
    registration_id: uuid.UUID,
    approve: bool,
    reason: str | None,
    actor: User,
    mailer: MailSender,
    public_url: str,
    ip: str | None,
) -> TenantRegistration:
    """Approve (create tenant, owner, default roles, location and modules) or reject.

    Raises:
        NotFound: no such registration.
        Conflict: it was already decided; or its e-mail/business got taken meanwhile.
        ValidationFailed: a rejection without a reason.
    """
    registration = session.get(TenantRegistration, registration_id, with_for_update=True)
    if registration is None:
        raise NotFound("no such registration", details={"registration_id": str(registration_id)})
    if registration.status != "pending":
        raise Conflict(
            f"this registration was already {registration.status}",
            details={"status": registration.status},
        )
    if not approve and not (reason and reason.strip()):
        raise ValidationFailed(
            "give the applicant a reason for the rejection", details={"field": "reason"}
        )
    registration.decided_at, registration.decided_by = now(), actor.id
    registration.decision_reason = reason.strip() if reason else None
    if not approve:
        registration.status = "rejected"
        mailer.send(
            Mail(
                registration.email,
                "Your Nova POS registration",
                f"We could not approve {registration.business_name}: {reason}",
            )
        )
        record(
            session,
            action="registration.rejected",
            tenant_id=None,
            actor_id=actor.id,
            target=f"registration:{registration.id}",
            after={"reason": reason},
            ip=ip,
        )
        session.flush()
        return registration

    if session.scalar(select(User.id).where(User.email == registration.email)) or session.scalar(
        select(Tenant.id).where(Tenant.business_key == registration.business_key)
    ):
        raise Conflict("the e-mail or business was taken meanwhile; reject this registration")
    tenant = Tenant(
        id=uuid7(),
        name=registration.business_name,
        business_key=registration.business_key,
        status="active",
        country=registration.country,
        currency=registration.currency,
        timezone=registration.timezone,
        created_at=now(),
    )
    session.add(tenant)
    session.flush()
    location = Location(id=uuid7(), tenant_id=tenant.id, code="MAIN", name="Main shop")
    owner = User(
        id=uuid7(),
        tenant_id=tenant.id,
        email=registration.email,
        name=registration.owner_name,
        password_hash=registration.password_hash,
        is_superadmin=False,
        status="invited",
        failed_logins=0,
        created_at=now(),
    )
    session.add_all([location, owner])
    session.flush()
    roles = {}
    for name, permissions in DEFAULT_ROLES.items():
        role = Role(id=uuid7(), tenant_id=tenant.id, name=name)
        session.add(role)
        session.flush()
        session.add_all(
            [RolePermission(role_id=role.id, permission=p) for p in sorted(permissions)]
        )
        roles[name] = role
    session.add(
        UserRole(
            id=uuid7(),
            tenant_id=tenant.id,
            user_id=owner.id,
            role_id=roles["owner"].id,
            location_id=None,
        )
    )
    session.add_all(
        [TenantModule(tenant_id=tenant.id, module=m, enabled=True) for m in sorted(ALL_MODULES)]
    )
    registration.status, registration.tenant_id = "approved", tenant.id
    token = issue_token(session, owner.id, "activation", ACTIVATION_TTL)
    record(
        session,
        action="registration.approved",
        tenant_id=tenant.id,
        actor_id=actor.id,
        target=f"registration:{registration.id}",
        after={"tenant_id": tenant.id, "owner_id": owner.id},
        ip=ip,
    )
    session.flush()
    mailer.send(
        Mail(
            registration.email,
            "Your Nova POS account is ready",
            f"Welcome, {registration.owner_name}!\n\nActivate your account:\n"
            f"{public_url.rstrip('/')}/activate?token={token}\n\nThe link works for "
            f"{ACTIVATION_TTL // timedelta(days=1)} days.",
        )
    )
    return registration


def set_module(
    session: Session,
    *,
    tenant_id: uuid.UUID,
    module: str,
    enabled: bool,
    actor: User,
    ip: str | None,
) -> None:
    """Switch a tenant's module on or off (audited); terminals receive it by sync."""
    if module not in ALL_MODULES:
        raise NotFound(f"no module named {module}", details={"module": module})
    if session.get(Tenant, tenant_id) is None:
        raise NotFound("no such tenant", details={"tenant_id": str(tenant_id)})
    row = session.get(TenantModule, (tenant_id, module))
    before = row.enabled if row is not None else None
    if row is None:
        session.add(TenantModule(tenant_id=tenant_id, module=module, enabled=enabled))
    else:
        row.enabled = enabled
    record(
        session,
        action="module.toggled",
        tenant_id=tenant_id,
        actor_id=actor.id,
        target=f"module:{module}",
        before={"enabled": before},
        after={"enabled": enabled},
        ip=ip,
    )
    session.flush()


TENANT_STATUSES = ("active", "suspended", "closed")


def list_tenants(session: Session, *, status: str | None) -> list[Tenant]:
    query = select(Tenant).order_by(Tenant.created_at.desc(), Tenant.id)
    if status is not None:
        query = query.where(Tenant.status == status)
    return list(session.scalars(query))


def set_tenant_status(
    session: Session,
    *,
    tenant_id: uuid.UUID,
    status: str,
    reason: str,
    actor: User,
    ip: str | None,
) -> Tenant:
    """Suspend, reactivate or close a business (audited with the reason).

    Suspended: its people cannot sign in or use a session, its devices cannot sync; nothing is
    deleted and reactivating restores everything. Closed is final.

    Raises:
        NotFound: no such tenant. ValidationFailed: unknown status or no reason.
        Conflict: the tenant is closed, or already has that status.
    """
    if status not in TENANT_STATUSES:
        raise ValidationFailed(
            f"status is one of {', '.join(TENANT_STATUSES)}", details={"status": status}
        )
    if not reason.strip():
        raise ValidationFailed("say why (the reason is kept in the audit log)")
    tenant = session.get(Tenant, tenant_id, with_for_update=True)
    if tenant is None:
        raise NotFound("no such tenant", details={"tenant_id": str(tenant_id)})
    if tenant.status == "closed":
        raise Conflict("this business is closed; a closed business is not reopened")
    if tenant.status == status:
        raise Conflict(f"this business is already {status}", details={"status": status})
    before = tenant.status
    tenant.status = status
    record(
        session,
        action=f"tenant.{'reactivated' if status == 'active' else status}",
        tenant_id=tenant.id,
        actor_id=actor.id,
        target=f"tenant:{tenant.id}",
        before={"status": before},
        after={"status": status, "reason": reason.strip()},
        ip=ip,
    )
    session.flush()
    return tenant


def tenant_modules(session: Session, tenant_id: uuid.UUID) -> list[tuple[ModuleRow, bool]]:
    """Every registered module with whether this tenant has it on."""
    if session.get(Tenant, tenant_id) is None:
        raise NotFound("no such tenant", details={"tenant_id": str(tenant_id)})
    enabled = {
        m.module: m.enabled
        for m in session.scalars(select(TenantModule).where(TenantModule.tenant_id == tenant_id))
    }
    registry = session.scalars(select(ModuleRow).order_by(ModuleRow.code))
    return [(m, enabled.get(m.code, False)) for m in registry]
