"""The back office's item list (Qt-free): one page of items at a time, filtered by search text,
category, archive state and location, in name order — fast on a 100,000-item till.

Search text matches a name or SKU prefix, a barcode prefix and, from three characters on, any
part of the name or SKU. Which query finds the page depends on how many items match, counted
up to `DENSE`: few matches are looked up through the indexes (trigram `items_fts`, the search
key, SKU and barcode keys) and sorted; many are found by walking the name index in order until
the page is full, which stops early precisely because matches are common. Either way a page
costs about the same for a rare word and a common one (bench/catalog_window.py).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from desktop.catalog.text import search_key
from desktop.db.uow import UnitOfWork
from desktop.sales.config import load
from shared.errors import Conflict
from shared.money import Money

PAGE = 200  # rows the list asks for at a time
DENSE = 2_000  # from this many matches on, walk the name index instead of sorting matches
TRIGRAM = 3  # items_fts finds substrings from three characters on


class Archived(enum.Enum):
    ACTIVE = "active"
    ARCHIVED = "archived"
    ALL = "all"


class AnyCategory(enum.Enum):
    """The category filter's "All categories" (None means "No category")."""

    ALL = "all"


@dataclass(frozen=True)
class BrowseFilter:
    text: str = ""
    category: uuid.UUID | AnyCategory | None = AnyCategory.ALL  # None: items without one
    archived: Archived = Archived.ACTIVE
    location: str | None = None  # None: the items' own price and on-sale; else that location's


class BrowseRow(NamedTuple):
    """One row of the list (a tuple: a page builds 200 of them per search)."""

    id: uuid.UUID
    name: str
    sku: str
    category: str | None
    price: Money  # at the filter's location when one is chosen
    available: bool  # "on sale" (not 86'd), at that location too
    active: bool  # False: archived
    track_stock: bool
    barcodes: int
    first_barcode: str | None


_COLUMNS = (
    "SELECT i.id, i.name, i.sku, c.name, coalesce(o.price_minor, i.price_minor), i.currency, "
    "coalesce(o.available, i.available), i.active, i.track_stock, "
    "(SELECT count(*) FROM barcodes b WHERE b.item_id = i.id), "
    "(SELECT min(b.code) FROM barcodes b WHERE b.item_id = i.id) "
)
_JOINS = (
    "LEFT JOIN categories c ON c.id = i.category_id "
    "LEFT JOIN location_overrides o ON o.item_id = i.id AND o.location_code = :location "
)


def _upper(key: str) -> str:
    """The smallest string after every string starting with `key` (a prefix range's end)."""
    return key[:-1] + chr(ord(key[-1]) + 1)


def _like(pattern: str) -> str:
    return pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts(phrase: str) -> str:
    return '"' + phrase.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Way:
    """One way text matches: `lookups` select the matching rowids through an index (empty: no
    index can), `per_row` is the same test on one row of `items i`."""

    lookups: tuple[str, ...]
    per_row: str

    @property
    def lookup(self) -> str:
        return " UNION ".join(self.lookups)


def _ways(text: str, params: dict[str, object]) -> list[_Way]:
    """How the text matches: by name or SKU (a word starting with it; anywhere in them from
    three characters on — the SKU is the search key's last word), and by a barcode's start."""
    raw = text.strip()
    key = search_key(raw)
    if not key:
        return []
    params.update(key=key, key_end=_upper(key))
    if len(key) >= TRIGRAM:
        params.update(fts=_fts(key), like=f"%{_like(key)}%")
        name = _Way(
            ("SELECT rowid FROM items_fts WHERE items_fts MATCH :fts",),
            "i.search_key LIKE :like ESCAPE '\\'",
        )
    else:
        params["like"] = f"% {_like(key)}%"
        starts: tuple[str, ...] = ()
        if len(key) + 1 >= TRIGRAM:  # " x…": a word's start is a trigram with its space
            params["fts"] = _fts(" " + key)
            starts = (
                "SELECT rowid FROM items WHERE search_key >= :key AND search_key < :key_end",
                "SELECT rowid FROM items_fts WHERE items_fts MATCH :fts",
            )
        name = _Way(
            starts,
            "((i.search_key >= :key AND i.search_key < :key_end) "
            "OR i.search_key LIKE :like ESCAPE '\\')",
        )
    if len(raw) < TRIGRAM:  # a barcode is longer: two digits would only find every item
        return [name]
    params.update(code=raw, code_end=_upper(raw))
    code = _Way(
        (
            "SELECT i2.rowid FROM barcodes b2 JOIN items i2 ON i2.id = b2.item_id "
            "WHERE b2.code >= :code AND b2.code < :code_end",
        ),
        "EXISTS (SELECT 1 FROM barcodes b3 WHERE b3.item_id = i.id "
        "AND b3.code >= :code AND b3.code < :code_end)",
    )
    return [name, code]


def _filters(f: BrowseFilter, params: dict[str, object]) -> list[str]:
    where = []
    if f.archived is Archived.ACTIVE:
        where.append("i.active = 1")
    elif f.archived is Archived.ARCHIVED:
        where.append("i.active = 0")
    if f.category is None:
        where.append("i.category_id IS NULL")
    elif isinstance(f.category, uuid.UUID):
        where.append("i.category_id = :category")
        params["category"] = str(f.category)
    return where


def _dense(uow: UnitOfWork, way: _Way, params: dict[str, object]) -> bool:
    """Do at least `DENSE` items match this way (each lookup counted no further; one item
    found twice counts twice, which errs only towards the walk)?"""
    if not way.lookups:
        return True
    counts = " + ".join(f"(SELECT count(*) FROM ({q} LIMIT {DENSE}))" for q in way.lookups)
    (count,) = uow.sql.execute(f"SELECT {counts}", params).fetchone()
    return int(count) >= DENSE


def _text_condition(
    uow: UnitOfWork, text: str, params: dict[str, object]
) -> tuple[str | None, str | None]:
    """How the text narrows the list: (the matches' rowids to start from, a WHERE term). Few
    matches are looked up and sorted; many are found walking the name index in order, which
    gives the order and stops when the page is full."""
    ways = _ways(text, params)
    if not ways:
        return None, None
    dense = [_dense(uow, w, params) for w in ways]
    if not any(dense):
        return " UNION ".join(w.lookup for w in ways), None
    # The test on the name is on the index entry itself; a sparse way is looked up once, a
    # dense one tested per row (then the page fills after a few rows).
    terms = [
        w.per_row if d else f"i.rowid IN ({w.lookup})" for w, d in zip(ways, dense, strict=True)
    ]
    return None, "(" + " OR ".join(terms) + ")"


def browse(
    uow: UnitOfWork, f: BrowseFilter, *, offset: int = 0, limit: int = PAGE
) -> list[BrowseRow]:
    """Rows `offset` to `offset + limit` of the items the filter picks, by name."""
    params: dict[str, object] = {"location": f.location or "", "limit": limit, "offset": offset}
    where = _filters(f, params)
    matches, condition = _text_condition(uow, f.text, params)
    if condition is not None:
        where.append(condition)
    # CROSS JOIN: SQLite keeps the matches as the outer loop (not a walk of every item).
    source = "items i " if matches is None else f"({matches}) m CROSS JOIN items i "
    sql = _COLUMNS + "FROM " + source + _JOINS
    if matches is not None:
        where.insert(0, "i.rowid = m.rowid")
    if where:
        sql += "WHERE " + " AND ".join(where) + " "
    sql += "ORDER BY i.search_key, i.rowid LIMIT :limit OFFSET :offset"
    return [_row(r) for r in uow.sql.execute(sql, params)]


def _row(r: Sequence[object]) -> BrowseRow:
    id_, name, sku, category, minor, currency, available, active, track, count, first = r
    assert isinstance(minor, int)
    return BrowseRow(
        id=uuid.UUID(str(id_)),
        name=str(name),
        sku=str(sku),
        category=None if category is None else str(category),
        price=Money.from_minor(minor, str(currency)),
        available=bool(available),
        active=bool(active),
        track_stock=bool(track),
        barcodes=int(str(count)),
        first_barcode=None if first is None else str(first),
    )


def known_locations(uow: UnitOfWork) -> list[str]:
    """Location codes this till knows: its own first, then those the synced catalog names (the
    till keeps no list of the business's locations, only their prices and availability)."""
    try:
        here = [load(uow).location_code]
    except Conflict:  # not set up for selling yet
        here = []
    rows = uow.sql.execute("SELECT DISTINCT location_code FROM location_overrides ORDER BY 1")
    return here + [str(code) for (code,) in rows if code not in here]
