"""`/v1/catalog/import/preview`, `/v1/catalog/import` and `/v1/catalog/export`: the catalog as a
CSV file (docs/catalog-csv.md; rules in syncserver/catalog/csv_io.py). The file is the request
body itself (`Content-Type: text/csv`), at most 10 MB."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel

from shared.permissions import Permission
from syncserver.auth.deps import DbSession, client_ip
from syncserver.catalog import csv_io
from syncserver.catalog.access import CatalogReader
from syncserver.tenancy import Subject, require

router = APIRouter(prefix="/v1/catalog", tags=["catalog"])
Editor = Annotated[Subject, Depends(require(Permission.CATALOG_EDIT))]
Ip = Annotated[str | None, Depends(client_ip)]
_CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The CSV file itself: UTF-8 (byte-order mark optional), `,` or `;` "
        "separated, a header row naming the columns (docs/catalog-csv.md). At most 10 MB (413).",
        "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
    }
}


async def csv_file(request: Request) -> bytes:
    """The request body; the body limit (10 MB on these paths) answers 413 beyond it."""
    data = await request.body()
    if len(data) > csv_io.MAX_BYTES:
        raise csv_io.too_large()
    return data


File = Annotated[bytes, Depends(csv_file)]


class RowErrorOut(BaseModel):
    row: int
    column: str
    reason: str


class ImportOut(BaseModel):
    """How many rows are (or would be) created, changed, left as they are and refused."""

    create: int
    change: int
    unchanged: int
    refused: int
    errors: list[RowErrorOut]  # the first 500, by row
    errors_total: int


@router.post("/import/preview", response_model=ImportOut, openapi_extra=_CSV_BODY)
def preview_import(session: DbSession, subject: Editor, file: File) -> dict[str, Any]:
    """What importing the file would do, row by row; nothing is written. A file that cannot be
    read as a whole (empty, not CSV, unknown columns) is VALIDATION (details.field "file")."""
    return csv_io.preview(session, subject, file).answer()


@router.post("/import", response_model=ImportOut, openapi_extra=_CSV_BODY)
def run_import(session: DbSession, subject: Editor, file: File, ip: Ip) -> dict[str, Any]:
    """Import every row in one transaction. Any refused row: VALIDATION with the preview as
    details (its "errors") and nothing written. Importing the same file again changes nothing
    (every row counts as unchanged)."""
    return csv_io.apply(session, subject, file, ip=ip).answer()


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The catalog as CSV"}},
)
def export_catalog(session: DbSession, subject: CatalogReader) -> Response:
    """Every item in the import's columns; importing the file again changes nothing."""
    return Response(
        content=csv_io.export(session, subject).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="catalog.csv"'},
    )
