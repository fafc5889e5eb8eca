"""Roles and users on the terminal; PINs stored only as argon2 hashes, never logged."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update

from desktop.db.models import Role, RolePermission, User
from desktop.db.uow import UnitOfWork
from shared.errors import AuthnError, AuthzError, Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.permissions import ALL_PERMISSIONS

MAX_FAILED_PINS = 5
# A manager's PIN typed at a cashier's till, with the cashier watching: fewer tries than at
# sign-in. The same counter and the same lock (a locked code can neither sign in nor approve).
MAX_FAILED_OVERRIDE_PINS = 3
LOCKOUT = timedelta(minutes=5)
# Cheap enough for a 2-core till to check a PIN in ~20 ms, still far from plain text.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


@dataclass(frozen=True)
class Actor:
    """Who performs a service call, with the permissions their role grants."""

    id: uuid.UUID
    name: str
    permissions: frozenset[str]

    def require(self, permission: str) -> None:
        """Raise AuthzError unless this actor holds `permission`."""
        if permission not in self.permissions:
            raise AuthzError(
                f"{self.name} is not allowed to do this ({permission}); ask a manager",
                details={"permission": permission, "user_id": str(self.id)},
            )


def authorize(actor: Actor, permission: str, approver: Actor | None = None) -> uuid.UUID | None:
    """Allow an action by `actor`, or by `approver` as a manager override.

    Returns:
        The approver's id when the override was needed (record it in the audit), else None.

    Raises:
        AuthzError: neither holds `permission`.
    """
    if permission in actor.permissions:
        return None
    if approver is not None and approver.id != actor.id:
        approver.require(permission)
        return approver.id
    actor.require(permission)
    return None  # pragma: no cover - require raised


def override(uow: UnitOfWork, *, code: str, pin: str, permission: str) -> Actor:
    """A manager types their code and PIN to authorize one action for the signed-in cashier;
    the sign-in lockout applies, after `MAX_FAILED_OVERRIDE_PINS` wrong PINs."""
    approver = sign_in(uow, code=code, pin=pin, max_failed=MAX_FAILED_OVERRIDE_PINS)
    approver.require(permission)
    return approver


def create_role(uow: UnitOfWork, *, name: str, permissions: set[str]) -> uuid.UUID:
    unknown = permissions - ALL_PERMISSIONS
    if unknown:
        raise ValidationFailed("unknown permissions", details={"unknown": sorted(unknown)})
    if uow.conn.execute(select(Role.id).where(Role.name == name)).first():
        raise Conflict(f"a role named {name!r} exists already", details={"name": name})
    role_id = uuid7()
    uow.conn.execute(insert(Role).values(id=role_id, name=name))
    if permissions:
        uow.conn.execute(
            insert(RolePermission), [{"role_id": role_id, "permission": p} for p in permissions]
        )
    return role_id


def create_user(
    uow: UnitOfWork, *, code: str, name: str, pin: str, role_id: uuid.UUID
) -> uuid.UUID:
    """Add a user who signs in with `code` + `pin` (4 to 8 digits)."""
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationFailed("a PIN is 4 to 8 digits", details={"field": "pin"})
    if not code.strip():
        raise ValidationFailed("a user needs a code", details={"field": "code"})
    if uow.conn.execute(select(User.id).where(User.code == code)).first():
        raise Conflict(f"user code {code} is taken", details={"code": code})
    if not uow.conn.execute(select(Role.id).where(Role.id == role_id)).first():
        raise NotFound("no such role", details={"role_id": str(role_id)})
    user_id = uuid7()
    uow.conn.execute(
        insert(User).values(
            id=user_id,
            code=code,
            name=name,
            pin_hash=_hasher.hash(pin),
            role_id=role_id,
            active=True,
            failed_pins=0,
            locked_until=None,
        )
    )
    return user_id


def _permissions(uow: UnitOfWork, role_id: uuid.UUID) -> frozenset[str]:
    rows = uow.conn.execute(
        select(RolePermission.permission).where(RolePermission.role_id == role_id)
    )
    return frozenset(rows.scalars())


def sign_in(uow: UnitOfWork, *, code: str, pin: str, max_failed: int = MAX_FAILED_PINS) -> Actor:
    """Check a PIN; after `max_failed` wrong ones in a row the user is locked for `LOCKOUT`.

    A wrong PIN is counted and committed before the refusal is raised, so rolling back the
    caller's unit of work cannot undo the attempt.

    Raises:
        AuthnError: unknown code, wrong PIN, inactive or locked user (one message for all
            but the lock, so codes cannot be probed).
    """
    row = uow.conn.execute(select(User).where(User.code == code)).first()
    now = uow.clock.now()
    if row is None or not row.active:
        raise AuthnError("wrong user code or PIN")
    if row.locked_until is not None and row.locked_until > now:
        raise AuthnError(
            "too many wrong PINs: this user is locked, try again later or ask a manager",
            details={"locked_until": row.locked_until.isoformat()},
        )
    try:
        _hasher.verify(row.pin_hash, pin)
    except (VerificationError, InvalidHashError):
        failed = row.failed_pins + 1
        locked = now + LOCKOUT if failed >= max_failed else None
        uow.conn.execute(
            update(User)
            .where(User.id == row.id)
            .values(failed_pins=0 if locked else failed, locked_until=locked)
        )
        uow.commit()  # the attempt counts even though we refuse
        raise AuthnError("wrong user code or PIN") from None
    if row.failed_pins or row.locked_until:
        uow.conn.execute(
            update(User).where(User.id == row.id).values(failed_pins=0, locked_until=None)
        )
    return Actor(id=row.id, name=row.name, permissions=_permissions(uow, row.role_id))


def staff_tiles(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(code, name) of active staff for the sign-in tiles, by name."""
    rows = uow.conn.execute(select(User.code, User.name).where(User.active).order_by(User.name))
    return [(str(code), str(name)) for code, name in rows]


def unlock(uow: UnitOfWork, *, code: str) -> bool:
    """Lift this till's lock on `code` after too many wrong PINs (a manager's decision, made in
    the back office). False when no wrong PIN was counted against it here."""
    done = uow.conn.execute(
        update(User)
        .where(User.code == code, (User.locked_until.is_not(None)) | (User.failed_pins > 0))
        .values(failed_pins=0, locked_until=None)
    )
    return bool(done.rowcount)
