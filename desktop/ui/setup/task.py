"""One set-up step off the UI thread: the network may take seconds, the window must not."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

from shared.errors import InternalError, NovaError

log = logging.getLogger("desktop.ui.setup")


class SetupTask(QThread):
    """Runs `step(report)` once; emits `done(result)` or `failed(error)` on the UI thread, and
    `progressed(fraction)` whenever the step reports progress."""

    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(float)

    def __init__(self, step: Callable[[Callable[[float], None]], Any]) -> None:
        super().__init__()
        self._step = step

    def run(self) -> None:
        try:
            result = self._step(self.progressed.emit)
        except NovaError as exc:
            self.failed.emit(exc)
        except Exception:  # our bug: to the log, and a plain sentence on the screen
            log.exception("a set-up step crashed")
            self.failed.emit(InternalError("Something went wrong here: see the log, try again"))
        else:
            self.done.emit(result)
