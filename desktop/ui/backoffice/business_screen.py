"""Back office, business set-up: the owner's or manager's e-mail sign-in, then locations,
taxes, selling rules, the catalog file, tills and the receipt in tabs. Everything here lives on
the server, so each action is enabled only when `desktop/office/rules.py` says it may run,
with the reason shown otherwise.

Server calls run off the UI thread (`TaskRunner`); results end in a toast, refusals next to
the field they are about."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from PySide6.QtWidgets import (
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.net.http import ServerUnreachable
from desktop.office.config_desk import ConfigDesk, Overview, field_of, plain
from desktop.ui.backoffice.catalog_file_tab import CatalogFileTab
from desktop.ui.backoffice.locations_tab import LocationsTab
from desktop.ui.backoffice.office_task import Field, TaskRunner
from desktop.ui.backoffice.receipt_tab import ReceiptTab
from desktop.ui.backoffice.selling_tab import SellingTab
from desktop.ui.backoffice.sign_in_strip import SignInStrip
from desktop.ui.backoffice.taxes_tab import TaxesTab
from desktop.ui.backoffice.tills_tab import TillsTab
from desktop.ui.components.primitives import Button, Toast, ToastKind
from desktop.ui.theme import space
from shared.errors import AuthnError, NovaError


class Tab(Protocol):
    def show_data(self, overview: Overview | None) -> None: ...
    def refresh_state(self) -> None: ...


class BusinessScreen(QWidget):
    def __init__(self, desk: ConfigDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = TaskRunner(self)
        self.last_toast: tuple[ToastKind, str] | None = None
        self.setProperty("role", "page")
        self.setAccessibleName("Business setup")

        # ------------------------------------------------ sign-in strip
        strip = SignInStrip()
        self.strip = strip
        self.email, self.password = strip.email, strip.password
        self.sign_in_button, self.sign_out_button = strip.sign_in_button, strip.sign_out_button
        self.who, self.account, self.reason = strip.who, strip.account, strip.reason
        self.retry_button = strip.retry_button
        self.password.edit.returnPressed.connect(self.sign_in)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.retry_button.clicked.connect(self.check_connection)

        # ------------------------------------------------ tabs
        self.locations = LocationsTab(self)
        self.taxes = TaxesTab(self)
        self.locations.changed.connect(self.taxes.show_locations)
        self.selling = SellingTab(self)
        self.catalog_file = CatalogFileTab(self)
        self.tills = TillsTab(self)
        self.tills.changed.connect(self.locations.show_tills)
        self.receipt = ReceiptTab(self)
        for tab in (self.locations, self.taxes, self.selling, self.catalog_file, self.tills,
                    self.receipt):  # fmt: skip
            tab.setProperty("role", "page")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("business setup sections")
        self.tabs.addTab(self.locations, "Locations")
        self.tabs.addTab(self.taxes, "Taxes")
        self.tabs.addTab(self.selling, "Selling rules")
        self.tabs.addTab(self.catalog_file, "Catalog file")
        self.tabs.addTab(self.tills, "Tills")
        self.tabs.addTab(self.receipt, "Receipt")
        self._tabs: tuple[Tab, ...] = (
            self.locations, self.taxes, self.selling, self.catalog_file, self.tills, self.receipt,
        )  # fmt: skip

        layout = QVBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        layout.addWidget(strip)
        layout.addWidget(self.tabs, 1)
        self.refresh_state()
        if desk.session.signed_in:
            self.reload()

    # ------------------------------------------------------------------ account
    def sign_in(self) -> None:
        for field in (self.email, self.password):
            field.set_error(None)
        email, password = self.email.text(), self.password.text()

        def sign_in_and_read() -> Overview:
            self.desk.session.sign_in(email, password)
            return self.desk.overview()

        self.run(sign_in_and_read, self._signed_in,
                 {"email": self.email, "password": self.password}, self.sign_in_button)  # fmt: skip

    def _signed_in(self, overview: Overview) -> None:
        self.password.set_text("")
        user = self.desk.session.user
        self.toast(f"Signed in as {user.name if user else 'you'}", ToastKind.SUCCESS)
        self.show_overview(overview)

    def sign_out(self) -> None:
        self.runner.wait()
        self.desk.session.sign_out()
        self.show_overview(None)
        self.toast("Signed out of the back office", ToastKind.INFO)

    def check_connection(self) -> None:
        self.run(self.desk.session.probe, self._probed, {})

    def _probed(self, online: bool) -> None:
        if online and self.desk.session.signed_in:
            self.reload()
            return
        self.toast("Back online" if online else "The server still does not answer",
                   ToastKind.SUCCESS if online else ToastKind.ERROR)  # fmt: skip
        self.refresh_state()

    def reload(self) -> None:
        self.run(self.desk.overview, self.show_overview, {})

    def show_overview(self, overview: Overview | None) -> None:
        """Fill every tab from what was read (None: signed out, nothing to show)."""
        for tab in self._tabs:
            tab.show_data(overview)
        self.refresh_state()

    # ------------------------------------------------------------------ shared by the tabs
    def run(
        self,
        action: Callable[[], Any],
        on_done: Callable[[Any], None],
        fields: Mapping[str, Field],
        button: Button | None = None,
    ) -> bool:
        """Run one server call (`button` busy meanwhile); a refusal goes next to its field in
        `fields` and in a toast. False when another call is still running."""
        return self.runner.run_with(
            button, action, on_done, lambda error: self._failed(error, fields)
        )

    def _failed(self, error: NovaError, fields: Mapping[str, Field]) -> None:
        message = plain(error)
        field = field_of(error)
        if field is not None and field in fields:
            fields[field].set_error(message)
        self.toast(message, ToastKind.ERROR)
        if isinstance(error, ServerUnreachable | AuthnError):
            if self.desk.session.signed_in:
                self.refresh_state()  # offline: what was read stays on screen, changes are off
            else:
                self.show_overview(None)

    def refresh_state(self) -> None:
        self.strip.show_state(
            self.desk.session,
            operation_id="locations.edit",
            signed_out="Locations, taxes and selling rules live on the server: sign in with "
            "your e-mail to see and change them.",
        )
        for tab in self._tabs:
            tab.refresh_state()

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)
