"""Renders every desktop screen to PNG for docs/screens/ (run by `nova screens`)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.sales.checkout import TenderRequest
from desktop.session import demo_session
from desktop.sync.status import Connectivity, SyncStatus
from desktop.till.catalog_desk import CatalogDesk
from desktop.till.counter import Counter
from desktop.till.demo import demo_counter
from desktop.till.device_desk import DeviceDesk
from desktop.till.refund_desk import RefundDesk
from desktop.till.shift_desk import ShiftDesk
from desktop.till.views import SaleDone
from desktop.ui.backoffice.catalog_screen import CatalogScreen
from desktop.ui.backoffice.devices_screen import DevicesScreen
from desktop.ui.gallery.window import theme_panel
from desktop.ui.sell.refund_screen import RefundScreen
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.sell.shift_screen import ShiftScreen
from desktop.ui.sell.sign_in import SignInScreen
from desktop.ui.sell.tender_dialog import TenderDialog
from desktop.ui.shell.default_screens import default_registry
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.registry import Mode
from desktop.ui.theme import Theme, apply_theme, register_fonts
from shared.clock import FakeClock
from shared.paths import assets_dir

SHELL_SIZE = (1280, 800)
SETUP_SIZE = (1024, 768)  # the smallest counter screen the first-run window must fit
SETUP_PAGES = ("choice", "server-error", "owner", "location", "till", "code", "progress", "done")
SMALL_SIZE = (1024, 768)  # the smallest counter screen we support


def _shell(mode: Mode, theme: Theme, prefs_dir: Path) -> QWidget:
    window = MainWindow(
        session=demo_session(),
        registry=default_registry(),
        default_theme=theme,
        prefs_file=prefs_dir / f"{mode.value}-{theme}.json",
    )
    window.set_mode(mode)
    window.set_sync_status(SyncStatus(Connectivity.OFFLINE, pending=3))
    window.resize(*SHELL_SIZE)
    return window


def _gallery(theme: Theme) -> QWidget:
    panel = theme_panel(theme)
    panel.resize(panel.sizeHint())
    return panel


def _demo_counter(folder: Path) -> Counter:
    """A demo shop in a throwaway database, signed in as its manager, one ticket rung up."""
    counter = demo_counter(folder, FakeClock())
    counter.sign_in("1", "1234")
    counter.scan("4006381333931")
    counter.pay([TenderRequest("cash", counter.cart().total)], SimulatedPaymentTerminal())
    for code in ("4006381333931", "4006381333931", "4012345000011"):
        counter.scan(code)
    return counter


def _sell(counter: Counter, theme: Theme) -> QWidget:
    screen = SellScreen(counter, SimulatedPaymentTerminal())
    apply_theme(screen, theme)
    screen.resize(*SHELL_SIZE)
    return screen


def _sign_in(counter: Counter, theme: Theme) -> QWidget:
    screen = SignInScreen(counter)
    apply_theme(screen, theme)
    screen.resize(*SHELL_SIZE)
    return screen


def _setup(counter: Counter, theme: Theme, page: str, folder: Path) -> QWidget:
    """A page of the first-run window as a person sees it at that step (no server is asked)."""
    from desktop.setup.desk import Location, SetupDesk
    from desktop.setup.server_probe import NOT_NOVA
    from desktop.sync.credentials import CredentialStore
    from desktop.ui.setup.window import SetupWindow
    from shared.ids import uuid7

    window = SetupWindow(SetupDesk(counter.runner, CredentialStore(folder)), theme)
    window.server.address.set_text("nova.cafe-mueller.example")
    window.owner.email.set_text("anna@cafe-mueller.example")
    window.locations = [
        Location(uuid7(), "MAIN", "Café Müller, Main Street"),
        Location(uuid7(), "MARKET", "Café Müller, Market Hall"),
    ]
    if page == "server-error":
        window.go(window.server)
        window.server.address.set_text("192.168.1.1")
        window.server.address.set_error(NOT_NOVA)
    elif page == "owner":
        window.go(window.owner)
        window.owner.password.set_error("Wrong e-mail or password")
    elif page == "location":
        window._fill_locations(select=1)
        window.go(window.location)
    elif page in {"till", "code"}:
        window._fill_locations(select=0)
        window.show_till_page(by_code=page == "code")
        if page == "code":
            window.till.code.set_text("K7QXM-2RDPA")
        window.till.name.set_text("Counter 1")
    elif page == "progress":
        window.go(window.progress)
        window.progress.status.setText("Bringing staff, menu and settings from the server…")
        window.progress.bar.setValue(60)
    elif page == "done":
        window.go(window.progress)
        window._synced(True)
    else:
        window.go(window.choice)
    window.resize(*SETUP_SIZE)
    return window


def _demo_sign_in(counter: Counter, theme: Theme) -> QWidget:
    from desktop.ui.till_window import TillWindows

    windows = TillWindows(counter, SimulatedPaymentTerminal(), theme, demo=True,
                          on_setup=lambda: None)  # fmt: skip
    windows.sign_in.resize(*SETUP_SIZE)
    return windows.sign_in


def _not_paid(_tenders: list[TenderRequest], _receipt: bool) -> SaleDone:
    raise AssertionError("a screenshot never takes payment")


def _tender(counter: Counter, theme: Theme) -> QWidget:
    dialog = TenderDialog(counter.cart().total, _not_paid, offer_receipt=True)
    apply_theme(dialog, theme)
    dialog.resize(dialog.sizeHint())
    return dialog


def _refunds(counter: Counter, theme: Theme) -> QWidget:
    screen = RefundScreen(RefundDesk(counter), SimulatedPaymentTerminal())
    screen.load("T01-000001")
    apply_theme(screen, theme)
    screen.resize(*SHELL_SIZE)
    return screen


def _shift(counter: Counter, theme: Theme) -> QWidget:
    screen = ShiftScreen(ShiftDesk(counter))
    apply_theme(screen, theme)
    screen.resize(*SHELL_SIZE)
    return screen


def _catalog(counter: Counter, theme: Theme) -> QWidget:
    screen = CatalogScreen(CatalogDesk(counter))
    apply_theme(screen, theme)
    screen.resize(*SHELL_SIZE)
    return screen


FORM_SIZE = (1024, 768)  # the smallest till screen the back office must fit


def _catalog_page(counter: Counter, theme: Theme, page: str) -> QWidget:
    """The catalog screen's pages at 1024×768: the item form editing an item that offers a
    modifier group (made here in the throwaway demo database), the groups, the categories."""
    from dataclasses import replace

    from desktop.catalog.groups import GroupDraft, OptionDraft
    from shared.errors import ValidationFailed

    desk = CatalogDesk(counter)
    latte = next(i for c, _ in desk.categories() for i in desk.items(c) if i.sku == "LAT")
    groups = desk.groups()
    if not groups:
        milk = (OptionDraft("Whole"), OptionDraft("Oat", "0.40"), OptionDraft("Soy", "0.40"))
        groups = [desk.save_group(GroupDraft("Milk", 1, 1, milk))]
        with_milk = replace(desk.draft(latte.id), modifier_groups=(groups[0].id,))
        desk.save_item(with_milk, latte.id)
    screen = CatalogScreen(desk)
    if page == "form":
        screen.reload(keep=latte.id)
        screen.edit_item()
    elif page == "new":
        screen.new_item()
        screen.form.name.set_text("Flat White")
        screen.form.sku.set_text("LAT")
        screen.form.price.set_text("-3.90")
        screen.form.barcodes.setPlainText("4006381333932")
        try:  # what Save would show beside the fields (without the toast, which fades)
            desk.save_item(screen.form.draft())
        except ValidationFailed as exc:
            screen.form.show_problems(exc.details["fields"])
    elif page == "groups":
        screen.open_groups()
        screen.groups.reload(keep=groups[0].id)
    else:
        screen.open_categories()
    apply_theme(screen, theme)
    screen.resize(*FORM_SIZE)
    return screen


def _devices(counter: Counter, theme: Theme) -> QWidget:
    desk = DeviceDesk(counter)
    if not desk.printers():  # what a configured shop shows (nothing is sent to it)
        desk.add(role="receipt", connection="tcp://192.168.1.50:9100", name="Counter printer",
                 paper_mm=80, drawer_pin=2)  # fmt: skip
    screen = DevicesScreen(desk)
    apply_theme(screen, theme)
    screen.resize(*SHELL_SIZE)
    return screen


def _business(tab: int, theme: Theme, prefs_dir: Path, *, offline: bool = False) -> QWidget:
    """The whole window at 1024×768 with the back office's business set-up open: the window
    must fit the smallest counter screen we support."""
    from desktop.ui.screenshots_office import business_screen

    window = MainWindow(
        session=demo_session(),
        registry=default_registry({"business": lambda: business_screen(tab, offline=offline)}),
        default_theme=theme,
        prefs_file=prefs_dir / f"business-{theme}.json",
    )
    window.set_mode(Mode.BACK_OFFICE)
    window.open_screen("business")
    window.set_sync_status(
        SyncStatus(Connectivity.OFFLINE if offline else Connectivity.ONLINE, pending=0)
    )
    window.resize(*SMALL_SIZE)
    return window


def _sample_receipts(out_dir: Path) -> list[Path]:
    """Paper, not a screen: a sale's receipt as the printer simulator draws it, on 80 mm with a
    logo and QR code and on 58 mm with a barcode (docs/hardware.md shows both)."""
    from decimal import Decimal

    from desktop.hardware.paper import Paper
    from desktop.hardware.receipt_png import render_png
    from desktop.printing.receipt import ReceiptDoc, ReceiptLine, render
    from shared.money import Money

    def eur(text: str) -> Money:
        return Money(text, "EUR")

    doc = ReceiptDoc(
        business="Café Nova", header=("1 Market Street", "Tax ID DE123456789"),
        receipt_no="T01-000042", kind="sale", closed_at="2026-11-25 09:41", cashier="Mia",
        lines=(ReceiptLine("Café Latte", Decimal(2), eur("6.80"), ("Oat milk",)),
               ReceiptLine("Comté (per kg)", Decimal("0.385"), eur("9.59"))),
        taxes=(("VAT19", "19", eur("1.09")), ("VAT7", "7", eur("0.63"))),
        net=eur("14.67"), tax=eur("1.72"), total=eur("16.39"),
        tenders=(("card", eur("10.00")), ("cash", eur("10.00"))), change=eur("3.61"),
        points_earned=16, points_balance=120, logo=_sample_logo(),
    )  # fmt: skip
    written = []
    for name, paper in (
        ("receipt-80mm", Paper.of(80, qr=True, logo=True)),
        ("receipt-58mm", Paper.of(58)),
    ):
        path = out_dir / f"{name}.png"
        path.write_bytes(render_png(render(doc, paper), paper.columns))
        written.append(path)
    return written


def _sample_logo() -> bytes:
    """A wordmark as an owner might upload it, made receipt-ready like the server does."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    from shared.receipt_logo import receipt_logo

    font = ImageFont.truetype(str(assets_dir() / "fonts" / "DejaVuSans-Bold.ttf"), 44)
    image = Image.new("RGB", (300, 80), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 12, 64, 68), fill=(180, 40, 40))
    draw.text((80, 14), "NOVA", font=font, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return receipt_logo(out.getvalue())


def render_all(out_dir: Path) -> list[Path]:
    """Write one PNG per screen and theme into `out_dir`; returns the files written."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    register_fonts()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        shots: dict[str, Callable[[], QWidget]] = {}
        themes: tuple[Theme, ...] = ("light", "dark")
        counter = _demo_counter(Path(tmp))
        for theme in themes:
            shots[f"gallery-{theme}"] = partial(_gallery, theme)
            for mode in Mode:
                shots[f"shell-{mode.value}-{theme}"] = partial(_shell, mode, theme, Path(tmp))
            shots[f"sign-in-{theme}"] = partial(_sign_in, counter, theme)
            shots[f"sell-{theme}"] = partial(_sell, counter, theme)
            shots[f"tender-{theme}"] = partial(_tender, counter, theme)
            shots[f"refunds-{theme}"] = partial(_refunds, counter, theme)
            shots[f"shift-{theme}"] = partial(_shift, counter, theme)
            shots[f"catalog-{theme}"] = partial(_catalog, counter, theme)
            for page in ("form", "new", "groups", "categories"):
                shots[f"catalog-{page}-{theme}"] = partial(_catalog_page, counter, theme, page)
            shots[f"devices-{theme}"] = partial(_devices, counter, theme)
            for page in SETUP_PAGES:
                shots[f"setup-{page}-{theme}"] = partial(_setup, counter, theme, page, Path(tmp))
            shots[f"sign-in-demo-{theme}"] = partial(_demo_sign_in, counter, theme)
            for tab, name in enumerate(("locations", "taxes", "selling")):
                shots[f"business-{name}-{theme}"] = partial(_business, tab, theme, Path(tmp))
            shots[f"business-offline-{theme}"] = partial(
                _business, 0, theme, Path(tmp), offline=True
            )
        for name, build in shots.items():
            widget = build()
            widget.show()
            app.processEvents()
            path = out_dir / f"{name}.png"
            if not widget.grab().save(str(path)):
                raise OSError(f"could not write {path}")
            written.append(path)
            widget.close()
            widget.deleteLater()
            app.processEvents()
        counter.runner.engine.dispose()
    written += _sample_receipts(out_dir)
    return written
