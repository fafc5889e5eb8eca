"""Declarative base of the terminal schema, with the naming convention batch ALTERs need."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from migrations.naming import NAMING_CONVENTION


class Base(DeclarativeBase):
    """Every terminal table derives from this."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
