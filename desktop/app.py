"""Composition root of the terminal app: settings, start-up migration, then the window."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from desktop.db.instance_lock import DatabaseInUse, WriterLock
from desktop.db.migrate import DatabaseTooNew, prepare_terminal_db
from desktop.prerequisites import EXIT_MISSING_PREREQUISITE, missing_for_window
from desktop.settings import TerminalSettings
from desktop.sync.status import Connectivity, SyncStatus

if TYPE_CHECKING:
    from desktop.office.session import OfficeSession
    from desktop.sync.worker import SyncWorker
    from desktop.till.runner import Runner

log = logging.getLogger("desktop")

EXIT_DB_TOO_NEW = 2
EXIT_DB_IN_USE = 3


def run_terminal(argv: Sequence[str], *, quit_after_ms: int | None = None) -> int:
    """Migrate the local DB (backup first), open the main window, run the Qt event loop.

    Returns:
        The process exit code; `EXIT_DB_TOO_NEW` when the local DB belongs to a newer app,
        `EXIT_DB_IN_USE` when another process already runs on it, `EXIT_MISSING_PREREQUISITE`
        when the machine lacks a library the Qt window needs.
    """
    missing = missing_for_window(os.environ)
    if missing is not None:
        # Before anything imports QtWidgets: Qt's own message is a plugin dump naming no package.
        sys.stderr.write(missing + "\n")
        return EXIT_MISSING_PREREQUISITE
    settings = TerminalSettings()
    logging.basicConfig(level=settings.log_level)
    lock = WriterLock(settings.database_path)
    try:
        lock.acquire()
    except DatabaseInUse as exc:
        sys.stderr.write(f"nova terminal: {exc.message}\n")
        _show_fatal(argv, exc.message)
        return EXIT_DB_IN_USE
    try:
        return _run_locked(argv, settings, quit_after_ms)
    finally:
        lock.release()


def _run_locked(argv: Sequence[str], settings: TerminalSettings, quit_after_ms: int | None) -> int:
    try:
        result = prepare_terminal_db(settings.database_path, settings.backup_dir)
    except DatabaseTooNew as exc:
        # Before any window exists: say it on stderr and in a dialog, touch nothing.
        sys.stderr.write(f"nova terminal: {exc.message} ({exc.details['database']})\n")
        _show_fatal(argv, exc.message)
        return EXIT_DB_TOO_NEW
    if result.backup:
        log.info("local database migrated; backup at %s", result.backup)

    from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from desktop.db.engine import make_terminal_engine
    from desktop.hardware.barcodes import parse_prefixes
    from desktop.hardware.paper import Paper
    from desktop.hardware.zvt import ZvtTerminal
    from desktop.hardware.zvt_unsettled import FileMemory
    from desktop.setup.desk import SetupDesk
    from desktop.sync.credentials import CredentialStore
    from desktop.till.counter import Counter
    from desktop.till.live_hardware import Fallbacks, LiveHardware
    from desktop.till.runner import Runner
    from desktop.ui.setup.start import TillStart
    from desktop.ui.till_window import TillWindows

    # Fractional scaling (125 %, 150 %) instead of rounding: crisp on high-DPI counter screens.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setApplicationName("Nova POS")
    runner = Runner(make_terminal_engine(settings.database_path))
    if settings.demo_data:
        _load_demo(runner)
    counter = Counter(runner, price_prefixes=parse_prefixes(settings.price_label_prefixes))
    # Printers and drawer from the device settings, rebuilt on every change in Devices.
    # A ZVT terminal when configured; otherwise the in-process simulator (demo, development).
    memory = FileMemory(settings.database_path.with_suffix(".card-unsettled.json"))
    hardware = LiveHardware(
        counter,
        fallback_connection=settings.receipt_printer,
        fallback_paper=Paper.of(settings.paper_width_mm),
        fallbacks=Fallbacks(
            card_terminal=settings.card_terminal,
            customer_display=settings.customer_display,
            scanner=settings.scanner,
            card_reader=settings.card_reader,
        ),
        make_card=lambda url: ZvtTerminal.from_url(url, memory=memory),
    )
    hardware.apply()
    card, display = hardware.card, hardware.display
    started: list[SyncWorker] = []  # the sync worker, once the till is enrolled

    def open_till(demo: bool, on_setup: Callable[[], object] | None) -> TillWindows:
        if not started and (sync := _start_sync(runner, settings)) is not None:
            started.append(sync)
        worker = started[0] if started else None
        return TillWindows(
            counter,
            card,
            settings.theme,
            idle_lock_ms=settings.idle_lock_seconds * 1000,
            printer_status=hardware.printer_status,
            sync_status=(lambda: worker.status) if worker is not None else None,
            display=display,
            demo=demo,
            on_setup=on_setup,
            sign_in_hint=settings.sign_in_hint,
            office=_office_session(runner),
            devices_changed=hardware.apply,
            live_devices=hardware,
        )

    # Unenrolled and unconfigured: the first-run choice; enrolled but its settings not there
    # yet: the first sync's progress; otherwise the till's sign-in.
    desk = SetupDesk(runner, CredentialStore(settings.database_path.parent))
    start = TillStart(desk, open_till, settings.theme)
    start.show()
    # Serial scanners and card readers send lines; the windows tell codes from card swipes.
    hardware.listen(start.scanned)
    ready = "sign-in screen ready" if start.till is not None else "first-run window ready"
    QTimer.singleShot(0, lambda: log.info(ready))  # bench/scan.py waits for the sign-in
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, app.closeAllWindows)
    code = app.exec()
    start.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # delete them now
    hardware.stop()  # unprinted jobs stay queued for the next start; readers and display too
    for sync in started:
        sync.stop()  # a round in flight stops between steps; each step is committed or not
        if sync.listener is not None:
            sync.listener.stop()
    runner.engine.dispose()
    return int(code)


def _load_demo(runner: Runner) -> None:
    """`NOVA_TERMINAL_DEMO_DATA`: straight to the demo shop (screenshots, benchmarks), marked as
    a demo like one chosen on the first-run window."""
    from desktop.setup.demo_mode import start_demo
    from shared.errors import Conflict

    try:
        if runner.run(start_demo):
            log.info("demo shop loaded: sign in with code 1 / PIN 1234")
    except Conflict as exc:
        log.info("no demo data loaded: %s", exc.message)


def _start_sync(runner: Runner, settings: TerminalSettings) -> SyncWorker | None:
    """The background sync worker, when this terminal is enrolled (`nova sync enroll`)."""
    enrolled = runner.read(
        lambda uow: uow.sql.execute("SELECT 1 FROM sync_state WHERE id = 1").fetchone()
    )
    if enrolled is None:
        return None  # before importing the sync client (httpx): a quicker start to sign-in
    from desktop.sync.credentials import CredentialStore
    from desktop.sync.engine import load_state
    from desktop.sync.events import PokeListener
    from desktop.sync.setup import build_engine
    from desktop.sync.worker import SyncWorker

    if runner.read(load_state) is None:
        return None
    store = CredentialStore(settings.database_path.parent)
    worker = SyncWorker(
        settings.database_path,
        runner,
        lambda progress: build_engine(runner, store, progress=progress),
        on_status=_StatusLog(),  # the status bar polls `worker.status`
    )
    worker.start()
    state = runner.read(load_state)
    secret = store.load(str(state.device_id)) if state is not None else None
    if state is not None and secret is not None:
        # Server pokes (SSE) wake the worker at once: changes reach an online till in ~1 s.
        worker.listener = PokeListener(state.server_url, str(state.device_id), secret, worker.poke)
        worker.listener.start()
    return worker


class _StatusLog:
    """Logs the status bar's sync line each time it changes ("sync status: Online · All
    changes synced"): the log tells when the till went on- or offline, and `nova start`'s
    acceptance test waits for that line instead of sleeping. Called on the worker's thread."""

    def __init__(self) -> None:
        self.last = ""

    def __call__(self, status: SyncStatus) -> None:
        if status.state is Connectivity.SYNCING:
            return  # progress ticks are not news
        line = status.summary()
        if line != self.last:
            self.last = line
            log.info("sync status: %s", line)


def _office_session(runner: Runner) -> OfficeSession:
    """The owner's e-mail session for the back office, bound to the server and business this
    till is enrolled with (unenrolled: every server-only operation says why it is off)."""
    from desktop.office.session import OfficeSession
    from desktop.sync.engine import load_state

    state = runner.read(load_state)
    if state is None:
        return OfficeSession(None, None)
    return OfficeSession(state.server_url, state.tenant_id)


def _show_fatal(argv: Sequence[str], message: str) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(list(argv))
    assert app is not None
    if QGuiApplication.platformName() == "offscreen":
        return  # nobody could click it
    QMessageBox.critical(None, "Nova POS cannot open its database", message)
