"""The terminal's windows: sign-in first, then the shell with the real screens for that person."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.hardware.cards import looks_like_swipe, scanned_staff_code
from desktop.hardware.live_peripherals import CustomerDisplay
from desktop.hardware.payment_terminal import PaymentTerminal
from desktop.office.config_desk import ConfigDesk
from desktop.office.inbox_desk import InboxDesk
from desktop.office.pictures import PictureDesk
from desktop.office.session import OfficeSession
from desktop.office.staff_desk import StaffDesk
from desktop.office.staff_models import StaffMember
from desktop.printing.worker import PrinterStatus
from desktop.session import SessionContext
from desktop.staff.service import Actor, unlock
from desktop.sync.status import Connectivity, SyncStatus
from desktop.till.catalog_desk import CatalogDesk
from desktop.till.counter import Counter
from desktop.till.device_desk import DeviceDesk, RunningDevices
from desktop.till.journal_desk import JournalDesk
from desktop.till.refund_desk import RefundDesk
from desktop.till.shift_desk import ShiftDesk
from desktop.till.staff_cards import print_staff_card
from desktop.till.views import CartView, SaleDone
from desktop.ui.backoffice.business_screen import BusinessScreen
from desktop.ui.backoffice.catalog_screen import CatalogScreen
from desktop.ui.backoffice.devices_screen import DevicesScreen
from desktop.ui.backoffice.inbox_screen import InboxScreen
from desktop.ui.backoffice.journal_screen import JournalScreen
from desktop.ui.backoffice.staff_screen import StaffScreen
from desktop.ui.components.primitives import Button, Size, ToastKind, Variant
from desktop.ui.role_preview_window import open_role_preview
from desktop.ui.sell.override_dialog import OverrideDialog
from desktop.ui.sell.refund_screen import RefundScreen
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.sell.shift_screen import ShiftScreen
from desktop.ui.sell.sign_in import SignInScreen
from desktop.ui.setup.banner import DemoBanner
from desktop.ui.shell.default_screens import default_registry
from desktop.ui.shell.fit import fit_window
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.registry import Mode
from desktop.ui.theme import Theme, apply_theme

log = logging.getLogger("desktop.ui")
SIGN_OUT_KEY = "Ctrl+L"  # "lock": F1–F12 are the sell screen's; see docs/cashier-guide.md
STATUS_REFRESH_MS = 2_000  # how often the status bar re-reads the changes waiting to sync


class _ActivityWatch(QObject):
    """Restarts the idle timer on every key press, click or touch anywhere in the app."""

    INPUT = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.TouchBegin,
            QEvent.Type.Wheel,
        }
    )

    def __init__(self, timer: QTimer) -> None:
        super().__init__(timer)  # owned by the timer: Qt deletes them together
        self.timer = timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802, ARG002 - Qt override
        if event.type() in self.INPUT and self.timer.isActive():
            self.timer.start()
        return False


class ScanBridge(QObject):
    """Carries codes from a scanner thread to the UI thread (a queued signal)."""

    scanned = Signal(str)


class TillWindows:
    """Shows the sign-in screen; a successful sign-in opens the main window for that user.
    After `idle_lock_ms` without input the till locks: back to sign-in, the open ticket parked
    under its cashier (as at "Sign out"), back when they sign in again.
    Locking and closing also sign the owner's e-mail session (`office`) out."""

    def __init__(
        self,
        counter: Counter,
        payment_terminal: PaymentTerminal,
        theme: Theme = "light",
        *,
        idle_lock_ms: int = 0,
        printer_status: Callable[[], PrinterStatus | None] | None = None,
        sync_status: Callable[[], SyncStatus] | None = None,
        display: CustomerDisplay | None = None,
        demo: bool = False,
        on_setup: Callable[[], object] | None = None,
        sign_in_hint: str = "",
        office: OfficeSession | None = None,
        devices_changed: Callable[[], None] | None = None,
        live_devices: RunningDevices | None = None,
    ) -> None:
        """`demo`: this is a demo till — a banner on every screen, whose "Set up this till"
        calls `on_setup` (which asks before it wipes anything). `sign_in_hint`: a line on the
        sign-in screen (`NOVA_TERMINAL_SIGN_IN_HINT`: `nova start`'s demo business PINs).
        `devices_changed`: called after each change in Back office → Devices (the app's
        `LiveHardware.apply`: the running till uses the new printer or drawer at once);
        `live_devices` (the `LiveHardware`): a scan, swipe or display test goes through the
        port the till holds open."""
        self.counter = counter
        self.office = office or OfficeSession(None, None)  # not enrolled: server work is off
        self.business: BusinessScreen | None = None
        self.inbox: InboxScreen | None = None
        self.catalog: CatalogScreen | None = None
        self.staff: StaffScreen | None = None
        self.role_preview: MainWindow | None = None  # the counter opened read-only as a role
        self._worker_state: Connectivity | None = None
        self.payment_terminal = payment_terminal
        self.theme = theme
        self.window: MainWindow | None = None
        self.printer_status = printer_status
        self.devices_changed = devices_changed
        self.live_devices = live_devices
        # Read by the status timer on the UI thread: the sync worker never touches widgets.
        self.sync_status = sync_status
        self.display = display
        self.sell: SellScreen | None = None
        self.sign_out_button: Button | None = None  # in the till window's header
        self.sign_in = SignInScreen(counter, hint=sign_in_hint)
        self.demo = demo
        self.on_setup = on_setup
        if demo:
            # The banner tells the demo codes and PINs; the name tiles make room for it (the
            # sign-in must fit a 1024×768 screen).
            for tile in self.sign_in.tiles:
                tile.setVisible(False)
            intro = self.sign_in.card.body_layout.itemAt(0)
            label = intro.widget() if intro is not None else None
            if isinstance(label, QLabel):
                label.setText("Type your staff code, then your PIN.")
            self._add_banner(self.sign_in, pins=True)
        # Helpers are owned by the sign-in screen, so Qt — not Python's garbage collector at
        # interpreter exit — decides when they go (see `close`).
        self.scans = ScanBridge(self.sign_in)  # a serial scanner's thread emits here
        self.scans.scanned.connect(self._scanned)
        self.idle = QTimer(self.sign_in)
        self.idle.setSingleShot(True)
        self.idle.setInterval(idle_lock_ms)
        self.idle.timeout.connect(self.lock)
        self._watch = _ActivityWatch(self.idle)
        app = QApplication.instance()
        if app is not None and idle_lock_ms > 0:
            app.installEventFilter(self._watch)
        self.sign_in.setWindowTitle("Nova POS — sign in")
        apply_theme(self.sign_in, theme)
        fit_window(self.sign_in)  # what the screen leaves under a title bar
        self.sign_in.signed_in.connect(self.open_till)

    def show(self) -> None:
        self.sign_in.show()

    def front(self) -> QWidget:
        """The window in front: the till's, or the sign-in screen."""
        return self.window if self.window is not None else self.sign_in

    def scanned(self, code: str) -> None:
        """A line from a serial scanner or card reader, from its thread (queued to this one)."""
        self.scans.scanned.emit(code)

    def close(self) -> None:
        """Tear the windows down in order before the application goes (a clean exit)."""
        self.idle.stop()
        self._end_office()
        self.office.close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._watch)
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
            self.sell = None
        self.sign_in.close()
        self.sign_in.deleteLater()

    def open_till(self, actor: Actor) -> MainWindow:
        session = SessionContext(actor.name, actor.permissions, self.counter.enabled_modules())
        registry = default_registry(
            {
                "sell": self._sell_screen,
                "refunds": lambda: RefundScreen(RefundDesk(self.counter), self.payment_terminal),
                "shift": lambda: ShiftScreen(ShiftDesk(self.counter)),
                "catalog": self._catalog_screen,
                "devices": lambda: DevicesScreen(
                    DeviceDesk(self.counter, self.devices_changed, live=self.live_devices)
                ),
                "business": self._business_screen,
                "inbox": self._inbox_screen,
                "journal": self._journal_screen,
                "staff": self._staff_screen,
            }
        )
        window = MainWindow(session=session, registry=registry, default_theme=self.theme)
        self.window = window
        central = window.centralWidget()
        if self.demo and central is not None:
            self._add_banner(central, pins=False)
        self._add_sign_out(window)
        self.show_pending()
        refresh = QTimer(window)
        refresh.timeout.connect(self.show_pending)
        refresh.timeout.connect(self.redraw_catalog)
        refresh.start(STATUS_REFRESH_MS)
        window.show()
        self.sign_in.close()
        self._focus_scan_box()
        if self.idle.interval() > 0:
            self.idle.start()
        return window

    def _add_sign_out(self, window: MainWindow) -> None:
        """ "Sign out" in the header, beside the theme switch, and its key on every screen."""
        button = Button(
            f"Sign out ({SIGN_OUT_KEY})",
            variant=Variant.SECONDARY,
            size=Size.TOUCH,
            accessible_name="sign out",
        )
        button.setToolTip("Switch user: your open ticket is parked until you sign in again")
        button.clicked.connect(self.sign_out)
        # The header belongs to the shell; the button joins its row from here (the sign-out
        # rule is the till's, not the shell's).
        header = window.theme_button.parentWidget()
        bar = header.layout() if header is not None else None
        if isinstance(bar, QBoxLayout):
            bar.insertWidget(bar.indexOf(window.theme_button), button)
        self.sign_out_button = button
        QShortcut(QKeySequence(SIGN_OUT_KEY), window, self.sign_out)

    def sign_out(self) -> None:
        """The cashier signs out (switch user): their open ticket is parked under their name."""
        actor = self.counter.actor
        had_ticket = self.counter.ticket_id is not None
        self.lock()
        name = actor.name if actor is not None else "you"
        self.sign_in.message.setText(
            f"Signed out. The open ticket is parked for {name}: it comes back at their sign-in."
            if had_ticket
            else "Signed out. Next person: tap your name or type your code."
        )

    def _focus_scan_box(self) -> None:
        """The first scan after sign-in must ring up, not land on a header button."""
        if self.sell is not None and self.window is not None:
            self.window.activateWindow()
            self.sell.focus_scan_box()

    def _add_banner(self, host: QWidget, *, pins: bool) -> None:
        """The demo banner at the top of `host` (its layout is a vertical box)."""
        banner = DemoBanner(pins=pins)
        banner.setup_button.setVisible(self.on_setup is not None)
        if self.on_setup is not None:
            banner.setup_requested.connect(self.on_setup)
        layout = host.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, banner)

    def _business_screen(self) -> BusinessScreen:
        self.business = BusinessScreen(ConfigDesk(self.office))
        return self.business

    def _inbox_screen(self) -> InboxScreen:
        def to_business() -> None:
            if self.window is not None:
                self.window.open_screen("business")

        self.inbox = InboxScreen(InboxDesk(ConfigDesk(self.office)), open_business=to_business)
        return self.inbox

    def _staff_screen(self) -> StaffScreen:
        runner = self.counter.runner

        def unlock_here(code: str) -> bool:
            return runner.run(lambda uow: unlock(uow, code=code))

        def print_here(member: StaffMember) -> None:
            print_staff_card(self.counter, staff_id=member.id, name=member.name, code=member.code)

        def open_counter(role_name: str, permissions: frozenset[str]) -> MainWindow:
            self._close_preview()  # one preview at a time: the last one asked for
            modules = self.counter.enabled_modules()
            self.role_preview = open_role_preview(runner, role_name, permissions, modules,
                                                  self.theme)  # fmt: skip
            return self.role_preview

        self.staff = StaffScreen(
            StaffDesk(self.office, unlock_here, print_here), open_counter=open_counter
        )
        return self.staff

    def _end_office(self) -> None:
        """The e-mail session ends with the PIN session: no server call outlives the screen."""
        if self.business is not None:
            self.business.runner.wait()
            self.business = None
        if self.inbox is not None:
            self.inbox.runner.wait()
            self.inbox = None
        if self.catalog is not None:
            self.catalog.form.picture_tasks.wait()  # a picture upload ends with the session
            self.catalog = None
        if self.staff is not None:
            self.staff.runner.wait()
            self.staff = None
        self._close_preview()  # a preview does not outlive who opened it
        self.office.sign_out()

    def _close_preview(self) -> None:
        if self.role_preview is not None:
            self.role_preview.close()
            self.role_preview.deleteLater()
            self.role_preview = None

    def _scanned(self, code: str) -> None:
        """A code from a serial scanner or card reader. A card swipe signs in at the sign-in
        screen and finds the loyalty customer at the sell screen; anything else rings up."""
        signed_in = self.sell is not None and self.counter.actor is not None
        approval = QApplication.activeModalWidget()
        if isinstance(approval, OverrideDialog):  # a manager swiping or scanning their card
            if looks_like_swipe(code) or scanned_staff_code(code) is not None:
                approval.card_swiped(code)
            return
        if not signed_in and scanned_staff_code(code) is not None:
            self.sign_in.card_swiped(code)  # a printed staff card's barcode
        elif looks_like_swipe(code):
            if not signed_in:
                self.sign_in.card_swiped(code)
            elif self.sell is not None:
                self.sell.find_customer(code)
        elif signed_in and self.sell is not None:
            self.sell.scan_code(code)

    def _sell_screen(self) -> SellScreen:
        screen = SellScreen(self.counter, self.payment_terminal)
        self.sell = screen
        if self.display is not None:
            screen.cart_shown.connect(self._display_cart)
            screen.sale_done.connect(self._display_change)
        return screen

    def _catalog_screen(self) -> CatalogScreen:
        screen = CatalogScreen(CatalogDesk(self.counter), pictures=PictureDesk(self.office))
        self.catalog = screen
        screen.catalog_changed.connect(self._catalog_changed)
        return screen

    def _journal_screen(self) -> JournalScreen:
        screen = JournalScreen(JournalDesk(self.counter))
        screen.refund_requested.connect(lambda receipt: self.refund_from_journal(screen, receipt))
        return screen

    def refund_from_journal(self, journal: JournalScreen, receipt_no: str) -> None:
        """Refund… in the journal: the counter's Refunds screen with that sale found (the one
        refund screen; the journal only chooses the sale)."""
        if self.window is None:
            return
        self.window.set_mode(Mode.TERMINAL)
        try:
            screen = self.window.open_screen("refunds")
        except KeyError:
            self.window.set_mode(Mode.BACK_OFFICE)
            self.window.open_screen("journal")
            journal.toast("you may not open Refunds on this till", ToastKind.ERROR)
            return
        assert isinstance(screen, RefundScreen)
        screen.receipt_box.setText(receipt_no)
        screen.load(receipt_no)

    def _catalog_changed(self) -> None:
        """A back-office save: the sell screen's tabs and grid show it straight away."""
        if self.sell is not None:
            self.sell.refresh()

    def redraw_catalog(self) -> None:
        """A catalog change that arrived another way (pulled by sync from the server): the
        sell screen's tabs and tile prices follow it (checked with the status bar's refresh)."""
        if self.sell is not None and self.counter.actor is not None:
            self.sell.redraw_if_catalog_changed()

    def _display_cart(self, view: CartView) -> None:
        line = next((x for x in view.lines if x.id == view.last_added), None)
        if line is None and view.lines:
            line = view.lines[-1]
        self._to_display(
            lambda d: d.show_item(line.name, line.total, view.total) if line else d.welcome()
        )

    def _display_change(self, sale: SaleDone) -> None:
        self._to_display(lambda d: d.show_change(sale.total, sale.change))

    def _to_display(self, action: Callable[[CustomerDisplay], None]) -> None:
        if self.display is None:
            return
        try:
            action(self.display)
        except OSError as exc:  # pyserial's SerialException is an OSError
            log.info("customer display unavailable: %s", exc)

    def lock(self) -> None:
        """Sign out and show the sign-in screen; the open ticket is parked for its cashier."""
        self.idle.stop()
        self.counter.sign_out()
        self._end_office()
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
            self.sell = None
        self.sign_in.message.setText("Locked after a while without use. Sign in to go on.")
        self.sign_in.show()

    def show_pending(self) -> None:
        if self.window is not None:
            pending = self.counter.pending_changes()
            worker = self.sync_status() if self.sync_status is not None else None
            if worker is not None and worker.state != self._worker_state:
                # What the sync worker sees is what the back office can reach (on a change only:
                # a later answer to the back office itself says online again).
                self._worker_state = worker.state
                self.office.set_online(worker.state is not Connectivity.OFFLINE)
            status = (
                SyncStatus(Connectivity.OFFLINE, pending=pending)  # not enrolled: offline
                if worker is None
                else replace(worker, pending=pending)  # with why it is not syncing
            )
            self.window.set_sync_status(status)
            self.window.status.set_printer(self.printer_text())

    def printer_text(self) -> str:
        if self.printer_status is None:
            return ""
        status = self.printer_status()
        if status is None:
            return ""  # no printer set up (or the last one was removed in Devices)
        text = f"Printer: {status.state.value}"
        if status.waiting:
            text += f" — {status.waiting} job(s) waiting"
        return text
