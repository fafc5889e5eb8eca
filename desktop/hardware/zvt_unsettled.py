"""Where the ZVT driver remembers a payment whose outcome it could not learn (see `zvt.py`):
in memory, or — for a till — in a small file beside its database, so that a restart between
the lost answer and the retry still asks the terminal first instead of charging again."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger("desktop.hardware")


@dataclass(frozen=True)
class Unsettled:
    amount_minor: int
    trace_before: int | None  # the terminal's last trace number before the payment was sent


class UnsettledMemory(Protocol):
    def load(self) -> Unsettled | None: ...

    def save(self, value: Unsettled | None) -> None: ...


class InMemory:
    def __init__(self) -> None:
        self.value: Unsettled | None = None

    def load(self) -> Unsettled | None:
        return self.value

    def save(self, value: Unsettled | None) -> None:
        self.value = value


@dataclass(frozen=True)
class FileMemory:
    path: Path

    def load(self) -> Unsettled | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Unsettled(int(data["amount_minor"]), data["trace_before"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # Unreadable: keep it for a person to look at; the payment is treated as settled.
            log.error("card terminal memory %s unreadable (%s); ignoring it", self.path, exc)
            return None

    def save(self, value: Unsettled | None) -> None:
        if value is None:
            self.path.unlink(missing_ok=True)
            return
        temporary = self.path.with_suffix(".tmp")
        with open(temporary, "w", encoding="utf-8") as out:
            json.dump(asdict(value), out)
            out.flush()
            os.fsync(out.fileno())  # durable before the cashier is told "unknown"
        os.replace(temporary, self.path)
