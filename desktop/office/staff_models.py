"""Staff and roles as the back office reads them from the server (parsed once, at the edge)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Assignment:
    role_id: uuid.UUID
    location_id: uuid.UUID | None  # None: every location

    @classmethod
    def parse(cls, row: dict[str, Any]) -> Assignment:
        loc = row.get("location_id")
        return cls(uuid.UUID(str(row["role_id"])), uuid.UUID(str(loc)) if loc else None)

    def body(self) -> dict[str, str | None]:
        return {"role_id": str(self.role_id),
                "location_id": str(self.location_id) if self.location_id else None}  # fmt: skip


@dataclass(frozen=True)
class StaffMember:
    id: uuid.UUID
    name: str
    code: str
    email: str | None
    active: bool
    roles: tuple[Assignment, ...]

    @classmethod
    def parse(cls, row: dict[str, Any]) -> StaffMember:
        return cls(
            id=uuid.UUID(str(row["id"])),
            name=str(row["name"]),
            code=str(row["code"]),
            email=row.get("email"),
            active=row.get("status", "active") == "active",
            roles=tuple(Assignment.parse(a) for a in row["roles"]),
        )


@dataclass(frozen=True)
class RoleInfo:
    id: uuid.UUID
    name: str
    permissions: frozenset[str]

    @classmethod
    def parse(cls, row: dict[str, Any]) -> RoleInfo:
        return cls(uuid.UUID(str(row["id"])), str(row["name"]), frozenset(row["permissions"]))


@dataclass(frozen=True)
class PreviewScreen:
    id: str
    title: str
    mode: str  # "terminal" or "back_office"


@dataclass(frozen=True)
class RolePreview:
    """What a holder of the role gets: the screens the shell shows them (the server filters
    `shared.navigation.SCREENS` with `visible_screens`, the rule the till's shell applies, and
    the business's modules), and the back-office operations their permissions allow."""

    role: RoleInfo
    screens: tuple[PreviewScreen, ...]

    @classmethod
    def parse(cls, row: dict[str, Any]) -> RolePreview:
        screens = tuple(
            PreviewScreen(str(s["id"]), str(s["title"]), str(s["mode"])) for s in row["navigation"]
        )
        return cls(RoleInfo.parse(row["role"]), screens)
