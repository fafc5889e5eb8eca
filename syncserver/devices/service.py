"""Enroll terminals with one-time codes; device secrets are stored only as SHA-256 hashes.

A secret is 256 random bits, so a fast hash is enough (unlike passwords, it cannot be guessed).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.errors import AuthnError, AuthzError, Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.permissions import Permission
from syncserver.audit.service import record
from syncserver.auth.secrets import hash_token
from syncserver.auth.service import now
from syncserver.db import is_read_only, write_later
from syncserver.models import Device, EnrollmentCode, Location, SyncReplica, Tenant
from syncserver.tenancy import Subject, tenant_scoped

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: typed by hand at the till
DEFAULT_CODE_TTL = timedelta(hours=24)


TERMINAL_CODES = tuple(f"T{n:02d}" for n in range(1, 100))


@dataclass(frozen=True)
class Enrolled:
    device: Device
    secret: str
    location: Location | None = None  # set by `enroll` (the till stores its code and name)


def _normalize_code(code: str) -> str:
    return code.replace("-", "").replace(" ", "").upper()


def create_enrollment_code(
    session: Session, subject: Subject, *, location_id: uuid.UUID, ttl: timedelta, ip: str | None
) -> tuple[str, datetime]:
    """A one-time code a manager types into a new terminal (shown once, stored hashed)."""
    if not timedelta(minutes=5) <= ttl <= timedelta(days=7):
        raise ValidationFailed("a code is valid between 5 minutes and 7 days")
    location = session.scalar(
        tenant_scoped(select(Location), Location, subject).where(Location.id == location_id)
    )
    if location is None:
        raise NotFound("no such location", details={"location_id": str(location_id)})
    subject.require_at(Permission.DEVICES_MANAGE, location_id)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    expires = now() + ttl
    session.add(
        EnrollmentCode(
            code_hash=hash_token(raw),
            tenant_id=subject.tenant_id,
            location_id=location_id,
            created_by=subject.user_id,
            expires_at=expires,
        )
    )
    record(
        session,
        action="device.code_created",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"location:{location_id}",
        after={"expires_at": expires},
        ip=ip,
    )
    session.flush()
    return f"{raw[:5]}-{raw[5:]}", expires


def enroll(session: Session, *, code: str, name: str, ip: str | None) -> Enrolled:
    """Exchange a code for a device credential bound to the code's tenant and location, with
    the lowest free terminal code of the business.

    Raises:
        AuthnError: the code is wrong, expired or used, or the business is not active.
        Conflict: an active till of the business has this name (details field "name"); the
            code stays unused, so the same code works again with another name.
    """
    row = session.get(EnrollmentCode, hash_token(_normalize_code(code)), with_for_update=True)
    if row is None or row.used_at is not None or row.expires_at <= now():
        raise AuthnError("this enrollment code is not valid (wrong, expired or already used)")
    # Locks the tenant row on Postgres: two tills enrolling at once do not take the same code.
    tenant = session.get(Tenant, row.tenant_id, with_for_update=True)
    if tenant is None or tenant.status != "active":
        raise AuthnError(f"this business is {tenant.status if tenant else 'unknown'}")
    name = name.strip()
    if not name:
        raise ValidationFailed("give the till a name", details={"field": "name"})
    _name_free(session, row.tenant_id, name)
    secret = secrets.token_urlsafe(32)
    device = Device(
        id=uuid7(),
        tenant_id=row.tenant_id,
        location_id=row.location_id,
        name=name,
        secret_hash=hash_token(secret),
        status="active",
        terminal_code=_free_terminal_code(session, row.tenant_id),
        created_at=now(),
    )
    session.add(device)
    row.used_at, row.device_id = now(), device.id
    record(
        session,
        action="device.enrolled",
        tenant_id=row.tenant_id,
        actor_id=None,
        target=f"device:{device.id}",
        after={
            "name": name,
            "location_id": row.location_id,
            "terminal_code": device.terminal_code,
        },
        ip=ip,
    )
    session.flush()
    return Enrolled(device, secret, session.get(Location, row.location_id))


def _name_free(session: Session, tenant_id: uuid.UUID, name: str) -> None:
    """Till names are unique among a business's active tills (people pick a till by name)."""
    taken = session.scalar(
        select(Device.name)
        .where(
            Device.tenant_id == tenant_id,
            Device.status == "active",
            func.lower(Device.name) == name.lower(),
        )
        .limit(1)
    )
    if taken is not None:
        raise Conflict(
            f"a till named {taken!r} is already enrolled: choose another name",
            details={"field": "name", "reason": "name_taken"},
        )


def _free_terminal_code(session: Session, tenant_id: uuid.UUID) -> str:
    """The lowest of T01..T99 no active till of the business holds (assigned at enrollment or
    claimed at handshake).

    Raises:
        Conflict: all 99 are in use.
    """
    assigned = session.scalars(
        select(Device.terminal_code).where(
            Device.tenant_id == tenant_id,
            Device.status == "active",
            Device.terminal_code.is_not(None),
        )
    )
    claimed = session.scalars(
        select(SyncReplica.terminal_code)
        .join(Device, Device.id == SyncReplica.device_id)
        .where(
            SyncReplica.tenant_id == tenant_id,
            SyncReplica.terminal_code.is_not(None),
            Device.status == "active",
        )
    )
    used = {str(c).upper() for c in (*assigned, *claimed)}
    for candidate in TERMINAL_CODES:
        if candidate not in used:
            return candidate
    raise Conflict(
        "this business already has 99 active tills: revoke one before enrolling another",
        details={"reason": "terminal_codes_exhausted"},
    )


def _device(session: Session, subject: Subject, device_id: uuid.UUID) -> Device:
    device = session.scalar(
        tenant_scoped(select(Device), Device, subject).where(Device.id == device_id)
    )
    if device is None:
        raise NotFound("no such device", details={"device_id": str(device_id)})
    subject.require_at(Permission.DEVICES_MANAGE, device.location_id)
    return device


def list_devices(session: Session, subject: Subject) -> list[Device]:
    """The tenant's devices at the locations where the caller manages devices."""
    query = tenant_scoped(select(Device), Device, subject).order_by(Device.name)
    locations = subject.locations_for(Permission.DEVICES_MANAGE)
    if locations is not None:
        query = query.where(Device.location_id.in_(locations))
    return list(session.scalars(query))


def rotate(session: Session, subject: Subject, device_id: uuid.UUID, *, ip: str | None) -> Enrolled:
    """A new secret for the device; the old one stops working at once."""
    device = _device(session, subject, device_id)
    if device.status != "active":
        raise Conflict("a revoked device cannot be rotated; enroll it again")
    secret = secrets.token_urlsafe(32)
    device.secret_hash, device.rotated_at = hash_token(secret), now()
    record(
        session,
        action="device.rotated",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"device:{device.id}",
        ip=ip,
    )
    session.flush()
    return Enrolled(device, secret)


def revoke(session: Session, subject: Subject, device_id: uuid.UUID, *, ip: str | None) -> Device:
    device = _device(session, subject, device_id)
    if device.status != "revoked":
        device.status, device.revoked_at = "revoked", now()
        record(
            session,
            action="device.revoked",
            tenant_id=subject.tenant_id,
            actor_id=subject.user_id,
            target=f"device:{device.id}",
            ip=ip,
        )
        session.flush()
    return device


def move(
    session: Session, subject: Subject, device_id: uuid.UUID, location_id: uuid.UUID,
    *, ip: str | None,
) -> Device:  # fmt: skip
    """The till now belongs to another location of the business (`devices.manage` at both).

    What the till sold before it heard of the move stays booked at the old location: the till
    learns the move at its next handshake and writes a `till.moved` record into its outbox,
    and the server changes the till's location for pushed records only when it reaches that
    record (docs/sync-protocol.md, "A till moves"). Its new location's document is published
    again so the till reads it at its next pull.

    Raises:
        NotFound: no such till or location in the business (field `location_id`).
        Conflict: the till is revoked, or the new location sells in another currency (a
            till's shift and sales are in one currency).
        AuthzError: `devices.manage` is missing at either location.
    """
    device = _device(session, subject, device_id)
    if device.status != "active":
        raise Conflict(
            "a revoked till cannot be moved: enroll a new one at that location",
            details={"field": "location_id", "reason": "revoked"},
        )
    target = session.scalar(
        tenant_scoped(select(Location), Location, subject).where(Location.id == location_id)
    )
    if target is None:
        raise NotFound("no such location", details={"field": "location_id"})
    subject.require_at(Permission.DEVICES_MANAGE, target.id)
    if target.id == device.location_id:
        return device
    old = session.get(Location, device.location_id)
    tenant = session.get(Tenant, subject.tenant_id)
    assert old is not None  # foreign keys
    assert tenant is not None
    here, there = old.currency or tenant.currency, target.currency or tenant.currency
    if here != there:
        raise Conflict(
            f"{target.name} sells in {there} and this till in {here}: enroll a new till there",
            details={"field": "location_id", "reason": "currency"},
        )
    device.location_id = target.id
    record(
        session,
        action="device.moved",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"device:{device.id}",
        before={"location_id": old.id, "location": old.code},
        after={"location_id": target.id, "location": target.code},
        ip=ip,
    )
    session.flush()
    return device


def authenticate(session: Session, header: str, *, allow_revoked: bool = False) -> Device:
    """`Authorization: Device <id>:<secret>` → the active device, or AuthnError.

    `allow_revoked` lets a revoked terminal hand over what it sold (sync keeps it in quarantine).
    """
    scheme, _, credential = header.partition(" ")
    device_id, _, secret = credential.strip().partition(":")
    if scheme.lower() != "device" or not secret:
        raise AuthnError("device credential required (Authorization: Device <id>:<secret>)")
    try:
        device = session.get(Device, uuid.UUID(device_id))
    except ValueError:
        device = None
    if device is None or not secrets.compare_digest(device.secret_hash, hash_token(secret)):
        raise AuthnError("unknown device or wrong secret")
    if device.status != "active":
        if allow_revoked:
            return device
        raise AuthnError(
            "this device was revoked; enroll it again", details={"device_id": device_id}
        )
    tenant_status = session.scalar(select(Tenant.status).where(Tenant.id == device.tenant_id))
    if tenant_status != "active":
        # The terminal keeps selling offline; it just cannot sync until the business is active.
        raise AuthzError(
            f"this business is {tenant_status}: sync is paused; contact support",
            details={"tenant_status": tenant_status},
        )
    _seen(session, device)
    return device


LAST_SEEN_EVERY = timedelta(seconds=30)  # a read records a till's visit at most this often


def _seen(session: Session, device: Device) -> None:
    """Record the visit: now in a write, after the read (and not on every poll) in a read."""
    seen = now()
    if not is_read_only(session):
        device.last_seen_at = seen
        return
    if device.last_seen_at is not None and seen - device.last_seen_at < LAST_SEEN_EVERY:
        return
    device_id = device.id

    def touch(writer: Session) -> None:
        visited = writer.get(Device, device_id)
        if visited is not None and (visited.last_seen_at is None or visited.last_seen_at < seen):
            visited.last_seen_at = seen

    write_later(session, touch)
