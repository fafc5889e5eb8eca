"""The owner's or manager's server session on this till: e-mail sign-in, token in memory only.

Staff code + PIN (`desktop/session.py`) stays the way into counter work; this session is only
for what the server must do (locations, taxes, selling rules…, see `rules.py`). The bearer
token lives in this object and nowhere else — never on disk — and `sign_out` (the till locks,
goes idle or closes) forgets it and ends it on the server when it can.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from typing import TypeVar

import httpx

from desktop.net.http import ServerUnreachable
from desktop.office import rules
from desktop.office.client import OfficeClient
from desktop.office.models import OfficeUser
from shared.errors import AuthnError, AuthzError, NovaError, ValidationFailed

log = logging.getLogger("desktop.office")
T = TypeVar("T")

# Holding one of these for every location makes an account a back-office account; a cashier's
# e-mail account holds none and is sent to the counter.
BACK_OFFICE = frozenset(op.permission for op in rules.OPERATIONS if op.needs is rules.Needs.SERVER)
COUNTER_ONLY = (
    "This account is for the counter: sign in there with your staff code and PIN. "
    "The back office needs an owner's or manager's account."
)
OTHER_BUSINESS = "This account belongs to another business than this till"
OPERATOR = "This is a Nova operator account: sign in with your business's account"
EXPIRED = "Your sign-in has ended: sign in again with your e-mail"


class OfficeSession:
    """Signed in or not, online or not; every server call of the back office goes through
    `call`, which keeps both states true.

    Args:
        server_url: the server this till is enrolled with (None: not enrolled).
        tenant_id: the business this till belongs to (an account of another one is refused).
        transport: injectable httpx transport (tests pass the server app's).
    """

    def __init__(
        self,
        server_url: str | None,
        tenant_id: uuid.UUID | None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.tenant_id = tenant_id
        self._client = OfficeClient(server_url, transport=transport) if server_url else None
        self._lock = threading.Lock()  # calls come from worker threads, sign-out from the UI
        self.user: OfficeUser | None = None
        self.online = self._client is not None

    @property
    def connected(self) -> bool:
        return self._client is not None

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    def why_not(self, operation_id: str) -> str | None:
        """The reason `operation_id` cannot run now (see `rules.why_not`), or None."""
        user = self.user
        return rules.why_not(
            operation_id,
            connected=self.connected,
            online=self.online,
            signed_in=user is not None,
            permissions=user.permissions if user else frozenset(),
        )

    def set_online(self, online: bool) -> None:
        """What the sync worker last saw: a till that cannot sync cannot configure either."""
        self.online = online and self.connected

    def sign_in(self, email: str, password: str) -> OfficeUser:
        """Sign in with an e-mail; refuses cashiers and accounts of other businesses.

        Raises:
            ValidationFailed: an empty e-mail or password (details.field names it).
            AuthnError: wrong e-mail or password, a locked or disabled account
                (details.field "password").
            AuthzError: a counter-only account or another business's (nothing stays signed in).
            ServerUnreachable: offline.
        """
        email = email.strip()
        if not email or "@" not in email:
            raise ValidationFailed("Enter your e-mail address", details={"field": "email"})
        if not password:
            raise ValidationFailed("Enter your password", details={"field": "password"})
        client = self._require_client()
        self.sign_out()
        try:
            token = self._track(lambda: client.login(email, password))
        except AuthnError as exc:
            raise AuthnError(_sentence(exc.message), details={"field": "password"}) from exc
        with self._lock:
            client.token = token
        try:
            user = self._track(client.me)
        except AuthzError as exc:  # a superadmin: not a shop's account
            self._end(client)
            raise AuthzError(OPERATOR, details={"field": "email"}) from exc
        if self.tenant_id is not None and user.tenant_id != self.tenant_id:
            self._end(client)
            raise AuthzError(OTHER_BUSINESS, details={"field": "email"})
        if not user.permissions & BACK_OFFICE:
            self._end(client)
            raise AuthzError(COUNTER_ONLY, details={"field": "email"})
        self.user = user
        log.info("back office: %s signed in", user.email)
        return user

    def sign_out(self) -> None:
        """Forget the token now; end it on the server when it answers (a dead network must
        not keep a token alive in memory)."""
        client = self._client
        if client is None or client.token is None:
            self.user = None
            return
        self._end(client)
        log.info("back office: signed out")

    def call(self, action: Callable[[OfficeClient], T]) -> T:
        """Run one server call for the signed-in user, keeping `online`/`signed_in` true.

        Raises:
            AuthnError: not signed in, or the server ended the session (now signed out).
            ServerUnreachable: offline (now marked offline).
            NovaError: whatever the server refused, typed.
        """
        client = self._require_client()
        if self.user is None or client.token is None:
            raise AuthnError(rules.SIGN_IN)
        try:
            return self._track(lambda: action(client))
        except AuthnError as exc:
            self.user = None
            with self._lock:
                client.token = None
            raise AuthnError(EXPIRED) from exc

    def probe(self) -> bool:
        """Ask the server whether it is there; returns (and records) online."""
        client = self._client
        if client is None:
            return False
        try:
            self._track(client.health)
        except ServerUnreachable:
            return False
        return True

    def close(self) -> None:
        """The app closes: sign out, then drop the connection."""
        self.sign_out()
        if self._client is not None:
            self._client.close()

    # ------------------------------------------------------------------ internals
    def _require_client(self) -> OfficeClient:
        if self._client is None:
            raise ServerUnreachable(rules.NOT_CONNECTED)
        return self._client

    def _track(self, action: Callable[[], T]) -> T:
        try:
            result = action()
        except ServerUnreachable as exc:
            self.online = False
            raise ServerUnreachable(rules.OFFLINE, details=exc.details) from exc
        self.online = True
        return result

    def _end(self, client: OfficeClient) -> None:
        with self._lock:
            token, client.token = client.token, None
        self.user = None
        if token is None:
            return
        try:
            client.logout(token)
        except NovaError as exc:  # offline or already ended: the token is forgotten anyway
            log.info("back office: sign-out not confirmed by the server (%s)", exc.message)


def _sentence(message: str) -> str:
    """Server messages are lower-case fragments ("wrong e-mail or password"); show a sentence."""
    return message[:1].upper() + message[1:] if message else message
