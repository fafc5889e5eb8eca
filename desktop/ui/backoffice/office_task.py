"""Runs one back-office server call off the UI thread (a slow or dead network never freezes
the till) and hands the answer, or the typed refusal, back on the UI thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from desktop.office.config_desk import ConfigDesk
from desktop.ui.components.primitives import Button, ToastKind
from desktop.ui.theme import space
from shared.errors import NovaError


class OfficeTask(QThread):
    """`done(result)` or `failed(error)` — both delivered on the UI thread (queued)."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, action: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._action = action

    def run(self) -> None:
        try:
            result = self._action()
        except NovaError as exc:  # the world's refusal: shown next to the field or in a toast
            self.failed.emit(exc)
        else:
            self.done.emit(result)


class TaskRunner(QObject):
    """At most one server call at a time per screen; `busy` says whether one is running.
    Tests wait on `finished` (emitted after the done/failed handler ran)."""

    finished = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.task: OfficeTask | None = None

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.isRunning()

    def run(
        self,
        action: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[NovaError], None],
    ) -> bool:
        """Start `action`; False (and nothing started) while another call is running."""
        if self.busy:
            return False
        task = OfficeTask(action, self)
        task.done.connect(lambda result: self._end(on_done, result))
        task.failed.connect(lambda error: self._end(on_failed, error))
        self.task = task
        task.start()
        return True

    def run_with(
        self,
        button: Button | None,
        action: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[NovaError], None],
    ) -> bool:
        """`run`, with `button` busy ("Working…") until the call ends either way."""
        if button is not None:
            button.set_busy(True, label="Working…")

        def idle(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                if button is not None:
                    button.set_busy(False)
                handler(value)

            return call

        started = self.run(action, idle(on_done), idle(on_failed))
        if not started and button is not None:
            button.set_busy(False)
        return started

    def _end(self, handler: Callable[[Any], None], value: Any) -> None:
        if self.task is not None:
            self.task.wait()  # the thread has emitted its last signal: let it finish cleanly
        handler(value)
        self.finished.emit()

    def wait(self) -> None:
        """Block until a running call ended (teardown: no thread outlives its screen)."""
        if self.task is not None:
            self.task.wait()


class Field(Protocol):
    """What a refusal is shown beside: an `Input`, or a `Note` under a list or a choice."""

    def set_error(self, message: str | None) -> None: ...


class Host(Protocol):
    """What a business set-up tab asks of its screen (`BusinessScreen`)."""

    desk: ConfigDesk
    runner: TaskRunner

    def run(
        self,
        action: Callable[[], Any],
        on_done: Callable[[Any], None],
        fields: Mapping[str, Field],
        button: Button | None = None,
    ) -> bool: ...

    def toast(self, message: str, kind: ToastKind) -> None: ...


def card(title: str | None) -> tuple[QFrame, QVBoxLayout]:
    """A tab's raised section and the layout to fill, headed by `title` (None: no heading)."""
    frame = QFrame()
    frame.setProperty("role", "card")
    layout = QVBoxLayout(frame)
    pad = space("md")
    layout.setContentsMargins(pad, pad, pad, pad)
    layout.setSpacing(space("sm"))
    if title:
        heading = QLabel(title)
        heading.setProperty("role", "title")
        layout.addWidget(heading)
    return frame, layout


def reason_label() -> QLabel:
    """The line under a tab's actions that says why they are off (empty when they are on)."""
    label = QLabel()
    label.setProperty("role", "helper")
    label.setWordWrap(True)
    label.setAccessibleName("why this is off")
    return label


class Note(QLabel):
    """A refusal shown beside a field that is no line edit (a list of boxes, a whole list):
    `set_error` like `Input`'s, empty and hidden when there is none."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setProperty("role", "error")
        self.setWordWrap(True)
        self.setAccessibleName(name)
        self.setVisible(False)

    def set_error(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))
