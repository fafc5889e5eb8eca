"""Enqueue print jobs inside the caller's transaction; hand them to the worker one at a time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update

from desktop.db.models import PrintJob
from desktop.db.uow import UnitOfWork
from shared.ids import uuid7


@dataclass(frozen=True)
class Job:
    id: uuid.UUID
    kind: str
    payload: bytes
    reprint: bool  # it may already have printed once (found mid-send after a crash)


def enqueue(
    uow: UnitOfWork,
    *,
    kind: str,
    payload: bytes,
    printer: str = "receipt",
    ticket_id: uuid.UUID | None = None,
) -> uuid.UUID:
    job_id = uuid7()
    uow.conn.execute(
        insert(PrintJob).values(
            id=job_id,
            printer=printer,
            kind=kind,
            ticket_id=ticket_id,
            payload=payload,
            status="pending",
            attempts=0,
            created_at=uow.clock.now(),
        )
    )
    return job_id


def take_next(uow: UnitOfWork, printer: str) -> Job | None:
    """The oldest unprinted job of `printer`, marked `sending` (so a crash is detectable)."""
    row = uow.conn.execute(
        select(PrintJob.id, PrintJob.kind, PrintJob.payload, PrintJob.status)
        .where(PrintJob.printer == printer, PrintJob.status != "printed")
        .order_by(PrintJob.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    job_id, kind, payload, status = row
    uow.conn.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id)
        .values(status="sending", attempts=PrintJob.attempts + 1)
    )
    return Job(uuid.UUID(str(job_id)), kind, bytes(payload), reprint=status == "sending")


def mark_printed(uow: UnitOfWork, job_id: uuid.UUID) -> None:
    uow.conn.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id)
        .values(status="printed", printed_at=uow.clock.now(), last_error=None)
    )


def mark_failed(uow: UnitOfWork, job_id: uuid.UUID, error: str) -> None:
    """Back to `pending`: the bytes never reached the printer, so it is not a reprint."""
    uow.conn.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id)
        .values(status="pending", last_error=error[:200])
    )


def waiting(uow: UnitOfWork, printer: str = "receipt") -> int:
    return int(
        uow.conn.execute(
            select(func.count())
            .select_from(PrintJob)
            .where(PrintJob.printer == printer, PrintJob.status != "printed")
        ).scalar_one()
    )
