"""Bodies of the staff and roles endpoints."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field, field_validator, model_validator

from shared.permissions import ALL_PERMISSIONS
from syncserver.auth.schemas import Email


def _known(values: list[str]) -> list[str]:
    unknown = sorted(set(values) - ALL_PERMISSIONS)
    if unknown:
        raise ValueError(f"unknown permissions: {', '.join(unknown)}")
    return sorted(set(values))


class RoleIn(BaseModel):
    name: str = Field(min_length=2, max_length=64)
    permissions: list[str]

    _check = field_validator("permissions")(classmethod(lambda _cls, v: _known(v)))


class RoleNameIn(BaseModel):
    name: str = Field(min_length=2, max_length=64)


class RolePermissionsIn(BaseModel):
    permissions: list[str]

    _check = field_validator("permissions")(classmethod(lambda _cls, v: _known(v)))


class RoleOut(BaseModel):
    id: uuid.UUID
    name: str
    permissions: list[str]


class ScreenOut(BaseModel):
    id: str
    title: str
    mode: str


class RolePreviewOut(BaseModel):
    role: RoleOut
    navigation: list[ScreenOut]


class Assignment(BaseModel):
    role_id: uuid.UUID
    location_id: uuid.UUID | None = None  # None: all locations


class StaffIn(BaseModel):
    name: str = Field(min_length=2, max_length=120)
    code: str = Field(pattern=r"^[0-9]{1,6}$", description="what the cashier types before the PIN")
    pin: str = Field(pattern=r"^[0-9]{4,8}$")
    roles: list[Assignment] = Field(min_length=1)
    # Optional: an e-mail sign-in for the till's back office (managers; a cashier given one is
    # refused there by what their roles hold, not by this field).
    email: Email | None = None
    password: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _email_with_password(self) -> StaffIn:
        if (self.email is None) != (self.password is None):
            raise ValueError("an e-mail sign-in needs both email and password")
        return self


class StaffOut(BaseModel):
    id: uuid.UUID
    name: str
    code: str
    email: str | None = None
    status: str = "active"  # active or disabled
    roles: list[Assignment]


class StaffRolesIn(BaseModel):
    roles: list[Assignment] = Field(min_length=1)


class StaffNameIn(BaseModel):
    name: str = Field(min_length=2, max_length=120)


class StaffEmailIn(BaseModel):
    """`email` None takes the e-mail sign-in away; `password` None keeps the one it has."""

    email: Email | None
    password: str | None = Field(default=None, max_length=200)


class StaffPinIn(BaseModel):
    # The weak-PIN rule (shared/pins.py) is checked in the service, with its words.
    pin: str = Field(max_length=8)


class StaffStatusIn(BaseModel):
    active: bool = Field(strict=True)


class MeOut(BaseModel):
    """The signed-in person and what they hold: the till's back office reads it after sign-in."""

    id: uuid.UUID
    name: str
    email: str | None
    tenant_id: uuid.UUID
    business_name: str
    country: str
    currency: str
    timezone: str
    permissions: list[str]  # held for every location
    location_permissions: dict[str, list[str]]  # location id -> held at that location only
    modules: list[str]
