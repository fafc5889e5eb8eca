"""Key/value facts about this local database, e.g. its `replica_id` for sync."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.models.base import Base

REPLICA_ID_KEY = "replica_id"


class LocalMeta(Base):
    """One row per fact; `replica_id` is written once, by the first migration."""

    __tablename__ = "local_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(1024), nullable=False)
