"""Declarative base of the server schema, with a naming convention Alembic can rely on."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from migrations.naming import NAMING_CONVENTION


class Base(DeclarativeBase):
    """Every server table derives from this (and, when tenant-owned, carries `tenant_id`)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
