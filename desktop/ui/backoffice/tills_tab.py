"""Business set-up, tills: every till of the business with its location and when it last
synced; a one-time enrollment code for a new till (valid 1 hour, 24 hours or 7 days); the
picked till moved to another location or revoked. A thin view over `TillsDesk`."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.office.config_desk import Overview
from desktop.office.models import Location, Till
from desktop.office.tills_desk import (
    CODE_LIFETIMES,
    TILLS,
    EnrollmentCode,
    TillsDesk,
    last_seen,
    valid_until,
)
from desktop.ui.backoffice.office_task import Host, Note, card, reason_label
from desktop.ui.components.primitives import Button, ConfirmDialog, Size, ToastKind, Variant
from desktop.ui.components.tables import list_table
from desktop.ui.theme import space

COLUMNS = ("Till", "Code", "At", "Last synced")  # "At": the location's short code
NO_TILLS = "No till is enrolled yet: issue a code and type it into the new till."


def _narrow(combo: QComboBox) -> None:
    """A location box as wide as its card gives it, not as its longest shop name."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)


class TillsTab(QWidget):
    changed = Signal(list)  # the tills after a move or a revoke (Locations shows who is where)

    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host
        self.desk = TillsDesk(host.desk.session)
        self.tills: list[Till] = []
        self.locations: list[Location] = []
        self.current: Till | None = None
        self.issued: EnrollmentCode | None = None
        self.setAccessibleName("Tills")

        self.table = list_table(COLUMNS, "tills")
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self.pick(row))
        self.empty = QLabel(NO_TILLS)
        self.empty.setProperty("role", "helper")
        self.empty.setWordWrap(True)

        # ------------------------------------------------ a new till
        self.code_location = QComboBox()
        self.code_location.setAccessibleName("location of the new till")
        self.lifetime = QComboBox()
        for combo in (self.code_location,):  # long shop names must not widen the window
            _narrow(combo)
        self.lifetime.setAccessibleName("code valid for")
        for label, minutes in CODE_LIFETIMES:
            self.lifetime.addItem(label, minutes)
        self.lifetime.setCurrentIndex(1)  # 24 hours: set up today or tomorrow morning
        self.code_note = Note("enrollment code refusal")
        self.issue_button = Button("Issue enrollment code", variant=Variant.PRIMARY,
                                   size=Size.TOUCH)  # fmt: skip
        self.issue_button.clicked.connect(self.issue)
        self.code = QLabel("")
        self.code.setProperty("role", "title")
        self.code.setAccessibleName("enrollment code")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_help = QLabel("")
        self.code_help.setProperty("role", "helper")
        self.code_help.setWordWrap(True)
        new_card, new_form = card("A new till")
        choices = QHBoxLayout()
        choices.setSpacing(space("sm"))
        choices.addWidget(self.code_location, 1)
        choices.addWidget(self.lifetime)
        new_form.addLayout(choices)
        new_form.addWidget(self.code_note)
        new_form.addWidget(self.issue_button)
        new_form.addSpacing(space("sm"))
        new_form.addWidget(self.code)
        new_form.addWidget(self.code_help)

        # ------------------------------------------------ the picked till
        self.picked = QLabel("Pick a till in the list")
        self.picked.setProperty("role", "helper")
        self.picked.setWordWrap(True)
        self.move_to = QComboBox()
        self.move_to.setAccessibleName("move the till to")
        _narrow(self.move_to)
        self.move_note = Note("move refusal")
        self.move_button = Button("Move till", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.move_button.clicked.connect(self.move_till)
        self.revoke_button = Button("Revoke till", variant=Variant.DANGER, size=Size.TOUCH)
        self.revoke_button.clicked.connect(self.revoke)
        till_card, till_form = card("This till")
        till_form.addWidget(self.picked)
        moving = QHBoxLayout()
        moving.setSpacing(space("sm"))
        moving.addWidget(self.move_to, 1)
        moving.addWidget(self.move_button)
        till_form.addLayout(moving)
        till_form.addWidget(self.move_note)
        till_form.addWidget(self.revoke_button)
        self.reason = reason_label()

        # The list above, the two cards side by side below it: at 1024 pixels a list beside
        # the cards would cut the tills' names.
        cards = QHBoxLayout()
        cards.setSpacing(space("md"))
        for section in (new_card, till_card):  # never squeezed: the list gives way instead
            section.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.table.setMinimumHeight(space("xl") * 3)
        cards.addWidget(new_card, 1)
        cards.addWidget(till_card, 1)
        layout = QVBoxLayout(self)
        pad = space("md")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("sm"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(cards)
        layout.addWidget(self.reason)
        self.pick(-1)

    # ------------------------------------------------------------------ showing
    def _zone(self) -> str:
        user = self.host.desk.session.user
        return user.timezone if user else "UTC"

    def _place(self, location_id: uuid.UUID) -> str:
        found = next((x for x in self.locations if x.id == location_id), None)
        return found.name if found else "?"

    def _code(self, location_id: uuid.UUID) -> str:
        found = next((x for x in self.locations if x.id == location_id), None)
        return found.code if found else "?"

    def show_data(self, overview: Overview | None) -> None:
        self.locations = list(overview.locations) if overview else []
        self.issued = None
        self.code.setText("")
        self.code_help.setText("")
        self.code_location.clear()
        for loc in self.locations:
            self.code_location.addItem(f"{loc.name} ({loc.code})", str(loc.id))
        self._fill(list(overview.tills or []) if overview else [])

    def _fill(self, tills: list[Till], keep: uuid.UUID | None = None) -> None:
        # Active tills first (by name), revoked ones after them: they are history.
        self.tills = sorted(tills, key=lambda t: (not t.active, t.name.lower()))
        zone = self._zone()
        self.table.setRowCount(len(self.tills))
        for row, till in enumerate(self.tills):
            cells = (till.name, till.terminal_code or "", self._code(till.location_id),
                     last_seen(till, zone=zone))  # fmt: skip
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, str(till.id))
                self.table.setItem(row, column, cell)
        self.empty.setVisible(not self.tills and self.host.desk.session.signed_in)
        ids = [t.id for t in self.tills]
        if keep in ids:
            self.table.setCurrentCell(ids.index(keep), 0)
            self.pick(ids.index(keep))
        else:
            self.table.setCurrentCell(-1, -1)
            self.pick(-1)

    def pick(self, row: int) -> None:
        self.current = self.tills[row] if 0 <= row < len(self.tills) else None
        till = self.current
        self.move_note.set_error(None)
        self.move_to.clear()
        if till is None:
            self.picked.setText("Pick a till in the list to move or revoke it")
        elif not till.active:
            self.picked.setText(f"{till.name} is revoked: it no longer syncs")
        else:
            self.picked.setText(f"{till.name} at {self._place(till.location_id)}")
            for loc in self.locations:
                if loc.id != till.location_id:
                    self.move_to.addItem(f"{loc.name} ({loc.code})", str(loc.id))
        self.refresh_state()

    def refresh_state(self) -> None:
        reason = self.desk.why_not(TILLS)
        allowed = reason is None
        for widget in (self.code_location, self.lifetime, self.issue_button):
            widget.setEnabled(allowed and bool(self.locations))
        usable = allowed and self.current is not None and self.current.active
        self.revoke_button.setEnabled(usable)
        self.move_to.setEnabled(usable and self.move_to.count() > 0)
        self.move_button.setEnabled(usable and self.move_to.count() > 0)
        self.reason.setText(reason or "")
        self.reason.setVisible(reason is not None)

    def _location(self, combo: QComboBox) -> Location | None:
        wanted = combo.currentData()
        return next((x for x in self.locations if str(x.id) == wanted), None)

    # ------------------------------------------------------------------ actions
    def issue(self) -> None:
        self.code_note.set_error(None)
        location, minutes = self._location(self.code_location), int(self.lifetime.currentData())
        self.host.run(lambda: self.desk.issue_code(location, minutes), self.show_code,
                      {"location": self.code_note, "lifetime": self.code_note,
                       "ttl_minutes": self.code_note}, self.issue_button)  # fmt: skip

    def show_code(self, code: EnrollmentCode, *, announce: bool = True) -> None:
        self.issued = code
        self.code.setText(code.code)
        until = valid_until(code, zone=self._zone())
        self.code_help.setText(
            f"Type it on the new till ({code.location.name}): Set up this till → I have an "
            f"enrollment code. Works once, until {until}."
        )
        if announce:
            self.host.toast(f"Code issued for {code.location.name}, valid until {until}",
                            ToastKind.SUCCESS)  # fmt: skip

    def move_till(self) -> None:
        till, location = self.current, self._location(self.move_to)
        if till is None:
            return
        self.move_note.set_error(None)
        self.host.run(lambda: self.desk.move(till, location), self._moved,
                      {"location_id": self.move_note}, self.move_button)  # fmt: skip

    def _moved(self, till: Till) -> None:
        self.host.toast(
            f"{till.name} now belongs to {self._place(till.location_id)}: it sells there from "
            "its next sync (what it sold before stays at its old location)",
            ToastKind.SUCCESS,
        )
        self._fill([till if t.id == till.id else t for t in self.tills], keep=till.id)
        self.changed.emit(list(self.tills))

    def revoke(self) -> None:
        till = self.current
        if till is None:
            return
        question = (
            f"{till.name} stops syncing at once and can no longer connect. What it sold and has "
            "not sent yet still reaches the server, kept aside for review. To use the till "
            "again, enroll it with a new code."
        )
        if not ConfirmDialog.ask(self, f"Revoke {till.name}?", question,
                                 confirm="Revoke till", cancel="Keep it", danger=True):  # fmt: skip
            return
        self.host.run(lambda: self.desk.revoke(till), self._revoked, {}, self.revoke_button)

    def _revoked(self, till: Till) -> None:
        self.host.toast(f"{till.name} is revoked: it no longer syncs", ToastKind.SUCCESS)
        self._fill([till if t.id == till.id else t for t in self.tills], keep=till.id)
        self.changed.emit(list(self.tills))
