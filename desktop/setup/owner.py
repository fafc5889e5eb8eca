"""The owner's (or a manager's) back-office account on the server, for setting up a till:
sign in with e-mail and password, list or open locations, mint a short-lived enrollment code."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from desktop.net.http import ServerClient, ServerUnreachable
from desktop.setup.errors import SetupField, at
from shared.errors import (
    AuthnError,
    AuthzError,
    Conflict,
    NovaError,
    RateLimited,
    ValidationFailed,
)

CODE_TTL_MINUTES = 10  # the code is used at once by this very till: keep its life short


@dataclass(frozen=True)
class Location:
    id: uuid.UUID
    code: str
    name: str


def _location(body: dict[str, Any]) -> Location:
    return Location(uuid.UUID(str(body["id"])), str(body["code"]), str(body["name"]))


class OwnerSession:
    """A signed-in back-office account; every call raises a refusal with its field."""

    def __init__(
        self,
        server_url: str,
        token: str,
        transport: httpx.BaseTransport | None,
        user_name: str = "",
    ) -> None:
        self.server_url = server_url
        self._token = token
        self._transport = transport
        self.user_name = user_name  # who signed in (the counter-staff step suggests it)

    @classmethod
    def sign_in(
        cls,
        server_url: str,
        *,
        email: str,
        password: str,
        transport: httpx.BaseTransport | None = None,
    ) -> OwnerSession:
        """Raises ValidationFailed (email, password), AuthnError/RateLimited (password),
        Unavailable (server)."""
        email = email.strip()
        if not email:
            raise ValidationFailed(
                "Type the e-mail address you registered with",
                details={"field": SetupField.EMAIL.value},
            )
        if not password:
            raise ValidationFailed(
                "Type your password", details={"field": SetupField.PASSWORD.value}
            )
        try:
            with ServerClient(server_url, transport=transport) as server:
                body = server.post_json("/v1/auth/login", {"email": email, "password": password})
        except ServerUnreachable as exc:
            raise at(SetupField.SERVER, exc) from exc
        except (AuthnError, RateLimited) as exc:
            raise at(SetupField.PASSWORD, exc) from exc
        except ValidationFailed as exc:  # the server's check of the e-mail's shape
            raise at(SetupField.EMAIL, exc, "That is not an e-mail address") from exc
        user = body.get("user") or {}
        return cls(server_url, str(body["token"]), transport, str(user.get("name") or ""))

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """One authenticated call; the server's refusal is raised as its taxonomy class."""
        return self._call(method, path, body)

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {self._token}"}
        with ServerClient(self.server_url, transport=self._transport) as server:
            response = server.request(method, path, headers=headers, json=body)
        return response.json()

    def locations(self) -> list[Location]:
        """The locations this account may see. Raises Unavailable (server), AuthnError
        (password: the session ended)."""
        try:
            rows = self._call("GET", "/v1/locations")
        except ServerUnreachable as exc:
            raise at(SetupField.SERVER, exc) from exc
        except AuthnError as exc:
            raise at(SetupField.PASSWORD, exc, "Sign in again") from exc
        return [_location(row) for row in rows]

    def create_location(self, *, code: str, name: str) -> Location:
        """Open a location. Raises ValidationFailed/Conflict (location_code, location_name),
        AuthzError (location), Unavailable (server)."""
        code, name = code.strip(), name.strip()
        if not code:
            raise ValidationFailed(
                "Give the location a short code, e.g. MAIN or BERLIN-1",
                details={"field": SetupField.LOCATION_CODE.value},
            )
        if not name:
            raise ValidationFailed(
                "Give the location a name, e.g. Café Müller, Market Street",
                details={"field": SetupField.LOCATION_NAME.value},
            )
        try:
            return _location(self._call("POST", "/v1/locations", {"code": code, "name": name}))
        except ServerUnreachable as exc:
            raise at(SetupField.SERVER, exc) from exc
        except Conflict as exc:
            raise at(SetupField.LOCATION_CODE, exc) from exc
        except ValidationFailed as exc:
            where = " ".join(str(x) for x in exc.details.get("loc", []))
            where += str(exc.details.get("field", "")) + exc.message
            if "name" in where:
                raise at(SetupField.LOCATION_NAME, exc, "Use a name of 1 to 120 letters") from exc
            raise at(
                SetupField.LOCATION_CODE,
                exc,
                "Use 1 to 16 letters, digits or dashes for the code",
            ) from exc
        except AuthzError as exc:
            raise at(SetupField.LOCATION, exc, "Your account may not open locations") from exc

    def enrollment_code(self, location_id: uuid.UUID) -> str:
        """A one-time code for a till at `location_id`, valid a few minutes. Raises AuthzError
        (location), Unavailable (server)."""
        body = {"location_id": str(location_id), "ttl_minutes": CODE_TTL_MINUTES}
        try:
            return str(self._call("POST", "/v1/devices/enrollment-codes", body)["code"])
        except ServerUnreachable as exc:
            raise at(SetupField.SERVER, exc) from exc
        except AuthnError as exc:
            raise at(SetupField.PASSWORD, exc, "Sign in again") from exc
        except AuthzError as exc:
            raise at(
                SetupField.LOCATION, exc, "Your account may not set up tills at this location"
            ) from exc
        except NovaError as exc:
            raise at(SetupField.LOCATION, exc) from exc
