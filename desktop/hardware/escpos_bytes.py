"""python-escpos used only to *generate bytes* (FIELD-NOTES: its own transports wait 60 s on a
silent printer); our transport sends them with short timeouts from a worker."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from shared.paths import app_dirs

if TYPE_CHECKING:
    from escpos.printer import Dummy

PICKLE_DIR_VAR = "ESCPOS_CAPABILITIES_PICKLE_DIR"
PROFILE = "TM-T88V"  # a widespread 80 mm profile; code pages and cutter as most printers


@cache
def _prepare() -> None:
    # Importing escpos writes a capabilities pickle; keep it in our cache, not a fresh temp dir.
    folder = Path(os.environ.get(PICKLE_DIR_VAR) or app_dirs().cache / "escpos")
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[PICKLE_DIR_VAR] = str(folder)


def new_document(profile: str = PROFILE) -> Dummy:
    """An in-memory printer: draw on it, then take `.output`."""
    _prepare()
    from escpos.printer import Dummy

    return Dummy(profile=profile)
