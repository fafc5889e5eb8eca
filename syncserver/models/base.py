"""Declarative base of the server schema, with a naming convention Alembic can rely on."""

from __future__ import annotations

from typing import cast

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

from migrations.naming import NAMING_CONVENTION


class Base(DeclarativeBase):
    """Every server table derives from this (and, when tenant-owned, carries `tenant_id`)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Core table of a model: bulk inserts on hot paths skip the ORM's per-row bookkeeping."""
    return cast(Table, model.__table__)
