"""Selling rules of a business: how tills price, round and give change (one row per tenant)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from syncserver.models.base import Base
from syncserver.models.types import UtcDateTime, uuid_column_type


class SellingRules(Base):
    """Saved by an owner; until then `syncserver/selling/service.py` answers with the defaults."""

    __tablename__ = "selling_rules"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        uuid_column_type(), ForeignKey("tenants.id"), primary_key=True
    )
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, nullable=False)
    cash_rounding_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    max_change_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    rounding: Mapped[str] = mapped_column(String(16), nullable=False)  # shared.money.RoundingMode
    tax_rounding: Mapped[str] = mapped_column(String(16), nullable=False)  # shared.tax.TaxRounding
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
