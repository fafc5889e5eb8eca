"""Who is signed in on this terminal and what the tenant allows: read by screens and services."""

from __future__ import annotations

from dataclasses import dataclass

from shared.permissions import ALL_MODULES, ALL_PERMISSIONS


@dataclass(frozen=True)
class SessionContext:
    """The signed-in user, their effective permissions and the tenant's enabled modules."""

    user_name: str
    permissions: frozenset[str]
    enabled_modules: frozenset[str]

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def has_module(self, module: str | None) -> bool:
        return module is None or module in self.enabled_modules


def demo_session() -> SessionContext:
    """Until sign-in lands: a demo manager holding every permission, every module on."""
    return SessionContext("Demo manager", ALL_PERMISSIONS, ALL_MODULES)
