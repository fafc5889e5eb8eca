"""Which ticket each person parked when they signed out (`Counter.sign_out`), kept in the
till's database so the rule survives a restart: the cashier gets their ticket back at their
next sign-in even after the app was closed or crashed in between."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, insert, select

from desktop.db.models import LocalMeta
from desktop.db.uow import UnitOfWork

PREFIX = "counter.parked_at_sign_out."


def claim(uow: UnitOfWork, user_id: uuid.UUID, ticket_id: uuid.UUID) -> None:
    """`user_id` owns `ticket_id` now; whoever claimed it before does not any more (the last
    one to have it open owns it)."""
    uow.conn.execute(
        delete(LocalMeta).where(
            LocalMeta.key.startswith(PREFIX),
            (LocalMeta.value == str(ticket_id)) | (LocalMeta.key == PREFIX + str(user_id)),
        )
    )
    uow.conn.execute(insert(LocalMeta).values(key=PREFIX + str(user_id), value=str(ticket_id)))


def claimed(uow: UnitOfWork, user_id: uuid.UUID) -> uuid.UUID | None:
    value = uow.conn.execute(
        select(LocalMeta.value).where(LocalMeta.key == PREFIX + str(user_id))
    ).scalar()
    return None if value is None else uuid.UUID(str(value))


def release(uow: UnitOfWork, user_id: uuid.UUID) -> None:
    uow.conn.execute(delete(LocalMeta).where(LocalMeta.key == PREFIX + str(user_id)))
