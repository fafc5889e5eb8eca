"""python-escpos used only to *generate bytes* (FIELD-NOTES: its own transports wait 60 s on a
silent printer); our transport sends them with short timeouts from a worker.

Text goes through `write_line`, which keeps every character some code page of the printer can
print and replaces the rest with a readable fallback (`ł` → `l`, `日` → `?`): python-escpos
would otherwise send a whole line with one CJK character as GB18030 — garbage on a Western
printer, € and é included.
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from shared.paths import app_dirs

if TYPE_CHECKING:
    from escpos.printer import Dummy

PICKLE_DIR_VAR = "ESCPOS_CAPABILITIES_PICKLE_DIR"
PROFILE = "TM-T88V"  # a widespread 80 mm profile; code pages and cutter as most printers
FALLBACK = "?"


@cache
def _prepare() -> None:
    # Importing escpos writes a capabilities pickle; keep it in our cache, not a fresh temp dir.
    folder = Path(os.environ.get(PICKLE_DIR_VAR) or app_dirs().cache / "escpos")
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[PICKLE_DIR_VAR] = str(folder)


def new_document(code_page: str = "auto", profile: str = PROFILE) -> Dummy:
    """An in-memory printer: draw on it, then take `.output`. `code_page` "auto" lets
    python-escpos switch pages as the text needs; a name (e.g. "CP858") fixes one."""
    _prepare()
    from escpos.printer import Dummy

    printer = Dummy(profile=profile)
    if code_page != "auto":
        printer.charcode(code_page)
    return printer


def write_line(printer: Dummy, text: str) -> None:
    """`text` and a line feed, each character printable or replaced (see the module doc)."""
    printer.textln(printable(printer, text))


def printable(printer: Dummy, text: str) -> str:
    magic = printer.magic
    fixed = magic.encoding if magic.disabled else None
    return "".join(_printable_char(magic.encoder, fixed, char) for char in text)


def _printable_char(encoder: object, fixed: str | None, char: str) -> str:
    if char.isascii() or _can_print(encoder, fixed, char):
        return char
    # Letters with marks the page lacks keep their base letter: "ł" → "l", "ő" → "o".
    base = unicodedata.normalize("NFKD", char)[:1]
    if base and base != char and (base.isascii() or _can_print(encoder, fixed, base)):
        return base
    return {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D"}.get(char, FALLBACK)


def _can_print(encoder: object, fixed: str | None, char: str) -> bool:
    if fixed is not None:
        return bool(encoder.can_encode(fixed, char))  # type: ignore[attr-defined]
    return encoder.find_suitable_encoding(char) is not None  # type: ignore[attr-defined]


def finish(printer: Dummy, cutter: bool) -> bytes:
    """End a document: cut where the printer has a cutter, else feed it past the tear bar."""
    if cutter:
        printer.cut()
    else:
        printer.ln(4)
    return bytes(printer.output)
