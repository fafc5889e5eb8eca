"""Column types of the terminal schema: UTC datetimes stored as ISO text, UUIDs as text."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Dialect, String, TypeDecorator


def utc_text(value: datetime) -> str:
    """The stored form of an aware datetime (also used by the plain-SQL hot path)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime refused: store times in UTC with a zone")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class UtcText(TypeDecorator[datetime]):
    """Aware UTC datetimes as sortable ISO-8601 text; naive values are refused."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:  # noqa: ARG002
        return None if value is None else utc_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        return None if value is None else datetime.fromisoformat(value)


class UuidText(TypeDecorator[uuid.UUID]):
    """UUIDs as their 36-character text: readable in the sqlite3 shell and in support dumps."""

    impl = String(36)
    cache_ok = True

    def process_bind_param(self, value: uuid.UUID | None, dialect: Dialect) -> str | None:  # noqa: ARG002
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> uuid.UUID | None:  # noqa: ARG002
        return None if value is None else uuid.UUID(value)
