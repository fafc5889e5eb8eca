"""Business settings the owner edits once and every till uses (receipt header, footer, logo)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from syncserver.models.base import Base
from syncserver.models.types import UtcDateTime, uuid_column_type


class BusinessSettings(Base):
    __tablename__ = "business_settings"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("tenants.id"), primary_key=True
    )
    receipt_name: Mapped[str] = mapped_column(String(120), nullable=False)
    address_lines: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of strings
    tax_id: Mapped[str] = mapped_column(String(40), nullable=False)
    receipt_footer: Mapped[str] = mapped_column(String(200), nullable=False)
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # 1-bit, ≤ 384 px
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
