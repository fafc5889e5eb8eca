"""A count's evidence (photos, PDFs kept in the data folder) and its CSV export."""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, insert, select

from desktop.db.models import CountAttachment
from desktop.db.uow import UnitOfWork
from desktop.inventory.counts import count_session, review
from desktop.modules import require_module
from desktop.staff.service import Actor
from shared.errors import ValidationFailed
from shared.ids import uuid7
from shared.permissions import Module, Permission

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_SESSION = 20
# Recognised by their first bytes, not by the name the user gave the file.
SIGNATURES: dict[str, tuple[bytes, str]] = {
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
    "application/pdf": (b"%PDF-", ".pdf"),
}


@dataclass(frozen=True)
class Attached:
    id: uuid.UUID
    path: Path
    content_type: str
    size_bytes: int


def attach(
    uow: UnitOfWork,
    actor: Actor,
    *,
    session_id: uuid.UUID,
    filename: str,
    data: bytes,
    data_dir: Path,
) -> Attached:
    """Keep a photo or PDF with the count (JPEG, PNG or PDF; at most 10 MB, 20 per count).

    The file is written before the row; if the transaction rolls back, an orphan file may stay
    behind, never a row without its file.

    Raises:
        ValidationFailed: empty, too big, not a JPEG/PNG/PDF, too many for this count.
    """
    require_module(uow, Module.INVENTORY)
    actor.require(Permission.INVENTORY_COUNT)
    count_session(uow, session_id)
    if not data:
        raise ValidationFailed("the file is empty", details={"field": "file"})
    if len(data) > MAX_BYTES:
        raise ValidationFailed(
            f"the file is over {MAX_BYTES // (1024 * 1024)} MB; take a smaller photo",
            details={"field": "file", "size": len(data)},
        )
    kind = next((t for t, (magic, _) in SIGNATURES.items() if data.startswith(magic)), None)
    if kind is None:
        raise ValidationFailed(
            "only photos (JPEG, PNG) and PDF files can be attached", details={"field": "file"}
        )
    taken = uow.conn.execute(
        select(func.count())
        .select_from(CountAttachment)
        .where(CountAttachment.session_id == session_id)
    ).scalar_one()
    if taken >= MAX_PER_SESSION:
        raise ValidationFailed(
            f"a count keeps at most {MAX_PER_SESSION} attachments", details={"field": "file"}
        )
    attachment_id = uuid7()
    relative = (
        Path("attachments") / "counts" / str(session_id) / f"{attachment_id}{SIGNATURES[kind][1]}"
    )
    target = data_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    uow.conn.execute(
        insert(CountAttachment).values(
            id=attachment_id,
            session_id=session_id,
            filename=Path(filename).name[:200] or "attachment",
            content_type=kind,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            stored_as=relative.as_posix(),
            added_by=actor.id,
            added_at=uow.clock.now(),
        )
    )
    return Attached(attachment_id, target, kind, len(data))


CSV_HEADER = (
    "sku",
    "name",
    "expected",
    "counted",
    "variance",
    "variance_value",
    "currency",
    "counted_at",
)


def export_csv(uow: UnitOfWork, actor: Actor, *, session_id: uuid.UUID) -> str:
    """The review as CSV (UTF-8, comma, header row); uncounted items have empty counts."""
    lines = review(uow, actor, session_id=session_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for line in lines:
        value = line.variance_value
        writer.writerow(
            (
                _text_cell(line.sku),
                _text_cell(line.name),
                line.expected,
                "" if line.counted is None else line.counted,
                "" if line.variance is None else line.variance,
                "" if value is None else value.amount,
                "" if value is None else value.currency,
                "" if line.counted_at is None else line.counted_at.isoformat(),
            )
        )
    return out.getvalue()


def _text_cell(text: str) -> str:
    """Names are data, not formulas: a spreadsheet must not run "=HYPERLINK(…)" from an item."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
