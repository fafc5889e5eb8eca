"""`/v1/catalog/items/{id}/image` (upload, remove: catalog.edit) and `/v1/catalog/images/{sha256}`
(the bytes, for enrolled tills and the back office)."""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel

from shared.errors import NotFound, ValidationFailed
from shared.permissions import Permission
from shared.tile_image import MAX_UPLOAD_BYTES, MEDIA_TYPES, too_large
from syncserver.auth.deps import DbSession, client_ip, current_user
from syncserver.catalog import images
from syncserver.catalog.access import catalog_reader
from syncserver.devices.service import authenticate
from syncserver.tenancy import Subject, member, require

router = APIRouter(prefix="/v1/catalog", tags=["catalog"])
Editor = Annotated[Subject, Depends(require(Permission.CATALOG_EDIT))]
Ip = Annotated[str | None, Depends(client_ip)]
# The one catalog body larger than the server's usual limit (see create_app's BodyLimitMiddleware).
UPLOAD_PATH = re.compile(r"/v1/catalog/items/[^/]+/image")
UPLOAD_LIMIT = (MAX_UPLOAD_BYTES, too_large)
ACCEPTED = tuple(MEDIA_TYPES.values())
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-fA-F]{64}$")]
# A picture's bytes never change under its hash: tills and browsers may keep it for good.
IMMUTABLE = "private, max-age=31536000, immutable"


class ImageOut(BaseModel):
    sha256: str
    width: int
    height: int
    bytes: int


async def _picture_body(request: Request) -> bytes:
    # Read in an async dependency so the endpoint itself stays sync (its DB work runs in the
    # thread pool, not on the event loop).
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ACCEPTED:
        raise ValidationFailed(
            f"send the picture as {', '.join(ACCEPTED)} (Content-Type), not {kind or 'nothing'}",
            details={"field": "image", "content_type": kind},
        )
    return await request.body()


def image_tenant(request: Request, session: DbSession) -> uuid.UUID:
    """An enrolled till (`Authorization: Device …`) or a person who may read the catalog."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("device "):
        return authenticate(session, header).tenant_id
    return catalog_reader(member(current_user(request, session), session)).tenant_id


image_tenant.nova_permission = "device"  # type: ignore[attr-defined]


@router.put(
    "/items/{item_id}/image",
    response_model=ImageOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The picture file itself (PNG, JPEG or WebP), up to 5 MB.",
            "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in ACCEPTED},
        }
    },
)
def upload_image(
    item_id: uuid.UUID,
    session: DbSession,
    subject: Editor,  # before the body: who may comes first, then what they sent
    raw: Annotated[bytes, Depends(_picture_body)],
    ip: Ip,
) -> ImageOut:
    """The item's tile picture: stored turned upright, shrunk to fit 256 × 256, without its
    metadata, as a PNG; tills draw it on the item's tile after their next sync."""
    stored = images.set_image(session, subject, item_id, raw, ip=ip)
    return ImageOut(
        sha256=stored.sha256, width=stored.width, height=stored.height, bytes=len(stored.data)
    )


@router.delete("/items/{item_id}/image", status_code=204)
def delete_image(item_id: uuid.UUID, session: DbSession, subject: Editor, ip: Ip) -> Response:
    """The item's tile shows its name only again."""
    images.clear_image(session, subject, item_id, ip=ip)
    return Response(status_code=204)


@router.get("/images/{sha256}", responses={200: {"content": {"image/png": {}}}})
def read_image(
    sha256: Sha256, session: DbSession, tenant_id: Annotated[uuid.UUID, Depends(image_tenant)]
) -> Response:
    """A picture's bytes by the hash items name it with (only the business's own)."""
    found = images.find(session, tenant_id, sha256)
    if found is None:
        raise NotFound("no such picture", details={"sha256": sha256})
    headers = {"Cache-Control": IMMUTABLE, "ETag": f'"{found.sha256}"'}
    return Response(found.data, media_type=found.media_type, headers=headers)
