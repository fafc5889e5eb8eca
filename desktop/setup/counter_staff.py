"""The first people who sign in at a new business's counter, made by the owner during set-up.

A business fresh from registration has an owner with an e-mail and a password, and nobody with a
staff code and PIN: an enrolled till would open on a sign-in nobody can pass. So the owner's
set-up path ends by giving the owner a counter code and PIN (the owner role, every location) and,
if they like, a first cashier (the cashier role, this till's location). Both are made on the
server (`POST /v1/staff`) and reach the till with the next pull, like any staff change.

Saving again after a half-done attempt (the cashier refused after the owner was made) is safe:
a person already on record with the same code and name is taken as done, not made twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from desktop.net.http import ServerUnreachable
from desktop.setup.errors import SetupField, at
from desktop.setup.owner import OwnerSession
from shared.errors import AuthnError, Conflict, NovaError, ValidationFailed
from shared.pins import check_pin


@dataclass(frozen=True)
class Person:
    """Who signs in at the counter: a name, the code typed before the PIN, the PIN."""

    name: str
    code: str
    pin: str


# Where each person's mistakes are shown.
_FIELDS = {
    "you": (SetupField.STAFF_NAME, SetupField.STAFF_CODE, SetupField.STAFF_PIN),
    "cashier": (SetupField.CASHIER_NAME, SetupField.CASHIER_CODE, SetupField.CASHIER_PIN),
}


def check(person: Person, who: str) -> Person:
    """The same rules as the server, said before anything is sent."""
    name_field, code_field, pin_field = _FIELDS[who]
    name, code, pin = person.name.strip(), person.code.strip(), person.pin.strip()
    if not 2 <= len(name) <= 120:
        raise ValidationFailed(
            "Type a name of 2 to 120 letters (receipts show it)",
            details={"field": name_field.value},
        )
    if not (code.isdigit() and 1 <= len(code) <= 6):
        raise ValidationFailed(
            "A staff code is 1 to 6 digits, e.g. 1", details={"field": code_field.value}
        )
    check_pin(pin, field=pin_field.value)  # the server's rule: weak PINs are refused there too
    return Person(name, code, pin)


def staff_on_record(owner: OwnerSession) -> list[dict[str, Any]]:
    try:
        rows: list[dict[str, Any]] = owner.call("GET", "/v1/staff")
    except ServerUnreachable as exc:
        raise at(SetupField.SYNC, exc) from exc
    return rows


def add(
    owner: OwnerSession, *, you: Person, cashier: Person | None, location_id: uuid.UUID | None
) -> list[str]:
    """Make the owner's counter sign-in and the optional cashier; returns the names made.

    Raises:
        ValidationFailed / Conflict: at the field of the person and value refused.
        Unavailable: the server cannot be reached (nothing is lost: save again).
    """
    people = [("you", check(you, "you"))]
    if cashier is not None:
        people.append(("cashier", check(cashier, "cashier")))
    if cashier is not None and people[0][1].code == people[1][1].code:
        raise ValidationFailed(
            "Each person needs their own code", details={"field": SetupField.CASHIER_CODE.value}
        )
    roles = {str(r["name"]): str(r["id"]) for r in _roles(owner)}
    on_record = {(str(s["code"]), str(s["name"])) for s in staff_on_record(owner)}
    made: list[str] = []
    for who, person in people:
        if (person.code, person.name) in on_record:
            continue  # made by an attempt that stopped half-way
        if who == "you":
            assignment = {"role_id": roles["owner"], "location_id": None}
        else:
            place = str(location_id) if location_id is not None else None
            assignment = {"role_id": roles["cashier"], "location_id": place}
        body = {
            "name": person.name,
            "code": person.code,
            "pin": person.pin,
            "roles": [assignment],
        }
        _create(owner, body, _FIELDS[who])
        made.append(person.name)
    return made


def _roles(owner: OwnerSession) -> list[dict[str, Any]]:
    try:
        rows: list[dict[str, Any]] = owner.call("GET", "/v1/roles")
    except ServerUnreachable as exc:
        raise at(SetupField.SYNC, exc) from exc
    missing = {"owner", "cashier"} - {str(r["name"]) for r in rows}
    if missing:
        raise Conflict(
            f"The business has no {' or '.join(sorted(missing))} role: add the staff in the "
            "back office instead",
            details={"field": SetupField.STAFF_NAME.value},
        )
    return rows


def _create(
    owner: OwnerSession, body: dict[str, Any], fields: tuple[SetupField, SetupField, SetupField]
) -> None:
    name_field, code_field, pin_field = fields
    try:
        owner.call("POST", "/v1/staff", body)
    except ServerUnreachable as exc:
        raise at(SetupField.SYNC, exc) from exc
    except Conflict as exc:
        raise at(
            code_field, exc, f"Code {body['code']} is taken by someone else: pick another"
        ) from exc
    except ValidationFailed as exc:
        where = " ".join(str(x) for x in exc.details.get("loc", []))
        field = pin_field if "pin" in where else code_field if "code" in where else name_field
        raise at(field, exc) from exc
    except AuthnError as exc:
        raise at(SetupField.PASSWORD, exc, "Sign in again") from exc
    except NovaError as exc:
        raise at(name_field, exc) from exc
