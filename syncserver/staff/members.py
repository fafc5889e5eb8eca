"""Staff who sign in on terminals with a code and PIN: hire, list, change roles, disable.

Staff are managed per location: a manager whose `staff.manage` holds at one location hires for
it, sees the people assigned there, and changes only assignments there.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import uuid7
from shared.permissions import Permission
from shared.pins import check_pin
from syncserver.audit.service import record
from syncserver.auth.secrets import check_password_strength, hash_password
from syncserver.auth.service import end_sessions, now
from syncserver.models import Location, User, UserRole
from syncserver.staff.roles import get_role, keep_someone_in_charge
from syncserver.staff.schemas import Assignment
from syncserver.tenancy import Subject, tenant_scoped


@dataclass(frozen=True)
class Member:
    user: User
    roles: list[Assignment]


def _check_assignments(session: Session, subject: Subject, roles: list[Assignment]) -> None:
    for assignment in roles:
        get_role(session, subject, assignment.role_id)
        if assignment.location_id is not None and not session.scalar(
            tenant_scoped(select(Location.id), Location, subject).where(
                Location.id == assignment.location_id
            )
        ):
            raise NotFound("no such location", details={"location_id": str(assignment.location_id)})
        # A manager of one location hires for that location only.
        subject.require_at(Permission.STAFF_MANAGE, assignment.location_id)


def _assignments(session: Session, user_id: uuid.UUID) -> list[Assignment]:
    rows = session.execute(
        select(UserRole.role_id, UserRole.location_id)
        .where(UserRole.user_id == user_id)
        .order_by(UserRole.role_id, UserRole.location_id)
    ).all()
    return [Assignment(role_id=r, location_id=loc) for r, loc in rows]


def _member(session: Session, subject: Subject, user_id: uuid.UUID) -> User:
    user = session.scalar(
        tenant_scoped(select(User), User, subject).where(
            User.id == user_id, User.staff_code.is_not(None)
        )
    )
    if user is None:
        raise NotFound("no such staff member", details={"user_id": str(user_id)})
    return user


def _require_over(subject: Subject, roles: list[Assignment]) -> None:
    """The caller must manage staff wherever this person is assigned today."""
    for assignment in roles:
        subject.require_at(Permission.STAFF_MANAGE, assignment.location_id)


def create_staff(
    session: Session,
    subject: Subject,
    *,
    name: str,
    code: str,
    pin: str,
    roles: list[Assignment],
    ip: str | None,
    email: str | None = None,
    password: str | None = None,
) -> User:
    """A cashier or manager who signs in on terminals with code + PIN (hash synced to tills),
    optionally with an e-mail and password for the till's back office."""
    check_pin(pin)
    taken = tenant_scoped(select(User.id), User, subject).where(User.staff_code == code)
    if session.scalar(taken):
        raise Conflict(f"staff code {code} is taken", details={"code": code, "field": "code"})
    _check_assignments(session, subject, roles)
    if email is not None:
        # E-mail addresses are unique across the server: sign-in finds the account by it.
        if session.scalar(select(User.id).where(User.email == email)):
            raise Conflict("this e-mail address is already used", details={"field": "email"})
        check_password_strength(password or "", email=email)
    user = User(
        id=uuid7(),
        tenant_id=subject.tenant_id,
        email=email,
        name=name,
        staff_code=code,
        password_hash=hash_password(password) if email is not None and password else "!",
        pin_hash=hash_password(pin),
        is_superadmin=False,
        status="active",
        failed_logins=0,
        created_at=now(),
    )
    session.add(user)
    session.flush()
    session.add_all(
        [
            UserRole(
                id=uuid7(),
                tenant_id=subject.tenant_id,
                user_id=user.id,
                role_id=a.role_id,
                location_id=a.location_id,
            )
            for a in roles
        ]
    )
    record(
        session,
        action="staff.created",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"user:{user.id}",
        after={
            "name": name,
            "code": code,
            "email": email,
            "roles": [a.model_dump() for a in roles],
        },
        ip=ip,
    )
    session.flush()
    return user


def list_staff(session: Session, subject: Subject) -> list[Member]:
    """Staff with their assignments; a location's manager sees the people assigned there."""
    users = session.scalars(
        tenant_scoped(select(User), User, subject)
        .where(User.staff_code.is_not(None))
        .order_by(User.name, User.id)
    )
    allowed = subject.locations_for(Permission.STAFF_MANAGE)
    found = []
    for user in users:
        roles = _assignments(session, user.id)
        if allowed is None or any(a.location_id in allowed for a in roles):
            found.append(Member(user, roles))
    return found


def set_staff_roles(
    session: Session,
    subject: Subject,
    *,
    user_id: uuid.UUID,
    roles: list[Assignment],
    ip: str | None,
) -> Member:
    """Replace a staff member's assignments (audited before/after)."""
    user = _member(session, subject, user_id)
    before = _assignments(session, user.id)
    _require_over(subject, before)
    _check_assignments(session, subject, roles)
    session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    session.add_all(
        [
            UserRole(
                id=uuid7(),
                tenant_id=subject.tenant_id,
                user_id=user.id,
                role_id=a.role_id,
                location_id=a.location_id,
            )
            for a in roles
        ]
    )
    session.flush()
    keep_someone_in_charge(session, subject)
    record(
        session,
        action="staff.roles_changed",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"user:{user.id}",
        before={"roles": [a.model_dump() for a in before]},
        after={"roles": [a.model_dump() for a in roles]},
        ip=ip,
    )
    return Member(user, _assignments(session, user.id))


def set_staff_status(
    session: Session, subject: Subject, *, user_id: uuid.UUID, active: bool, ip: str | None
) -> Member:
    """Disable someone who left (their PIN stops working on terminals after sync) or re-enable.

    Raises:
        Conflict: already in that state, or it would leave nobody able to manage staff.
    """
    user = _member(session, subject, user_id)
    roles = _assignments(session, user.id)
    _require_over(subject, roles)
    status = "active" if active else "disabled"
    if user.status == status:
        raise Conflict(f"{user.name} is already {status}", details={"status": status})
    before, user.status = user.status, status
    session.flush()
    keep_someone_in_charge(session, subject)
    record(
        session,
        action="staff.enabled" if active else "staff.disabled",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"user:{user.id}",
        before={"status": before},
        after={"status": status},
        ip=ip,
    )
    return Member(user, roles)


def rename_staff(
    session: Session, subject: Subject, *, user_id: uuid.UUID, name: str, ip: str | None
) -> Member:
    """Change the name tills show on the sign-in tiles and receipts (audited)."""
    user = _member(session, subject, user_id)
    roles = _assignments(session, user.id)
    _require_over(subject, roles)
    before, user.name = user.name, name
    session.flush()
    record(
        session,
        action="staff.renamed",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"user:{user.id}",
        before={"name": before},
        after={"name": name},
        ip=ip,
    )
    return Member(user, roles)


def set_staff_email(
    session: Session,
    subject: Subject,
    *,
    user_id: uuid.UUID,
    email: str | None,
    password: str | None,
    ip: str | None,
) -> Member:
    """Give someone an e-mail sign-in for the back office, change its address or password, or
    take it away (`email` None). A new address keeps the password unless one is given; an
    account without a password needs one. Changing or removing it ends their sessions, so a
    lost address stops working at once. Audited without the password."""
    user = _member(session, subject, user_id)
    roles = _assignments(session, user.id)
    _require_over(subject, roles)
    if email is None and user.id == subject.user_id:
        raise Conflict(
            "you would lose your own sign-in: ask another manager to remove it",
            details={"field": "email"},
        )
    before = user.email
    if email is None:
        user.email, user.password_hash = None, "!"
    else:
        if session.scalar(select(User.id).where(User.email == email, User.id != user.id)):
            raise Conflict("this e-mail address is already used", details={"field": "email"})
        if password is None and user.password_hash == "!":
            raise ValidationFailed(
                "an e-mail sign-in needs a password too", details={"field": "password"}
            )
        if password is not None:
            check_password_strength(password, email=email)
            user.password_hash = hash_password(password)
        user.email = email
    user.failed_logins, user.locked_until = 0, None
    session.flush()
    ended = 0
    if (before != user.email or password is not None) and user.id != subject.user_id:
        ended = end_sessions(session, user.id)  # yours stays: you are the one at the screen
    record(
        session,
        action="staff.email_changed",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"user:{user.id}",
        before={"email": before},
        after={
            "email": user.email,
            "password_changed": password is not None,
            "sessions_ended": ended,
        },
        ip=ip,
    )
    return Member(user, roles)


def set_staff_pin(
    session: Session, subject: Subject, *, user_id: uuid.UUID, pin: str, ip: str | None
) -> Member:
    """A new PIN (a forgotten one, or one someone saw): tills take it at their next sync, and
    a till where the code is locked lets it in again with the new PIN. The audit never holds
    the PIN."""
    check_pin(pin)
    user = _member(session, subject, user_id)
    roles = _assignments(session, user.id)
    _require_over(subject, roles)
    user.pin_hash = hash_password(pin)
    session.flush()
    record(
        session,
        action="staff.pin_changed",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"user:{user.id}",
        ip=ip,
    )
    return Member(user, roles)


def unlock_staff(
    session: Session, subject: Subject, *, user_id: uuid.UUID, ip: str | None
) -> Member:
    """Lift the lock after too many wrong passwords at the e-mail sign-in (the till's own
    PIN lock is lifted on that till, or by a new PIN)."""
    user = _member(session, subject, user_id)
    roles = _assignments(session, user.id)
    _require_over(subject, roles)
    before = user.locked_until
    user.failed_logins, user.locked_until = 0, None
    session.flush()
    record(
        session,
        action="staff.unlocked",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"user:{user.id}",
        before={"locked_until": before.isoformat() if before else None},
        ip=ip,
    )
    return Member(user, roles)
