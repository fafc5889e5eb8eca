"""The one row that identifies this database incarnation (its sync epoch)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from syncserver.models.base import Base
from syncserver.models.types import UtcDateTime, uuid_column_type


class ServerInstance(Base):
    """`epoch` changes when the database is restored from a backup, so terminals re-sync."""

    __tablename__ = "server_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[uuid.UUID] = mapped_column(uuid_column_type(), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
