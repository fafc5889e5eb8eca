"""`/v1/business/settings` and `/v1/business/logo`: the receipt header, footer and logo every
till of the business prints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field, field_validator

from shared.errors import NotFound
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


class LogoOut(BaseModel):
    width: int
    height: int
    bytes: int


async def _raw_body(request: Request) -> bytes:
    # Read in an async dependency so the endpoint itself stays sync (its DB work runs in the
    # thread pool, not on the event loop).
    return await request.body()


LOGO_TYPES = ("image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp")


@router.put(
    "/logo",
    response_model=LogoOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The image file itself, up to 512 KB.",
            "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in LOGO_TYPES},
        }
    },
)
def upload_logo(
    raw: Annotated[bytes, Depends(_raw_body)],
    session: DbSession,
    subject: Annotated[Subject, Depends(require(Permission.SETTINGS_MANAGE))],
    ip: Annotated[str | None, Depends(client_ip)],
) -> LogoOut:
    """The request body is the image file (PNG, JPEG, GIF, BMP or WebP, up to 512 KB). It is
    stored receipt-ready — black and white, at most 384 × 160 dots — and reaches every till
    with its next sync; printers set up for a logo print it above the receipt."""
    service.set_logo(session, subject, raw, ip=ip)
    return _logo_out(service.logo(session, subject.tenant_id) or b"")


@router.get("/logo", responses={200: {"content": {"image/png": {}}}})
def read_logo(session: DbSession, subject: Annotated[Subject, Depends(member)]) -> Response:
    """The receipt logo as tills print it (404 when there is none)."""
    png = service.logo(session, subject.tenant_id)
    if png is None:
        raise NotFound("no logo has been uploaded")
    return Response(png, media_type="image/png")


@router.delete("/logo", status_code=204)
def delete_logo(
    session: DbSession,
    subject: Annotated[Subject, Depends(require(Permission.SETTINGS_MANAGE))],
    ip: Annotated[str | None, Depends(client_ip)],
) -> Response:
    service.set_logo(session, subject, None, ip=ip)
    return Response(status_code=204)


def _logo_out(png: bytes) -> LogoOut:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return LogoOut(width=image.width, height=image.height, bytes=len(png))
