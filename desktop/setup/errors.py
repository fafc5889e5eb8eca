"""Set-up refusals carry the field they belong next to (`details["field"]`), in plain words."""

from __future__ import annotations

from enum import StrEnum

from desktop.net.http import ServerUnreachable
from shared.errors import NovaError, RateLimited, Unavailable


class SetupField(StrEnum):
    """Where the set-up screens show an error: next to the input it is about."""

    SERVER = "server"
    EMAIL = "email"
    PASSWORD = "password"
    CODE = "code"  # the one-time enrollment code
    LOCATION = "location"  # the picked location
    LOCATION_CODE = "location_code"
    LOCATION_NAME = "location_name"
    NAME = "name"  # the till's name
    SYNC = "sync"  # the first sync (a "Try again" on the progress page)
    STAFF_NAME = "staff_name"  # the owner's own counter sign-in
    STAFF_CODE = "staff_code"
    STAFF_PIN = "staff_pin"
    CASHIER_NAME = "cashier_name"  # the optional first cashier
    CASHIER_CODE = "cashier_code"
    CASHIER_PIN = "cashier_pin"


def plain(message: str) -> str:
    """A server message as a sentence: capital first letter (the server writes lower case)."""
    return message[:1].upper() + message[1:] if message else message


def at(field: SetupField, error: NovaError, message: str | None = None) -> NovaError:
    """The same kind of refusal, now saying which field it belongs to (and maybe new words).

    A `ServerUnreachable` becomes `Unavailable`: the world's fault, worth a retry.
    """
    details = {**error.details, "field": field.value}
    text = plain(message or error.message)
    if isinstance(error, RateLimited):
        return RateLimited(
            text, retry_after=error.retry_after, details=details, request_id=error.request_id
        )
    kind = Unavailable if isinstance(error, ServerUnreachable) else type(error)
    return kind(text, details=details, request_id=error.request_id)


def field_of(error: NovaError) -> SetupField | None:
    """The field an error belongs to, or None (then it is shown at the top of the page)."""
    value = error.details.get("field")
    return SetupField(str(value)) if value in SetupField._value2member_map_ else None
