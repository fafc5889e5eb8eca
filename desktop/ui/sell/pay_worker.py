"""Card payments off the UI thread: the terminal may take many seconds, the screen must not."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QThread, Signal

from desktop.till.views import SaleDone
from shared.errors import NovaError


class PayWorker(QThread):
    """Runs `pay()` once; emits `paid(SaleDone)` or `refused(message)` back on the UI thread."""

    paid = Signal(object)
    refused = Signal(str)

    def __init__(self, pay: Callable[[], SaleDone]) -> None:
        super().__init__()
        self._pay = pay

    def run(self) -> None:
        try:
            done = self._pay()
        except NovaError as exc:
            self.refused.emit(exc.message)
        else:
            self.paid.emit(done)
