"""The counter opened read-only as a role (Staff & roles → Roles → Open the counter as…): the
same screens, navigation and buttons a holder of the role gets, over this till's real data, but
nothing can be written — every write is refused with words that say it is a preview, before
it touches the database. No card terminal, printer or drawer is driven from it.

The writes all pass `Runner.run`, so refusing there covers every screen without a flag in each
one; reads go through as usual, so the preview shows today's items, sales and shift.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from desktop.db.uow import UnitOfWork
from desktop.staff.service import Actor
from desktop.till.counter import Counter
from desktop.till.runner import Runner
from shared.errors import AuthzError
from shared.ids import uuid7

T = TypeVar("T")


def refusal(role_name: str) -> str:
    return f"This is a preview of the role {role_name}: nothing is sold, saved or printed"


class ReadOnlyRunner(Runner):
    """Reads as the till's runner does; refuses every write."""

    def __init__(self, runner: Runner, role_name: str) -> None:
        super().__init__(runner.engine, runner.clock)
        self.role_name = role_name

    def run(self, operation: Callable[[UnitOfWork], T]) -> T:  # noqa: ARG002 — refused unread
        raise AuthzError(refusal(self.role_name), details={"preview": True})


def preview_counter(runner: Runner, role_name: str, permissions: Iterable[str]) -> Counter:
    """A counter "signed in" as someone holding exactly `permissions`, with no printer or
    drawer, over a runner that writes nothing."""
    counter = Counter(ReadOnlyRunner(runner, role_name), printer=False, drawer_pin=None)
    counter.actor = Actor(uuid7(), f"Preview: {role_name}", frozenset(permissions))
    return counter
