"""`/v1/business/settings`: the receipt header and footer every till of the business prints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, field_validator

from shared.permissions import Permission
from syncserver.auth.deps import DbSession, client_ip
from syncserver.business import service
from syncserver.tenancy import Subject, member, require

router = APIRouter(prefix="/v1/business", tags=["business"])


class SettingsIn(BaseModel):
    receipt_name: str = Field(min_length=1, max_length=120)
    address_lines: list[Annotated[str, Field(max_length=48)]] = Field(default=[], max_length=4)
    tax_id: str = Field(default="", max_length=40)
    receipt_footer: str = Field(default=service.DEFAULT_FOOTER, max_length=200)

    @field_validator("receipt_name", "tax_id", "receipt_footer")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class SettingsOut(SettingsIn):
    pass


def _out(settings: service.Settings) -> SettingsOut:
    return SettingsOut(
        receipt_name=settings.receipt_name or "-",
        address_lines=settings.address_lines,
        tax_id=settings.tax_id,
        receipt_footer=settings.receipt_footer,
    )


@router.get("/settings", response_model=SettingsOut)
def read_settings(session: DbSession, subject: Annotated[Subject, Depends(member)]) -> SettingsOut:
    return _out(service.current(session, subject.tenant_id))


@router.put("/settings", response_model=SettingsOut)
def change_settings(
    body: SettingsIn,
    session: DbSession,
    subject: Annotated[Subject, Depends(require(Permission.SETTINGS_MANAGE))],
    ip: Annotated[str | None, Depends(client_ip)],
) -> SettingsOut:
    """Saved settings reach every till with its next sync (the `settings` document)."""
    new = service.Settings(
        body.receipt_name,
        [line.strip() for line in body.address_lines if line.strip()],
        body.tax_id,
        body.receipt_footer,
    )
    return _out(service.change(session, subject, new, ip=ip))
