"""Catalog CSV import and export (docs/catalog-csv.md): one row per item, keyed by SKU.

`preview` reads a file against the business's catalog and says what an import would create,
change, leave as it is and refuse, with every row's problems (row number, column, reason), and
writes nothing. `apply` does the same and then writes every row in bulk (`merge.change_items`,
`merge.create_items`: the field clocks of `merge.write_fields`, a statement per thousand rows) in
the caller's transaction — or, when any row is refused, writes nothing at all. `export` writes
the catalog in the same columns, so importing it again changes nothing.

No HTTP here (syncserver/catalog/import_endpoints.py serves it), so a back-office window or a
command can call the same rules.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from shared.catalog_sync import TILE_COLORS, UNITS, check_value
from shared.errors import ValidationFailed
from shared.gtin import check_digit_problem, is_checked
from shared.ids import uuid7
from shared.limits import has_control
from shared.permissions import Permission
from syncserver.audit.service import record
from syncserver.catalog import service
from syncserver.catalog.merge import change_items, create_items
from syncserver.models import Tenant
from syncserver.tenancy import Subject

COLUMNS = (
    "sku",
    "name",
    "price",
    "tax_class",
    "category",
    "barcodes",
    "modifier_groups",
    "track_stock",
    "available",
    "active",
    "tile_color",
    "unit",
    "cost",
)
REQUIRED = ("sku", "name", "price", "tax_class")
MAX_BYTES = 10 * 1024 * 1024  # 10 MB: some 100,000 items
UPLOAD_PATHS = ("/v1/catalog/import/preview", "/v1/catalog/import")  # bodies up to MAX_BYTES
LIST_SEPARATOR = "|"
MAX_LISTED = 20  # barcodes or modifier groups of one item (as the item API allows)
ERRORS_SHOWN = 500  # row errors carried in one answer; the count says how many in all
SKU_MAX, NAME_MAX = 80, 120
_PRICE = re.compile(r"^[0-9]{1,13}(?:[.,][0-9]{1,4})?$")
_CODE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
# What an item without the field holds (a till may have created it before the field existed).
_DEFAULTS: dict[str, Any] = {
    "track_stock": True, "available": True, "active": True, "category_id": None,
    "barcodes": [], "modifier_groups": [], "tile_color": None, "unit": "piece",
    "cost_minor": None,
}  # fmt: skip
Values = dict[str, Any]


@dataclass(frozen=True)
class RowError:
    """One problem of one row: `row` is the file's line number (the header is row 1)."""

    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Plan:
    """What an import of one file does: creates and changes to write, and what it refuses."""

    creates: list[tuple[str, Values]] = field(default_factory=list)  # (new id, fields)
    changes: list[tuple[str, Values, Values]] = field(default_factory=list)  # (id, new, held)
    unchanged: int = 0
    refused: int = 0
    errors: list[RowError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "create": len(self.creates),
            "change": len(self.changes),
            "unchanged": self.unchanged,
            "refused": self.refused,
        }

    def answer(self) -> dict[str, Any]:
        """The wire shape of a preview (and of a refused import's details)."""
        return {
            **self.counts(),
            "errors": [e.as_dict() for e in self.errors[:ERRORS_SHOWN]],
            "errors_total": len(self.errors),
        }


# ------------------------------------------------------------------------------ reading
def _not_csv(why: str) -> ValidationFailed:
    return ValidationFailed(
        f"this is not a catalog CSV file: {why}. The first row names the columns "
        f"({', '.join(COLUMNS)}); see docs/catalog-csv.md",
        details={"field": "file"},
    )


def too_large() -> ValidationFailed:
    return ValidationFailed(
        f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it into smaller files "
        "and import them one after the other",
        details={"field": "file", "limit_bytes": MAX_BYTES},
    )


def read_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (lower-cased column names) and the rows with their line numbers.

    UTF-8 with or without a byte-order mark; the separator is whichever of `;` and `,` the
    header row holds more of (a spreadsheet in a comma-decimal country writes `;`).

    Raises:
        ValidationFailed: empty, too large, not UTF-8 text, not CSV, or a header that is not
            this column set (details.field "file").
    """
    if len(data) > MAX_BYTES:
        raise too_large()
    if not data.strip() or not data.lstrip(b"\xef\xbb\xbf").strip():
        raise ValidationFailed(
            "the file is empty: it needs a header row and one row per item",
            details={"field": "file"},
        )
    if b"\x00" in data:
        raise _not_csv("it holds binary data")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_csv("it is not UTF-8 text (save it as CSV UTF-8)") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (csv.Error, StopIteration):
        raise _not_csv("its first row cannot be read as CSV") from None
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise _not_csv(f"it has a column {unknown[0]!r} that is not one of ours")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise _not_csv(f"the column {missing[0]!r} is missing")
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise _not_csv(f"the column {twice[0]!r} appears twice")

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield reader.line_num, cells
        except csv.Error as exc:
            raise _not_csv(f"line {reader.line_num} cannot be read as CSV ({exc})") from None

    return header, rows()


# ----------------------------------------------------------------------- the catalog held
@dataclass
class _Held:
    currency: str
    tax_classes: dict[str, str]  # upper-cased code -> code
    categories: dict[str, list[str]]  # casefolded name -> ids
    category_names: dict[str, str]  # id -> name
    groups: dict[str, list[str]]
    group_names: dict[str, str]
    items: dict[str, tuple[str, Values]]  # SKU -> (id, values)
    item_skus: dict[str, str]  # id -> SKU
    barcodes: dict[str, str]  # code -> item id


def _named(entries: list[tuple[str, Values]]) -> tuple[dict[str, list[str]], dict[str, str]]:
    by_name: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for key, values in entries:
        name = str(values.get("name", ""))
        names[key] = name
        by_name.setdefault(name.strip().casefold(), []).append(key)
    return by_name, names


def _held(session: Session, subject: Subject) -> _Held:
    categories, category_names = _named(service.listing(session, subject, service.CATEGORY))
    groups, group_names = _named(service.listing(session, subject, service.GROUP))
    items: dict[str, tuple[str, Values]] = {}
    barcodes: dict[str, str] = {}
    for key, values in service.listing(session, subject, service.ITEM):
        items[str(values.get("sku", ""))] = (key, values)
        for code in values.get("barcodes", []):
            barcodes[str(code)] = key
    classes = [key for key, _ in service.listing(session, subject, service.TAX_CLASS)]
    return _Held(
        currency=service.currency(session, subject),
        tax_classes={code.upper(): code for code in classes},
        categories=categories,
        category_names=category_names,
        groups=groups,
        group_names=group_names,
        items=items,
        item_skus={key: sku for sku, (key, _) in items.items()},
        barcodes=barcodes,
    )


# ------------------------------------------------------------------------------- one row
class _Row:
    """One row's cells turned into item fields, noting each problem instead of stopping."""

    def __init__(self, number: int, cells: dict[str, str], errors: list[RowError]) -> None:
        self.number = number
        self.cells = cells
        self.errors = errors
        self.refused = False

    def bad(self, column: str, reason: str) -> None:
        self.refused = True
        self.errors.append(RowError(self.number, column, reason))

    def text(self, column: str, limit: int, what: str) -> str:
        value = self.cells.get(column, "").strip()
        if not value:
            self.bad(column, f"{what} is needed")
        elif has_control(value):
            self.bad(column, f"{what} cannot hold tabs, line breaks or other control characters")
        elif len(value) > limit:
            self.bad(column, f"{what} is at most {limit} characters ({len(value)} now)")
        return value

    def listed(self, column: str) -> list[str]:
        raw = self.cells.get(column, "")
        items = list(dict.fromkeys(p.strip() for p in raw.split(LIST_SEPARATOR) if p.strip()))
        if len(items) > MAX_LISTED:
            self.bad(column, f"at most {MAX_LISTED} per item ({len(items)} here)")
        return items

    def flag(self, column: str) -> bool | None:
        """yes/no (true/false, 1/0); None when the cell is empty or the column absent."""
        raw = self.cells.get(column, "").strip().lower()
        if not raw:
            return None
        if raw in _YES:
            return True
        if raw in _NO:
            return False
        self.bad(column, f"{column} is yes or no, not {raw!r}")
        return None


def _price(row: _Row, currency: str, column: str = "price") -> int | None:
    raw = row.cells.get(column, "").strip()
    if not _PRICE.match(raw):
        what = "a price" if column == "price" else "a cost"
        row.bad(column, f"{raw!r} is not {what}: write it like 3.40 (no thousands separators)"
                if raw else f"{what} is needed, like 3.40")  # fmt: skip
        return None
    try:
        return service.to_minor(raw.replace(",", "."), currency, column)
    except ValidationFailed as exc:
        row.bad(column, exc.message.removeprefix(f"{column}: "))
        return None


def _unit_and_cost(row: _Row, header: list[str], item: Values | None, currency: str) -> Values:
    """`unit` (piece or weighed; empty: piece) and `cost` (empty: none), when the file has
    the column or the item is new."""
    fields: Values = {}
    if "unit" in header or item is None:
        raw = row.cells.get("unit", "").strip().lower()
        if raw and raw not in UNITS:
            row.bad("unit", f"{raw!r} is not a unit: piece, or weighed (sold by the kg)")
        fields["unit"] = raw or "piece"
    if "cost" in header or item is None:
        has_cost = bool(row.cells.get("cost", "").strip())
        fields["cost_minor"] = _price(row, currency, "cost") if has_cost else None
    return fields


def _one_named(
    row: _Row, column: str, name: str, known: dict[str, list[str]], what: str
) -> str | None:
    found = known.get(name.casefold(), [])
    if not found:
        row.bad(column, f"there is no {what} named {name!r}: create it first or fix the name")
        return None
    if len(found) > 1:
        row.bad(column, f"{len(found)} {what}s are named {name!r}: rename one of them")
        return None
    return found[0]


def _fields(row: _Row, held: _Held, header: list[str], item: Values | None) -> Values:
    """The item fields this row sets (a column missing from the file leaves its field)."""
    fields: Values = {"name": row.text("name", NAME_MAX, "a name")}
    currency = str(item.get("currency") or held.currency) if item else held.currency
    price = _price(row, currency)
    if price is not None:
        fields["price_minor"] = price
    if item is None:
        fields["currency"] = currency
    code = row.cells.get("tax_class", "").strip()
    if code.upper() in held.tax_classes:
        fields["tax_class"] = held.tax_classes[code.upper()]
    else:
        row.bad("tax_class", f"there is no tax class {code!r}" if code else "a tax class is needed")
    if "category" in header:
        name = row.cells.get("category", "").strip()
        fields["category_id"] = (
            _one_named(row, "category", name, held.categories, "category") if name else None
        )
    elif item is None:
        fields["category_id"] = None
    if "modifier_groups" in header or item is None:
        found = [
            _one_named(row, "modifier_groups", name, held.groups, "modifier group")
            for name in row.listed("modifier_groups")
        ]
        fields["modifier_groups"] = [g for g in found if g is not None]
    if "barcodes" in header or item is None:
        fields["barcodes"] = _barcodes(row)
    for name in ("track_stock", "available", "active"):
        value = row.flag(name)
        if value is not None:
            fields[name] = value
        elif item is None:
            fields[name] = True
    if "tile_color" in header or item is None:
        color = row.cells.get("tile_color", "").strip().lower() or None
        if color is not None and color not in TILE_COLORS:
            colours = ", ".join(TILE_COLORS)
            row.bad("tile_color", f"{color!r} is not a tile colour: one of {colours}")
        fields["tile_color"] = color
    return fields | _unit_and_cost(row, header, item, currency)


def _barcodes(row: _Row) -> list[str]:
    codes = row.listed("barcodes")
    for code in codes:
        if not _CODE.match(code):
            row.bad("barcodes", f"{code!r} is not a barcode: letters, digits, . _ - only")
        elif is_checked(code) and (problem := check_digit_problem(code)):
            row.bad("barcodes", problem)
    return codes


# ---------------------------------------------------------------------------- the plan
def preview(session: Session, subject: Subject, data: bytes) -> Plan:
    """What importing `data` would do; writes nothing.

    Raises:
        AuthzError: without catalog.edit.
        ValidationFailed: the file as a whole cannot be read (see `read_rows`).
    """
    subject.require_at(Permission.CATALOG_EDIT, None)
    header, rows = read_rows(data)
    held = _held(session, subject)
    plan = Plan()
    skus: dict[str, int] = {}  # SKU -> the row that has it
    codes: dict[str, tuple[int, str]] = {}  # barcode -> (row, SKU) claiming it
    parsed: list[tuple[_Row, str, Values]] = []
    for number, cells in rows:
        row = _Row(number, {}, plan.errors)
        if len(cells) != len(header):
            row.bad("", f"the row has {len(cells)} cells, the header {len(header)}")
        row.cells = dict(zip(header, cells, strict=False))
        sku = row.text("sku", SKU_MAX, "a SKU")
        if sku and sku in skus:
            row.bad("sku", f"SKU {sku} is also on row {skus[sku]}: one row per item")
        skus.setdefault(sku, number)
        held_item = held.items.get(sku)
        fields = _fields(row, held, header, held_item[1] if held_item else None)
        for code in fields.get("barcodes", []):
            if code in codes and codes[code][1] != sku:
                row.bad("barcodes", f"barcode {code} is also on row {codes[code][0]}")
            codes.setdefault(code, (number, sku))
        for name, value in fields.items():
            try:
                check_value(service.ITEM, name, value)
            except ValidationFailed:
                if not row.refused:
                    row.bad(name, f"{value!r} cannot be stored")
        parsed.append((row, sku, fields))
    for row, sku, fields in parsed:
        _check_taken(row, sku, fields, held, codes, skus)
        if row.refused:
            plan.refused += 1
            continue
        held_item = held.items.get(sku)
        if held_item is None:
            plan.creates.append((str(uuid7()), {"sku": sku, **fields}))
            continue
        key, values = held_item
        changed = {k: v for k, v in fields.items() if values.get(k, _DEFAULTS.get(k)) != v}
        if changed:
            plan.changes.append((key, changed, values))
        else:
            plan.unchanged += 1
    plan.errors.sort(key=lambda e: e.row)
    return plan


def _check_taken(
    row: _Row, sku: str, fields: Values, held: _Held, codes: dict[str, tuple[int, str]],
    skus: dict[str, int],
) -> None:  # fmt: skip
    """A barcode another item keeps after the import is refused (one the file takes off its
    holder may move to another row's item)."""
    mine = held.items.get(sku, ("", {}))[0]
    for code in fields.get("barcodes", []):
        owner = held.barcodes.get(code)
        if owner is None or owner == mine:
            continue
        owner_sku = held.item_skus.get(owner, "")
        if owner_sku in skus and codes.get(code, (0, ""))[1] != owner_sku:
            continue  # its holder's row gives it up
        row.bad("barcodes", f"barcode {code} belongs to the item with SKU {owner_sku}")


def apply(session: Session, subject: Subject, data: bytes, *, ip: str | None) -> Plan:
    """Import `data` in the caller's transaction: every row, or nothing when one is refused.
    Audited once, with the counts.

    Raises:
        AuthzError: without catalog.edit.
        ValidationFailed: the file cannot be read, or rows are refused (details: the preview,
            with "errors"); nothing is written.
    """
    # One import at a time per business (Postgres; SQLite writes one at a time anyway): the
    # second sees the first's items, so the SKUs and barcodes it checked are still free.
    session.get(Tenant, subject.tenant_id, with_for_update=True)
    plan = preview(session, subject, data)
    if plan.refused:
        raise ValidationFailed(
            f"nothing was imported: {plan.refused} row{'s' if plan.refused != 1 else ''} "
            "cannot be imported; fix them and import the file again",
            details=plan.answer(),
        )
    now = datetime.now(UTC)
    # Changes first: every changed item lets go of the SKUs and barcodes it loses before any
    # item, changed or new, takes one over (a barcode may move between rows of the file).
    change_items(session, subject.tenant_id, [(key, new) for key, new, _ in plan.changes], now)
    create_items(session, subject.tenant_id, plan.creates, now)
    record(
        session,
        action="catalog.imported",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target="catalog:csv",
        after=plan.counts(),
        ip=ip,
    )
    session.flush()
    return plan


# ------------------------------------------------------------------------------ export
def _yes(value: Any) -> str:
    return "yes" if value else "no"


def export(session: Session, subject: Subject) -> str:
    """The catalog's items as CSV in `COLUMNS` (UTF-8 with a byte-order mark, so spreadsheets
    read accents right; `,` separated), oldest item first."""
    held = _held(session, subject)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for _, values in sorted(held.items.values(), key=lambda entry: entry[0]):
        item_currency = str(values.get("currency") or held.currency)
        category = values.get("category_id")
        cost = values.get("cost_minor")
        writer.writerow(
            [
                values.get("sku", ""),
                values.get("name", ""),
                service.to_text(int(values.get("price_minor", 0)), item_currency),
                values.get("tax_class", ""),
                held.category_names.get(str(category), "") if category else "",
                LIST_SEPARATOR.join(values.get("barcodes", [])),
                LIST_SEPARATOR.join(
                    held.group_names.get(g, "") for g in values.get("modifier_groups", [])
                ),
                _yes(values.get("track_stock", True)),
                _yes(values.get("available", True)),
                _yes(values.get("active", True)),
                values.get("tile_color") or "",
                values.get("unit") or "piece",
                "" if cost is None else service.to_text(int(cost), item_currency),
            ]
        )
    return out.getvalue()
