"""Back office, sync inbox: what sync could not settle alone, one item at a time — what
happened, what each side said, and the choices the server allows (with a note) — and the
latest decisions: who took which, when.

The inbox lives on the server: signed out or offline, the screen says why and offers nothing
to press but the way to sign in. Server calls run off the UI thread (`TaskRunner`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.office.config_desk import field_of, plain
from desktop.office.inbox_desk import Choice, Decision, Entry, InboxDesk
from desktop.ui.backoffice.office_task import TaskRunner, reason_label
from desktop.ui.components.primitives import Button, Input, Size, Toast, ToastKind, Variant
from desktop.ui.components.tables import list_table
from desktop.ui.theme import space
from shared.errors import NovaError

OPEN_COLUMNS = ("What", "State", "Received")
DECIDED_COLUMNS = ("When", "Who", "What", "Decision", "Note")
FRESH_SECONDS = 30.0  # coming back to the screen sooner does not read it again
DETAIL_WIDTH = 300  # the item's card beside the list (fits a 1024-pixel screen with navigation)
EMPTY = "Nothing to look at: sync settled everything on its own."


class InboxScreen(QWidget):
    def __init__(
        self, desk: InboxDesk, open_business: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.desk = desk
        self.runner = TaskRunner(self)
        self.entries: list[Entry] = []
        self.current: Entry | None = None
        self.last_toast: tuple[ToastKind, str] | None = None
        self._open_business = open_business
        self._read_at: float | None = None  # when the inbox was last read (monotonic)
        self.setProperty("role", "page")
        self.setAccessibleName("Sync inbox")

        # ------------------------------------------------ top: state and refresh
        self.reason = reason_label()
        self.sign_in_button = Button("Sign in on Business setup", variant=Variant.SECONDARY)
        self.sign_in_button.clicked.connect(self._to_business)
        self.refresh_button = Button("Refresh", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.refresh_button.clicked.connect(self.reload)
        heading = QLabel("Sync inbox")
        heading.setProperty("role", "title")
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(heading)
        words.addWidget(self.reason)
        top = QHBoxLayout()
        top.addLayout(words, 1)
        top.addWidget(self.sign_in_button)
        top.addWidget(self.refresh_button)

        # ------------------------------------------------ open items
        self.table = list_table(OPEN_COLUMNS, "items to look at")
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.currentCellChanged.connect(lambda row, *_: self.pick(row))
        self.empty = QLabel(EMPTY)
        self.empty.setProperty("role", "helper")
        self.empty.setWordWrap(True)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.state = QLabel()
        self.state.setProperty("role", "helper")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("what happened")
        self.sides = QLabel()
        self.sides.setWordWrap(True)
        self.sides.setAccessibleName("what each side said")
        self.value = Input("Value to use", placeholder="e.g. 3.40")
        self.note = Input("Note (optional)", placeholder="e.g. repaid in cash")
        self.choice_row = QVBoxLayout()
        self.choice_row.setSpacing(space("sm"))
        self.choice_buttons: dict[str, Button] = {}
        card = QFrame()
        card.setProperty("role", "card")
        side = QVBoxLayout(card)
        pad = space("md")
        side.setContentsMargins(pad, pad, pad, pad)
        side.setSpacing(space("sm"))
        for widget in (self.title, self.state, self.detail, self.sides, self.value, self.note):
            side.addWidget(widget)
        side.addLayout(self.choice_row)
        side.addStretch(1)
        self.detail_card = card
        listing = QVBoxLayout()
        listing.addWidget(self.table, 1)
        listing.addWidget(self.empty)
        open_page = QWidget()
        row = QHBoxLayout(open_page)
        row.setContentsMargins(0, space("sm"), 0, 0)
        row.setSpacing(space("md"))
        row.addLayout(listing, 1)
        scroller = QScrollArea()  # a long reason and three choices still reach on 768 pixels
        scroller.setWidget(card)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setFixedWidth(DETAIL_WIDTH)
        row.addWidget(scroller)

        # ------------------------------------------------ decided
        self.decided = list_table(DECIDED_COLUMNS, "latest decisions")
        self.decided.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("sync inbox sections")
        self.tabs.addTab(open_page, "To look at")
        self.tabs.addTab(self.decided, "Decided")

        layout = QVBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.show_entries([], [])
        self._read_at = None  # nothing was read yet
        if desk.why_not() is None:
            self.reload()

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        def read() -> tuple[list[Entry], list[Decision]]:
            return self.desk.entries(), self.desk.decisions()

        self._run(read, lambda found: self.show_entries(*found), self.refresh_button)

    def show_entries(self, entries: list[Entry], decisions: list[Decision]) -> None:
        self._read_at = time.monotonic()
        keep = self.current.id if self.current else None
        self.entries = entries
        self.table.setRowCount(0)
        for entry in entries:
            at = self.table.rowCount()
            self.table.insertRow(at)
            when = entry.received_at.astimezone().strftime("%d %b %H:%M")
            for column, text in enumerate((entry.title, entry.state, when)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(entry.title)
                self.table.setItem(at, column, cell)
        self.tabs.setTabText(0, f"To look at ({len(entries)})" if entries else "To look at")
        self.decided.setRowCount(0)
        for decision in decisions:
            at = self.decided.rowCount()
            self.decided.insertRow(at)
            cells = (decision.at.astimezone().strftime("%d %b %H:%M"), decision.by,
                     decision.what, decision.resolution, decision.note)  # fmt: skip
            for column, text in enumerate(cells):
                self.decided.setItem(at, column, QTableWidgetItem(text))
        index = next((n for n, e in enumerate(entries) if e.id == keep), 0 if entries else -1)
        self.table.blockSignals(True)
        self.table.setCurrentCell(index, 0)
        self.table.blockSignals(False)
        self.pick(index)

    def pick(self, row: int) -> None:
        entry = self.entries[row] if 0 <= row < len(self.entries) else None
        self.current = entry
        self.detail_card.setVisible(entry is not None)
        self.empty.setVisible(not self.entries)
        self.value.set_error(None)
        self.note.set_error(None)
        self.value.set_text("")
        self.note.set_text("")
        for button in self.choice_buttons.values():
            self.choice_row.removeWidget(button)
            button.hide()  # gone now, not at the next turn of the event loop
            button.deleteLater()
        self.choice_buttons = {}
        if entry is None:
            return
        self.title.setText(entry.title)
        self.state.setText(entry.state)
        self.detail.setText(entry.detail)
        self.sides.setVisible(entry.mine is not None)
        if entry.mine is not None:
            self.sides.setText(f"Kept now: {entry.mine}\nSet aside: {entry.theirs}")
        self.value.setVisible(any(c.needs_value for c in entry.choices))
        for choice in entry.choices:
            button = Button(choice.title, variant=Variant.SECONDARY, size=Size.TOUCH)
            button.setAccessibleName(choice.title)
            button.clicked.connect(lambda _=False, c=choice: self.resolve(c))
            self.choice_row.addWidget(button)
            self.choice_buttons[choice.code] = button
        self.refresh_state()

    # ------------------------------------------------------------------ deciding
    def resolve(self, choice: Choice) -> None:
        entry = self.current
        if entry is None:
            return
        self.value.set_error(None)
        self.note.set_error(None)
        note, value = self.note.text(), self.value.text()
        self._run(lambda: self.desk.resolve(entry, choice, note=note, value=value),
                  self._resolved, self.choice_buttons.get(choice.code))  # fmt: skip

    def _resolved(self, message: str) -> None:
        self.toast(message, ToastKind.SUCCESS)
        self.current = None
        self.reload()  # the item leaves the list, the decision joins "Decided"

    # ------------------------------------------------------------------ state
    def refresh_state(self) -> None:
        reason = self.desk.why_not()
        busy = self.runner.busy
        self.reason.setText(reason or "Decisions are saved on the server, with your name.")
        self.reason.setVisible(True)
        self.sign_in_button.setVisible(reason is not None and self._open_business is not None)
        self.refresh_button.setEnabled(reason is None and not busy)
        for widget in (*self.choice_buttons.values(), self.value, self.note):
            widget.setEnabled(reason is None and not busy)

    def _to_business(self) -> None:
        if self._open_business is not None:
            self._open_business()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """Back on the screen (e.g. after signing in on Business setup, or a while later):
        read it again; not when it was just read."""
        super().showEvent(event)
        fresh = self._read_at is not None and time.monotonic() - self._read_at < FRESH_SECONDS
        if self.desk.why_not() is None and not self.runner.busy and not fresh:
            self.reload()
        else:
            self.refresh_state()

    def _run(
        self, action: Callable[[], Any], on_done: Callable[[Any], None], button: Button | None
    ) -> None:
        def failed(error: NovaError) -> None:
            message = plain(error)
            field = {"value": self.value, "note": self.note}.get(field_of(error) or "")
            if field is not None:
                field.set_error(message)
            self.toast(message, ToastKind.ERROR)
            self.refresh_state()

        self.runner.run_with(button, action, on_done, failed)
        self.refresh_state()

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)
