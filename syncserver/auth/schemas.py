"""Request and response bodies of the auth endpoints (validated at the edge)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, Field, field_validator

from shared.currency import MINOR_UNITS

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def normalize_email(value: str) -> str:
    value = value.strip().lower()
    if not EMAIL.fullmatch(value) or len(value) > 254:
        raise ValueError("not a valid e-mail address")
    return value


Email = Annotated[str, AfterValidator(normalize_email)]


class RegisterIn(BaseModel):
    business_name: str = Field(min_length=2, max_length=120)
    owner_name: str = Field(min_length=2, max_length=120)
    email: Email
    password: str = Field(max_length=200)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2, e.g. DE")
    currency: str
    timezone: str

    @field_validator("business_name", "owner_name")
    @classmethod
    def _trim(cls, value: str) -> str:
        value = " ".join(value.split())
        if len(value) < 2:
            raise ValueError("at least 2 characters")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if value not in MINOR_UNITS:
            raise ValueError("an ISO 4217 code such as EUR")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("an IANA time zone such as Europe/Berlin") from None
        return value


class RegistrationOut(BaseModel):
    id: uuid.UUID
    business_name: str
    owner_name: str
    email: str
    country: str
    currency: str
    timezone: str
    status: str
    created_at: datetime
    decided_at: datetime | None = None
    decision_reason: str | None = None
    tenant_id: uuid.UUID | None = None


class LoginIn(BaseModel):
    email: Email
    password: str = Field(max_length=200)


class UserOut(BaseModel):
    id: uuid.UUID
    email: str | None
    name: str
    tenant_id: uuid.UUID | None
    is_superadmin: bool


class LoginOut(BaseModel):
    token: str
    expires_at: datetime
    user: UserOut


class TokenIn(BaseModel):
    token: str = Field(min_length=10, max_length=200)
