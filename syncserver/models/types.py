"""Column types that behave the same on Postgres and SQLite: UTC datetimes and UUIDs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, TypeDecorator, Uuid


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes; naive values are refused (they hide bugs)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store times in UTC with a zone")
        value = value.astimezone(UTC)
        # SQLite has no zone-aware type: store naive UTC text, re-attach UTC on load.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002
    ) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def uuid_column_type() -> Uuid[uuid.UUID]:
    """Native `uuid` on Postgres, 32-char text on SQLite."""
    return Uuid(as_uuid=True)
