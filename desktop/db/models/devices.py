"""The terminal's devices: printers by role and connection, with their paper and capabilities."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.models.base import Base
from desktop.db.models.types import UtcText, UuidText


class LocalDevice(Base):
    __tablename__ = "local_devices"

    id: Mapped[uuid.UUID] = mapped_column(UuidText(), primary_key=True)
    role: Mapped[str] = mapped_column(String(24), nullable=False)  # receipt, report, drawer
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    connection: Mapped[str] = mapped_column(String(200), nullable=False)  # tcp://host:9100
    paper_mm: Mapped[int] = mapped_column(Integer, nullable=False)  # 58 or 80
    cutter: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    drawer_pin: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 2 or 5; None: none
    columns: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: the width's
    qr: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    logo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    code_page: Mapped[str] = mapped_column(String(16), nullable=False, default="auto")
    drawer_pulse_ms: Mapped[int] = mapped_column(Integer, nullable=False, default=50)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    added_at: Mapped[datetime] = mapped_column(UtcText(), nullable=False)
