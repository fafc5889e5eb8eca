"""The set-up desk (Qt-free): everything the first-run window does, one blocking call per step.

Screens call each step from a worker thread (the network may take seconds) and show a refusal
next to the field named in `details["field"]` (see `desktop.setup.errors`). Nothing is
half-enrolled: the device credential and the server binding are stored only once the server has
enrolled the till; a first sync that fails leaves an enrolled till, and `first_sync` again (a
"Try again", or the next start) resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import httpx

from desktop.db.uow import UnitOfWork
from desktop.net.http import ServerUnreachable
from desktop.setup import counter_staff
from desktop.setup.demo_mode import WIPED, is_demo, start_demo, wipe_demo
from desktop.setup.errors import SetupField, at
from desktop.setup.owner import Location, OwnerSession
from desktop.setup.server_probe import ServerInfo, host_of, probe
from desktop.sync.credentials import CredentialStore
from desktop.sync.engine import load_state
from desktop.sync.setup import build_engine, enroll_terminal
from desktop.sync.till_config import location as till_location
from desktop.till.demo import is_configured
from desktop.till.runner import Runner
from shared.errors import (
    AuthnError,
    Conflict,
    NovaError,
    RateLimited,
    ValidationFailed,
)

__all__ = ["WIPED", "Enrolled", "Location", "ServerInfo", "SetupDesk", "Stage"]
BAD_CODE = (
    "This enrollment code is not valid: it is wrong, expired or already used. "
    "Ask a manager for a new one"
)


class Stage(StrEnum):
    """Where a till stands when it starts."""

    FRESH = "fresh"  # never set up: the first-run choice
    DEMO = "demo"  # the practice till
    SYNCING = "syncing"  # enrolled, its selling settings have not arrived yet
    READY = "ready"  # set up for selling


@dataclass(frozen=True)
class Enrolled:
    server_url: str
    till_name: str
    location: Location | None  # None on the code path (the code names it; the sync brings it)


class SetupDesk:
    def __init__(
        self,
        runner: Runner,
        store: CredentialStore,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.runner = runner
        self.store = store
        self.transport = transport  # tests: the server app in process
        self.server: ServerInfo | None = None
        self.owner: OwnerSession | None = None

    # ------------------------------------------------------------------ where the till stands
    def stage(self) -> Stage:
        return self.runner.read(stage_of)

    def is_demo(self) -> bool:
        return self.runner.read(is_demo)

    def is_ready(self) -> bool:
        return self.stage() in {Stage.READY, Stage.DEMO}

    # ------------------------------------------------------------------ the demo
    def start_demo(self) -> bool:
        """Load the demo shop and mark the till as a demo (see `demo_mode.start_demo`)."""
        return self.runner.run(start_demo)

    def wipe_demo(self) -> None:
        """Delete the demo's data in one transaction (the screen has asked for confirmation)."""
        self.runner.run(wipe_demo)

    # ------------------------------------------------------------------ the server
    def check_server(self, address: str) -> ServerInfo:
        """Raises ValidationFailed or Unavailable, both at the server field."""
        self.server = probe(address, transport=self.transport)
        self.owner = None
        return self.server

    def _server(self) -> ServerInfo:
        if self.server is None:
            raise ValidationFailed(
                "Type the server address first", details={"field": SetupField.SERVER.value}
            )
        return self.server

    # ------------------------------------------------------------------ the owner's path
    def sign_in_owner(self, *, email: str, password: str) -> list[Location]:
        """Sign in to the back office; returns the locations to choose from."""
        self.owner = OwnerSession.sign_in(
            self._server().url, email=email, password=password, transport=self.transport
        )
        return self.owner.locations()

    def _owner(self) -> OwnerSession:
        if self.owner is None:
            raise AuthnError("Sign in first", details={"field": SetupField.PASSWORD.value})
        return self.owner

    def create_location(self, *, code: str, name: str) -> Location:
        return self._owner().create_location(code=code, name=name)

    def enroll_as_owner(self, *, location: Location, till_name: str) -> Enrolled:
        """A fresh code for `location` from the owner's account, traded at once for this
        till's credential."""
        owner = self._owner()
        _check_name(till_name)
        code = owner.enrollment_code(location.id)
        self._enroll(code, till_name, code_field=SetupField.LOCATION)
        return Enrolled(owner.server_url, till_name.strip(), location)

    # ------------------------------------------------------------------ a manager's code
    def enroll_with_code(self, *, code: str, till_name: str) -> Enrolled:
        """Enroll with a one-time code a manager made in the back office."""
        server = self._server()
        if not code.strip():
            raise ValidationFailed(
                "Type the enrollment code a manager gave you, e.g. ABCDE-FGHJK",
                details={"field": SetupField.CODE.value},
            )
        _check_name(till_name)
        self._enroll(code.strip(), till_name, code_field=SetupField.CODE)
        return Enrolled(server.url, till_name.strip(), None)

    def _enroll(self, code: str, till_name: str, *, code_field: SetupField) -> None:
        url = self._server().url
        try:
            enroll_terminal(
                self.runner, self.store, server_url=url, code=code, name=till_name.strip(),
                transport=self.transport,
            )  # fmt: skip
        except ServerUnreachable as exc:
            raise at(
                SetupField.SERVER, exc, f"Cannot reach {host_of(url)}: check the network"
            ) from exc
        except Conflict as exc:
            if exc.details.get("field") == "name":
                raise at(
                    SetupField.NAME,
                    exc,
                    f"Another till of this business is already called {till_name.strip()}: "
                    "pick another name",
                ) from exc
            raise
        except (AuthnError, RateLimited) as exc:
            raise at(code_field, exc, BAD_CODE if isinstance(exc, AuthnError) else None) from exc
        except ValidationFailed as exc:
            where = " ".join(str(x) for x in exc.details.get("loc", [])) + exc.message
            if "name" in where:
                raise at(SetupField.NAME, exc, "Use a till name of 1 to 120 letters") from exc
            raise at(code_field, exc, BAD_CODE) from exc

    # ------------------------------------------------------------------ the first sync
    def first_sync(self, progress: Callable[[float], None] | None = None) -> bool:
        """Bring staff, catalog and settings from the server (resumes where a failed one
        stopped); returns whether the till can sell now (its selling settings arrived).

        Raises:
            NovaError: at the sync field; the till stays enrolled, call again to retry.
        """
        report = progress or (lambda _f: None)
        report(0.0)
        try:
            engine = build_engine(self.runner, self.store, transport=self.transport,
                                  progress=report)  # fmt: skip
        except NovaError as exc:
            raise at(SetupField.SYNC, exc) from exc
        try:
            engine.run_once(health=False)
        except ServerUnreachable as exc:
            url = self.runner.read(load_state)
            host = host_of(url.server_url) if url is not None else "the server"
            raise at(
                SetupField.SYNC,
                exc,
                f"Cannot reach {host}: this till is set up and finishes its first sync when "
                "the server answers. Try again",
            ) from exc
        except NovaError as exc:
            raise at(SetupField.SYNC, exc) from exc
        finally:
            engine.client.close()
        report(1.0)
        return self.stage() is Stage.READY

    # ------------------------------------------------------------------ the first counter staff
    def needs_counter_staff(self) -> bool:
        """On the owner's path: whether the business has nobody who can sign in at a counter
        yet (a new business); the owner then makes their own code and PIN and a cashier."""
        if self.owner is None:
            return False
        return not counter_staff.staff_on_record(self.owner)

    def add_counter_staff(
        self,
        *,
        you: counter_staff.Person,
        cashier: counter_staff.Person | None,
        progress: Callable[[float], None] | None = None,
    ) -> list[str]:
        """Make them on the server, then pull them (the till's sign-in knows them at once)."""
        here = self.runner.read(till_location)
        made = counter_staff.add(
            self._owner(), you=you, cashier=cashier, location_id=here.id if here else None
        )
        self.first_sync(progress)
        return made


def _check_name(name: str) -> None:
    if not name.strip():
        raise ValidationFailed(
            "Name this till, e.g. Counter 1 (receipts and reports show it)",
            details={"field": SetupField.NAME.value},
        )


def stage_of(uow: UnitOfWork) -> Stage:
    if is_demo(uow):
        return Stage.DEMO
    if is_configured(uow):
        return Stage.READY
    return Stage.SYNCING if load_state(uow) is not None else Stage.FRESH
