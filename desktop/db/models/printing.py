"""The durable print queue: jobs written with the sale, printed by a worker, never lost."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Integer, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.models.base import Base
from desktop.db.models.types import UtcText, UuidText


class PrintJob(Base):
    __tablename__ = "print_jobs"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    printer: Mapped[str] = mapped_column(String(24), nullable=False)  # role: receipt, report
    kind: Mapped[str] = mapped_column(String(24), nullable=False)  # receipt, drawer, report…
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(UuidText(), nullable=True)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)  # ESC/POS bytes
    # pending → sending → printed; a job found in `sending` after a crash prints as a REPRINT.
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)
    printed_at: Mapped[datetime | None] = mapped_column(UtcText(), nullable=True)

    __table_args__ = (
        Index("ix_print_jobs_waiting", "printer", "id", sqlite_where=text("status != 'printed'")),
    )
