"""Back office, Staff & roles: the owner's or manager's e-mail sign-in (the strip Business setup
shows), then the staff and the roles in tabs. Staff live on the server and reach tills by sync,
so each action is enabled only when `desktop/office/rules.py` says it may run, with the reason
shown otherwise. Server calls run off the UI thread; results end in a toast, refusals beside
the field they are about."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop.net.http import ServerUnreachable
from desktop.office.config_desk import field_of, plain
from desktop.office.staff_desk import StaffDesk, StaffOverview
from desktop.ui.backoffice.office_task import TaskRunner
from desktop.ui.backoffice.roles_tab import RolesTab
from desktop.ui.backoffice.sign_in_strip import SignInStrip
from desktop.ui.backoffice.staff_tab import StaffTab
from desktop.ui.components.primitives import Button, Toast, ToastKind
from desktop.ui.theme import space
from shared.errors import AuthnError, NovaError

SIGNED_OUT = "Staff, PINs and roles live on the server: sign in with your e-mail to see and "
SIGNED_OUT += "change them."


class Field(Protocol):
    def set_error(self, message: str | None) -> None: ...


class StaffScreen(QWidget):
    def __init__(
        self,
        desk: StaffDesk,
        parent: QWidget | None = None,
        *,
        open_counter: Callable[[str, frozenset[str]], object] | None = None,
    ) -> None:
        """`open_counter(role name, permissions)`: opens this till's counter read-only as a
        role (Roles → Open the counter as this role); None hides the button (screenshots)."""
        super().__init__(parent)
        self.desk = desk
        self.open_counter = open_counter
        self.runner = TaskRunner(self)
        self.last_toast: tuple[ToastKind, str] | None = None
        self.overview: StaffOverview | None = None
        self.setProperty("role", "page")
        self.setAccessibleName("Staff & roles")
        self.strip = SignInStrip()
        self.strip.password.edit.returnPressed.connect(self.sign_in)
        self.strip.sign_in_button.clicked.connect(self.sign_in)
        self.strip.sign_out_button.clicked.connect(self.sign_out)
        self.strip.retry_button.clicked.connect(self.check_connection)
        self.staff = StaffTab(self)
        self.roles = RolesTab(self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("staff and roles sections")
        self.tabs.addTab(self.staff, "Staff")
        self.tabs.addTab(self.roles, "Roles")
        layout = QVBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        layout.addWidget(self.strip)
        layout.addWidget(self.tabs, 1)
        self.refresh_state()
        if desk.session.signed_in:
            self.reload()

    # ------------------------------------------------------------------ account
    def sign_in(self) -> None:
        strip = self.strip
        for field in (strip.email, strip.password):
            field.set_error(None)
        email, password = strip.email.text(), strip.password.text()

        def sign_in_and_read() -> StaffOverview:
            self.desk.session.sign_in(email, password)
            return self.desk.overview()

        def signed_in(overview: StaffOverview) -> None:
            strip.password.set_text("")
            user = self.desk.session.user
            self.toast(f"Signed in as {user.name if user else 'you'}", ToastKind.SUCCESS)
            self.show_overview(overview)

        self.run(sign_in_and_read, signed_in, {"email": strip.email, "password": strip.password},
                 strip.sign_in_button)  # fmt: skip

    def sign_out(self) -> None:
        self.runner.wait()
        self.desk.session.sign_out()
        self.show_overview(None)
        self.toast("Signed out of the back office", ToastKind.INFO)

    def check_connection(self) -> None:
        def probed(online: bool) -> None:
            if online and self.desk.session.signed_in:
                self.reload()
                return
            self.toast("Back online" if online else "The server still does not answer",
                       ToastKind.SUCCESS if online else ToastKind.ERROR)  # fmt: skip
            self.refresh_state()

        self.run(self.desk.session.probe, probed, {})

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Read staff, roles and locations again (after every change: tills and other back
        offices may have changed them too)."""

        def shown(overview: StaffOverview) -> None:
            self.show_overview(overview)
            if then is not None:
                then()

        self.run(self.desk.overview, shown, {})

    def show_overview(self, overview: StaffOverview | None) -> None:
        self.overview = overview
        self.staff.show_data(overview)
        self.roles.show_data(overview)
        self.refresh_state()

    # ------------------------------------------------------------------ shared by the tabs
    def run(
        self,
        action: Callable[[], Any],
        on_done: Callable[[Any], None],
        fields: Mapping[str, Field],
        button: Button | None = None,
    ) -> bool:
        """One server call (`button` busy meanwhile); a refusal goes beside its field in
        `fields` (or `fields["*"]`, the tab's note, for one about no field) and in a toast."""
        return self.runner.run_with(
            button, action, on_done, lambda error: self._failed(error, fields)
        )

    def _failed(self, error: NovaError, fields: Mapping[str, Field]) -> None:
        message = plain(error)
        target = fields.get(field_of(error) or "") or fields.get("*")
        if target is not None:
            target.set_error(message)
        self.toast(message, ToastKind.ERROR)
        if isinstance(error, ServerUnreachable | AuthnError):
            if self.desk.session.signed_in:
                self.refresh_state()  # offline: what was read stays on screen, changes are off
            else:
                self.show_overview(None)

    def refresh_state(self) -> None:
        self.strip.show_state(self.desk.session, operation_id="staff.manage", signed_out=SIGNED_OUT)
        self.staff.refresh_state()
        self.roles.refresh_state()

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)
