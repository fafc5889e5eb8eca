"""The back office's staff and roles (Qt-free): hire, rename, roles and locations, deactivate,
PINs, unlock; roles made of permissions, renamed, deleted, previewed. All on the server (tills
get staff by sync), so each change first asks `rules` whether it may run now.

Inputs are checked here with the field they belong to (`details.field`) so the window puts the
words beside the field; the server checks them again (the PIN rule is the same function).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from desktop.office.config_desk import ConfigDesk
from desktop.office.models import Location
from desktop.office.session import OfficeSession
from desktop.office.staff_models import Assignment, RoleInfo, RolePreview, StaffMember
from shared.errors import Unavailable, ValidationFailed
from shared.permissions import ALL_PERMISSIONS
from shared.pins import check_pin

STAFF_CODE = re.compile(r"^[0-9]{1,6}$")
STAFF = "staff.manage"  # operation ids in desktop/office/rules.py
ROLES = "roles.manage"


@dataclass(frozen=True)
class StaffOverview:
    """What the Staff & roles window shows, read in one go."""

    staff: list[StaffMember]
    roles: list[RoleInfo]
    locations: list[Location]


class StaffDesk:
    """`unlock_here(code)` lifts this till's own lock on a code (wrong PINs are counted on each
    till); `print_here(member)` queues their staff card on this till's receipt printer. Both
    None where there is no till (screenshots)."""

    def __init__(
        self,
        session: OfficeSession,
        unlock_here: Callable[[str], bool] | None = None,
        print_here: Callable[[StaffMember], None] | None = None,
    ) -> None:
        self.session = session
        self._config = ConfigDesk(session)  # its guard and read checks: one rule for both
        self._unlock_here = unlock_here
        self._print_here = print_here

    def why_not(self, operation_id: str) -> str | None:
        return self.session.why_not(operation_id)

    def overview(self) -> StaffOverview:
        self._config.guard(STAFF)
        return self.session.call(lambda c: StaffOverview(c.staff(), c.roles(), c.locations()))

    # ------------------------------------------------------------------ staff
    def hire(
        self, *, name: str, code: str, pin: str, roles: Iterable[Assignment],
        email: str = "", password: str = "",
    ) -> StaffMember:  # fmt: skip
        """Raises ValidationFailed naming the field (name, code, pin, email, password, roles),
        Conflict (code or e-mail taken), or what the guard raises."""
        self._config.guard(STAFF)
        name = _name(name)
        code = code.strip()
        if not STAFF_CODE.fullmatch(code):
            raise ValidationFailed("A staff code is 1 to 6 digits, e.g. 12",
                                   details={"field": "code"})  # fmt: skip
        check_pin(pin)
        mail = email.strip() or None
        if mail is not None and "@" not in mail:
            raise ValidationFailed("An e-mail address such as ana@shop.example",
                                   details={"field": "email"})  # fmt: skip
        if mail is not None and not password:
            raise ValidationFailed("An e-mail sign-in needs a password too",
                                   details={"field": "password"})  # fmt: skip
        if mail is None and password:
            raise ValidationFailed("Give the e-mail this password signs in with",
                                   details={"field": "email"})  # fmt: skip
        held = _assignments(roles)
        secret = password or None
        return self.session.call(
            lambda c: c.hire(name=name, code=code, pin=pin, roles=held, email=mail, password=secret)
        )

    def rename(self, member: StaffMember, name: str) -> StaffMember:
        self._config.guard(STAFF)
        new = _name(name)
        return self.session.call(lambda c: c.rename_staff(member.id, new))

    def set_roles(self, member: StaffMember, roles: Iterable[Assignment]) -> StaffMember:
        """Replace where and as what someone works: each role at every location or at the
        ones named (Conflict when nobody could manage staff afterwards)."""
        self._config.guard(STAFF)
        held = _assignments(roles)
        return self.session.call(lambda c: c.set_staff_roles(member.id, held))

    def set_email(self, member: StaffMember, email: str, password: str = "") -> StaffMember:
        """Give, change or (`email` empty) take away someone's e-mail sign-in for the back
        office; an empty `password` keeps theirs. Their sessions end on the server when it
        changes. Raises ValidationFailed naming email or password, or Conflict (taken)."""
        self._config.guard(STAFF)
        mail = email.strip() or None
        if mail is not None and "@" not in mail:
            raise ValidationFailed("An e-mail address such as ana@shop.example",
                                   details={"field": "email"})  # fmt: skip
        if mail is None and password:
            raise ValidationFailed("Give the e-mail this password signs in with",
                                   details={"field": "email"})  # fmt: skip
        if mail is not None and member.email is None and not password:
            raise ValidationFailed("An e-mail sign-in needs a password too",
                                   details={"field": "password"})  # fmt: skip
        secret = password or None
        return self.session.call(lambda c: c.set_staff_email(member.id, mail, secret))

    def set_active(self, member: StaffMember, *, active: bool) -> StaffMember:
        """Deactivate someone who left (their PIN stops working once tills sync) or bring
        them back."""
        self._config.guard(STAFF)
        return self.session.call(lambda c: c.set_staff_status(member.id, active=active))

    def set_pin(self, member: StaffMember, pin: str) -> StaffMember:
        self._config.guard(STAFF)
        check_pin(pin)
        return self.session.call(lambda c: c.set_pin(member.id, pin))

    def unlock(self, member: StaffMember) -> str:
        """Lift the locks after too many wrong tries: the e-mail sign-in's on the server and
        the code's on this till. Returns what was done, in words."""
        self._config.guard(STAFF)
        self.session.call(lambda c: c.unlock_staff(member.id))
        here = self._unlock_here(member.code) if self._unlock_here else False
        if here:
            return f"{member.name} can sign in again with code {member.code} on this till"
        return f"{member.name} is not locked on this till; the e-mail sign-in is unlocked"

    def print_card(self, member: StaffMember) -> str:
        """Their staff card on this till's printer: a barcode of their card number that the
        sign-in screen reads from a scanner (the PIN is still asked). Needs no server: the till
        checks that the person signed in here may manage staff. Returns what was done."""
        if self._print_here is None:
            raise Unavailable("staff cards print on a till's receipt printer")
        if not member.active:
            raise ValidationFailed(f"{member.name} is deactivated: reactivate them first")
        self._print_here(member)
        return f"{member.name}'s staff card is printing"

    # ------------------------------------------------------------------ roles
    def create_role(self, name: str, permissions: Iterable[str]) -> RoleInfo:
        self._config.guard(ROLES)
        return self.session.call(lambda c: c.create_role(_role_name(name), _perms(permissions)))

    def rename_role(self, role: RoleInfo, name: str) -> RoleInfo:
        self._config.guard(ROLES)
        new = _role_name(name)
        return self.session.call(lambda c: c.rename_role(role.id, new))

    def set_permissions(self, role: RoleInfo, permissions: Iterable[str]) -> RoleInfo:
        self._config.guard(ROLES)
        perms = _perms(permissions)
        return self.session.call(lambda c: c.set_role_permissions(role.id, perms))

    def delete_role(self, role: RoleInfo) -> None:
        """Conflict naming who holds it, while anybody does."""
        self._config.guard(ROLES)
        self.session.call(lambda c: c.delete_role(role.id))

    def preview(self, role: RoleInfo) -> RolePreview:
        self._config.guard(ROLES)
        return self.session.call(lambda c: c.preview_role(role.id))


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not 2 <= len(name) <= 120:
        raise ValidationFailed("A name of 2 to 120 letters (receipts show it)",
                               details={"field": "name"})  # fmt: skip
    return name


def _role_name(text: str) -> str:
    name = " ".join(text.split())
    if not 2 <= len(name) <= 64:
        raise ValidationFailed("A role name of 2 to 64 letters", details={"field": "role_name"})
    return name


def _perms(permissions: Iterable[str]) -> list[str]:
    chosen = sorted(set(permissions))
    if not chosen:
        raise ValidationFailed("Tick at least one permission", details={"field": "permissions"})
    unknown = set(chosen) - ALL_PERMISSIONS
    if unknown:  # a bug: the window offers known names only
        raise ValidationFailed("unknown permissions", details={"field": "permissions"})
    return chosen


def _assignments(roles: Iterable[Assignment]) -> list[Assignment]:
    held = list(dict.fromkeys(roles))
    if not held:
        raise ValidationFailed("Give them at least one role", details={"field": "roles"})
    return held
