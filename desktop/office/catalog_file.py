"""The back office's catalog file (Qt-free): preview a CSV file's import, import it, export the
catalog — all on the server (docs/catalog-csv.md), so each call first asks `rules` whether it
may run now.

The file is checked here for what the till can see without the server (there, readable, not
empty, at most the server's 10 MB) with the field "file", so the window says it beside the file
picker; the server checks every row.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.office.config_desk import ConfigDesk
from shared.errors import ValidationFailed

MAX_BYTES = 10 * 1024 * 1024  # the server's limit (syncserver/catalog/csv_io.MAX_BYTES)
IMPORT = "catalog.import"
EXPORT = "catalog.export"


@dataclass(frozen=True)
class RowError:
    row: int  # the file's line number; the header is row 1
    column: str
    reason: str


@dataclass(frozen=True)
class ImportPlan:
    """What an import does (a preview) or did (`applied`)."""

    create: int
    change: int
    unchanged: int
    refused: int
    errors: tuple[RowError, ...]  # the first 500
    errors_total: int
    applied: bool

    @classmethod
    def parse(cls, answer: dict[str, Any], *, applied: bool) -> ImportPlan:
        errors = tuple(
            RowError(int(e["row"]), str(e["column"]), str(e["reason"]))
            for e in answer.get("errors", [])
        )
        return cls(
            create=int(answer["create"]),
            change=int(answer["change"]),
            unchanged=int(answer["unchanged"]),
            refused=int(answer["refused"]),
            errors=errors,
            errors_total=int(answer.get("errors_total", len(errors))),
            applied=applied,
        )

    @property
    def writes(self) -> int:
        return self.create + self.change

    def summary(self) -> str:
        """One sentence for the owner, e.g. "12 new items, 3 changed, 40 unchanged"."""
        parts = [
            f"{self.create} new item{'s' if self.create != 1 else ''}",
            f"{self.change} changed",
            f"{self.unchanged} unchanged",
        ]
        if self.refused:
            parts.append(f"{self.refused} row{'s' if self.refused != 1 else ''} refused")
        return ", ".join(parts)


def read_file(path: str | Path) -> bytes:
    """The file's bytes.

    Raises:
        ValidationFailed: (field "file") no file chosen, not there, a folder, unreadable, empty
            or over 10 MB.
    """
    text = str(path).strip()
    if not text:
        raise _bad("Choose the CSV file to import")
    where = Path(text)
    if not where.is_file():
        raise _bad(f"There is no file {where.name!r} there any more: choose it again")
    size = where.stat().st_size
    if size == 0:
        raise _bad(f"{where.name} is empty: export from your spreadsheet again")
    if size > MAX_BYTES:
        megabytes = size / (1024 * 1024)
        raise _bad(f"{where.name} is {megabytes:.1f} MB; a catalog file may be at most 10 MB")
    try:
        return where.read_bytes()
    except OSError as exc:
        raise _bad(f"{where.name} cannot be read: {exc.strerror or exc}") from exc


def _bad(message: str) -> ValidationFailed:
    return ValidationFailed(message, details={"field": "file"})


class CatalogFiles:
    """Import and export through the signed-in back-office session (`ConfigDesk`'s)."""

    def __init__(self, desk: ConfigDesk) -> None:
        self.desk = desk

    def why_not(self, operation_id: str) -> str | None:
        return self.desk.why_not(operation_id)

    def preview(self, path: str | Path) -> ImportPlan:
        """What importing `path` would do; nothing is written."""
        data = read_file(path)
        self.desk.guard(IMPORT)
        answer = self.desk.session.call(lambda c: c.catalog_import(data, apply=False))
        return ImportPlan.parse(answer, applied=False)

    def apply(self, path: str | Path) -> ImportPlan:
        """Import `path`: every row in one server transaction, or nothing. A refused file
        comes back as its preview (`applied` False) instead of an error, so the window shows
        the rows to fix. Importing the same file twice changes nothing the second time."""
        data = read_file(path)
        self.desk.guard(IMPORT)
        try:
            answer = self.desk.session.call(lambda c: c.catalog_import(data, apply=True))
        except ValidationFailed as exc:
            if "create" not in exc.details:  # the file as a whole: not CSV, unknown columns
                raise
            return ImportPlan.parse(exc.details, applied=False)
        return ImportPlan.parse(answer, applied=True)

    def export(self, path: str | Path) -> int:
        """Write the catalog to `path` (replacing it whole: a crash leaves the old file or the
        new one, never half of it); returns how many items it holds."""
        text = str(path).strip()
        if not text:
            raise _bad("Choose where to save the file")
        self.desk.guard(EXPORT)
        data = self.desk.session.call(lambda c: c.catalog_export())
        where = Path(text)
        partial = where.with_name(where.name + ".part")
        try:
            with partial.open("wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, where)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise _bad(f"{where.name} cannot be written: {exc.strerror or exc}") from exc
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        return max(0, sum(1 for _ in rows) - 1)
