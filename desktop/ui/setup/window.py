"""The first-run window: the choice, then server → owner sign-in or code → location → till
name → progress. Each step runs on a worker thread with the page's buttons disabled; a refusal
is shown next to the field it names, in the desk's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidgetItem, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from desktop.setup.desk import Location, SetupDesk, Stage
from desktop.setup.errors import SetupField, field_of
from desktop.ui.components.primitives import Button, Input
from desktop.ui.setup.pages import (
    CODE_INTRO,
    NAME_INTRO,
    SYNC_INTRO,
    ChoicePage,
    LocationPage,
    OwnerPage,
    Page,
    ProgressPage,
    ServerPage,
    TillPage,
)
from desktop.ui.setup.staff_page import StaffPage
from desktop.ui.setup.task import SetupTask
from desktop.ui.shell.fit import fit_window
from desktop.ui.theme import Theme, apply_theme
from shared.errors import NovaError

WAITING = (
    "This till is set up, but its selling settings have not arrived from the server yet. "
    "Try again in a moment."
)


class SetupWindow(QWidget):
    """Emits `finished` when the till can open its sign-in (set up and synced, or a demo)."""

    finished = Signal()

    def __init__(self, desk: SetupDesk, theme: Theme = "light", *, start: Stage = Stage.FRESH):
        super().__init__()
        self.desk = desk
        self.task: SetupTask | None = None
        self.by_code = False  # the manager-code path (no owner sign-in, no location page)
        self.staff_done = False  # the counter staff step was shown (or not needed)
        self.locations: list[Location] = []
        self.setWindowTitle("Nova POS — set up this till")
        self.setProperty("role", "page")
        fit_window(self)  # what the screen leaves under a title bar
        self.choice = ChoicePage()
        self.server = ServerPage()
        self.owner = OwnerPage()
        self.location = LocationPage()
        self.till = TillPage()
        self.progress = ProgressPage()
        self.staff = StaffPage()
        self.stack = QStackedWidget()
        for page in (self.choice, self.server, self.owner, self.location, self.till,
                     self.progress, self.staff):  # fmt: skip
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.fields: dict[SetupField, tuple[Page, Input]] = {
            SetupField.SERVER: (self.server, self.server.address),
            SetupField.EMAIL: (self.owner, self.owner.email),
            SetupField.PASSWORD: (self.owner, self.owner.password),
            SetupField.LOCATION_CODE: (self.location, self.location.code),
            SetupField.LOCATION_NAME: (self.location, self.location.name),
            SetupField.CODE: (self.till, self.till.code),
            SetupField.NAME: (self.till, self.till.name),
            SetupField.STAFF_NAME: (self.staff, self.staff.you_name),
            SetupField.STAFF_CODE: (self.staff, self.staff.you_code),
            SetupField.STAFF_PIN: (self.staff, self.staff.you_pin),
            SetupField.CASHIER_NAME: (self.staff, self.staff.cashier_name),
            SetupField.CASHIER_CODE: (self.staff, self.staff.cashier_code),
            SetupField.CASHIER_PIN: (self.staff, self.staff.cashier_pin),
        }
        self._wire()
        apply_theme(self, theme)
        if start is Stage.SYNCING:
            self.start_sync()
        else:
            self.stack.setCurrentWidget(self.choice)

    def _wire(self) -> None:
        self.choice.setup.clicked.connect(lambda: self.go(self.server))
        self.choice.demo.clicked.connect(self.try_demo)
        self.server.back.clicked.connect(lambda: self.go(self.choice))
        self.server.next.clicked.connect(self.check_server)
        self.owner.back.clicked.connect(lambda: self.go(self.server))
        self.owner.sign_in.clicked.connect(self.sign_in)
        self.owner.use_code.clicked.connect(lambda: self.show_till_page(by_code=True))
        self.location.back.clicked.connect(lambda: self.go(self.owner))
        self.location.open_button.clicked.connect(self.create_location)
        self.location.next.clicked.connect(lambda: self.show_till_page(by_code=False))
        self.location.choices.currentRowChanged.connect(self._location_picked)
        self.till.back.clicked.connect(
            lambda: self.go(self.owner if self.by_code else self.location)
        )
        self.till.enroll.clicked.connect(self.enroll)
        self.progress.retry.clicked.connect(self.start_sync)
        self.progress.open.clicked.connect(self.finished.emit)
        self.staff.save.clicked.connect(self.save_staff)

    # ------------------------------------------------------------------ plumbing
    def go(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        focus: dict[QWidget, Input] = {
            self.server: self.server.address,
            self.owner: self.owner.email,
            self.till: self.till.code if self.by_code else self.till.name,
        }
        target = focus.get(page)
        if target is not None:
            target.setFocus()
        elif page is self.location:
            self.location.choices.setFocus()

    def current(self) -> QWidget:
        page = self.stack.currentWidget()
        assert page is not None
        return page

    def run(
        self,
        page: QWidget,
        busy: Button,
        step: Callable[[Callable[[float], None]], Any],
        then: Callable[[Any], None],
    ) -> None:
        """Run `step` off the UI thread with `page`'s buttons disabled, then `then(result)`;
        a refusal is shown at its field."""
        self._clear(page)
        buttons = [b for b in page.findChildren(QPushButton) if b is not busy]
        for button in buttons:
            button.setEnabled(False)
        busy.set_busy(True)
        # The step before may still be leaving its thread (its answer is what called us): a
        # QThread dropped while running aborts the process.
        self.wait()
        task = SetupTask(step)
        self.task = task

        def settle() -> None:
            busy.set_busy(False)
            for button in buttons:
                button.setEnabled(True)

        def succeeded(result: object) -> None:
            settle()
            then(result)

        def failed(error: NovaError) -> None:
            settle()
            self.show_error(error)

        task.done.connect(succeeded)
        task.failed.connect(failed)
        task.progressed.connect(self._progressed)
        task.start()

    def wait(self) -> None:
        """Block until the running step has ended (tests, and closing the window)."""
        if self.task is not None:
            self.task.wait()

    def _clear(self, page: QWidget) -> None:
        for owner, field in self.fields.values():
            if owner is page:
                field.set_error(None)
        if isinstance(page, Page | ChoicePage):
            page.message.setVisible(False)

    def show_error(self, error: NovaError) -> None:
        """Next to its field when that field is on this page; else on the page's message line."""
        field = field_of(error)
        where = self.fields.get(field) if field is not None else None
        page = self.current()
        if where is not None and where[0] is page:
            where[1].set_error(error.message)
            where[1].setFocus()
            return
        if isinstance(page, ProgressPage):
            page.retry.setVisible(True)
        if isinstance(page, Page):
            page.say(error.message)
        elif isinstance(page, ChoicePage):
            page.message.setText(error.message)
            page.message.setVisible(True)

    # ------------------------------------------------------------------ the steps
    def try_demo(self) -> None:
        self.run(self.choice, self.choice.demo, lambda _r: self.desk.start_demo(),
                 lambda _loaded: self.finished.emit())  # fmt: skip

    def check_server(self) -> None:
        address = self.server.address.text()
        self.run(self.server, self.server.next, lambda _r: self.desk.check_server(address),
                 lambda _info: self.go(self.owner))  # fmt: skip

    def sign_in(self) -> None:
        email, password = self.owner.email.text(), self.owner.password.text()
        self.run(
            self.owner,
            self.owner.sign_in,
            lambda _r: self.desk.sign_in_owner(email=email, password=password),
            self._signed_in,
        )

    def _signed_in(self, locations: list[Location]) -> None:
        self.owner.password.set_text("")
        self.locations = list(locations)
        self._fill_locations(select=0)
        self.go(self.location)

    def _fill_locations(self, select: int) -> None:
        choices = self.location.choices
        choices.clear()
        for location in self.locations:
            item = QListWidgetItem(f"{location.name}  ({location.code})")
            item.setData(Qt.ItemDataRole.UserRole, str(location.id))
            choices.addItem(item)
        choices.setVisible(bool(self.locations))
        self.location.new_label.setText(
            "Or open a new location:" if self.locations else "Open the business's first location:"
        )
        if self.locations:
            choices.setCurrentRow(min(select, len(self.locations) - 1))
        self.location.next.setEnabled(bool(self.locations))

    def _location_picked(self, row: int) -> None:
        self.location.next.setEnabled(row >= 0)

    def create_location(self) -> None:
        code, name = self.location.code.text(), self.location.name.text()
        self.run(self.location, self.location.open_button,
                 lambda _r: self.desk.create_location(code=code, name=name),
                 self._location_created)  # fmt: skip

    def _location_created(self, location: Location) -> None:
        self.locations.append(location)
        self._fill_locations(select=len(self.locations) - 1)
        self.location.code.set_text("")
        self.location.name.set_text("")
        self.location.next.setEnabled(True)

    def picked(self) -> Location | None:
        row = self.location.choices.currentRow()
        return self.locations[row] if 0 <= row < len(self.locations) else None

    def show_till_page(self, *, by_code: bool) -> None:
        if not by_code and self.picked() is None:
            self.location.say("Pick the location of this till, or open a new one")
            return
        self.by_code = by_code
        self.till.code.setVisible(by_code)
        self.till.card.title.setText("Enrollment code" if by_code else "Name this till")
        self.till.intro.setText(CODE_INTRO if by_code else NAME_INTRO)
        self.go(self.till)

    def enroll(self) -> None:
        name, code, location = self.till.name.text(), self.till.code.text(), self.picked()
        if self.by_code:
            step = lambda _r: self.desk.enroll_with_code(code=code, till_name=name)  # noqa: E731
        else:
            assert location is not None
            step = lambda _r: self.desk.enroll_as_owner(location=location, till_name=name)  # noqa: E731
        self.run(self.till, self.till.enroll, step, lambda _e: self.start_sync())

    def start_sync(self) -> None:
        page = self.progress
        self.go(page)
        page.card.title.setText("Setting up this till")
        page.intro.setText(SYNC_INTRO)
        page.status.setText("Bringing staff, menu and settings from the server…")
        page.retry.setVisible(False)
        page.open.setVisible(False)
        page.bar.setValue(0)
        self.run(page, page.retry, lambda report: self.desk.first_sync(report), self._synced)

    def _progressed(self, fraction: float) -> None:
        self.progress.bar.setValue(round(fraction * 100))

    def _synced(self, ready: bool) -> None:
        page = self.progress
        page.bar.setValue(100)
        if ready and self.desk.owner is not None and not self.staff_done:
            # A new business has nobody with a counter PIN yet: the owner makes the first.
            self.run(page, page.retry, lambda _r: self.desk.needs_counter_staff(),
                     self._staff_needed)  # fmt: skip
            return
        if ready:
            page.card.title.setText("This till is ready")
            page.intro.setText("Staff, menu and settings have arrived from the server.")
            page.status.setText("Sign in with your staff code and PIN to start selling.")
            page.open.setVisible(True)
            page.open.setFocus()
        else:
            page.status.setText(WAITING)
            page.retry.setVisible(True)

    # ------------------------------------------------------------------ the first counter staff
    def _staff_needed(self, needed: bool) -> None:
        self.staff_done = not needed
        if not needed:
            self._synced(True)
            return
        owner = self.desk.owner
        self.staff.you_name.set_text(owner.user_name if owner is not None else "")
        self.go(self.staff)
        self.staff.you_code.setFocus()

    def save_staff(self) -> None:
        you, cashier = self.staff.you(), self.staff.cashier()
        self.run(
            self.staff,
            self.staff.save,
            lambda report: self.desk.add_counter_staff(you=you, cashier=cashier, progress=report),
            self._staff_saved,
        )

    def _staff_saved(self, _made: list[str]) -> None:
        self.staff_done = True
        self.go(self.progress)
        self._synced(True)
        code = self.staff.you_code.text().strip()
        self.progress.status.setText(
            f"Sign in with your staff code {code} and your PIN to start selling."
        )
