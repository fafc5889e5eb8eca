"""Renders every desktop screen to PNG for docs/screens/ (run by `nova screens`)."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
from desktop.till.journal_desk import JournalDesk
from desktop.till.refund_desk import RefundDesk
from desktop.till.shift_desk import ShiftDesk
from desktop.till.views import SaleDone
from desktop.ui.backoffice.catalog_screen import CatalogScreen
from desktop.ui.backoffice.devices_screen import DevicesScreen
from desktop.ui.backoffice.journal_screen import JournalScreen
from desktop.ui.gallery.window import theme_panel
from desktop.ui.sell.refund_screen import RefundScreen
from desktop.ui.sell.sell_screen import SellScreen
from desktop.ui.sell.shift_screen import ShiftScreen
from desktop.ui.sell.sign_in import SignInScreen
from desktop.ui.sell.tender_dialog import TenderDialog
from desktop.ui.shell.default_screens import default_registry
from desktop.ui.shell.fit import TITLE_BAR
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.registry import Mode
from desktop.ui.theme import THEMES, Theme, apply_theme, register_fonts
from shared.clock import FakeClock
from shared.paths import assets_dir

# The till's own words for two refusals the tender dialog must show beside its buttons.
CARD_NOT_REACHED = (
    "the card terminal could not be reached: nothing was charged; check its cable or network, "
    "then try again"
)
NO_CUSTOMER = "attach the customer to pay with their points"
LOCKED = "Locked after a while without use. Sign in to go on."

# The screens we support: a 1024×768 counter screen and a 1366×768 laptop or touch monitor.
# A window gets what the screen leaves under a title bar (`usable`), as under a real WM.
SIZES: tuple[tuple[int, int], ...] = ((1024, 768), (1366, 768))
SETUP_PAGES = (
    "choice", "server-error", "owner", "location", "till", "code", "progress", "staff", "done",
)  # fmt: skip
Size2 = tuple[int, int]


def usable(screen: Size2) -> Size2:
    """The room a window has on `screen` once the window manager drew its title bar."""
    return screen[0], screen[1] - TITLE_BAR


def _fit_dialog(dialog: QWidget, room: Size2) -> QWidget:
    """A dialog opens at its own size, but never larger than the room the screen leaves."""
    hint = dialog.sizeHint().expandedTo(dialog.minimumSizeHint())
    dialog.resize(min(hint.width(), room[0]), min(hint.height(), room[1]))
    return dialog


def _shell(mode: Mode, theme: Theme, prefs_dir: Path, room: Size2) -> QWidget:
    window = MainWindow(
        session=demo_session(),
        registry=default_registry(),
        default_theme=theme,
        prefs_file=prefs_dir / f"{mode.value}-{theme}.json",
    )
    window.set_mode(mode)
    window.set_sync_status(SyncStatus(Connectivity.OFFLINE, pending=3))
    window.resize(*room)
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


def _themed(widget: QWidget, theme: Theme, room: Size2) -> QWidget:
    apply_theme(widget, theme)
    widget.resize(*room)
    return widget


def _sell(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    return _themed(SellScreen(counter, SimulatedPaymentTerminal()), theme, room)


def _sell_pictures(folder: Path, theme: Theme, room: Size2) -> QWidget:
    """The sell screen once the server has sent pictures for some items (in a demo database
    of its own: the other shots show the demo without them)."""
    from desktop.till.demo_pictures import add_demo_pictures

    place = folder / f"pictures-{theme}-{room[0]}"
    place.mkdir(parents=True, exist_ok=True)
    counter = _demo_counter(place)
    counter.runner.run(add_demo_pictures)
    return _sell(counter, theme, room)


def _role_preview(counter: Counter, theme: Theme, prefs_dir: Path, room: Size2) -> QWidget:
    """The counter opened read-only as a role from Staff & roles → Roles."""
    from desktop.ui.role_preview_window import open_role_preview

    permissions = frozenset({"pos.sell", "inventory.view", "inventory.count", "catalog.edit"})
    window = open_role_preview(counter.runner, "Stock clerk", permissions,
                               counter.enabled_modules(), theme,
                               prefs_dir / f"preview-{theme}.json")  # fmt: skip
    window.open_screen("sell")
    window.resize(*room)
    return window


def _sign_in(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    return _themed(SignInScreen(counter), theme, room)


def _locked(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    """The sign-in screen after the till locked itself (the open ticket waits)."""
    from desktop.ui.till_window import TillWindows

    windows = TillWindows(counter, SimulatedPaymentTerminal(), theme)
    windows.sign_in.message.setText(LOCKED)
    windows.sign_in.resize(*room)
    return windows.sign_in


def _setup(counter: Counter, theme: Theme, page: str, folder: Path, room: Size2) -> QWidget:
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
    elif page == "staff":
        window.go(window.staff)
        window.staff.you_name.set_text("Anna Müller")
        window.staff.you_code.set_text("1")
        window.staff.you_pin.set_text("80468")
        window.staff.cashier_name.set_text("Ben Koch")
        window.staff.cashier_code.set_text("2")
        window.staff.cashier_pin.set_error("A PIN is 4 to 8 digits")
    elif page == "done":
        window.go(window.progress)
        window._synced(True)
    else:
        window.go(window.choice)
    window.resize(*room)
    return window


def _demo_sign_in(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    from desktop.ui.till_window import TillWindows

    windows = TillWindows(counter, SimulatedPaymentTerminal(), theme, demo=True,
                          on_setup=lambda: None)  # fmt: skip
    windows.sign_in.resize(*room)
    return windows.sign_in


def _not_paid(_tenders: list[TenderRequest], _receipt: bool) -> SaleDone:
    raise AssertionError("a screenshot never takes payment")


def _tender(counter: Counter, theme: Theme, room: Size2, error: str = "") -> QWidget:
    """The tender dialog; `error`: as it looks after a refusal (the till's own words)."""
    dialog = TenderDialog(counter.cart().total, _not_paid, offer_receipt=True)
    apply_theme(dialog, theme)
    if error:
        dialog.show_error(error)
    return _fit_dialog(dialog, room)


def _modifiers(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    """The choices asked when a latte with milk options is tapped."""
    from desktop.till.extras import Extras
    from desktop.ui.sell.modifier_dialog import ModifierDialog

    desk = CatalogDesk(counter)
    latte = _latte_with_milk(desk)
    dialog = ModifierDialog("Café Latte", Extras(counter).choices(latte))
    apply_theme(dialog, theme)
    return _fit_dialog(dialog, room)


def _refunds(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    screen = RefundScreen(RefundDesk(counter), SimulatedPaymentTerminal())
    screen.load("T01-000001")
    return _themed(screen, theme, room)


def _journal(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    """The sales journal with the demo's sale opened beside the list."""
    return _themed(JournalScreen(JournalDesk(counter)), theme, room)


def _shift(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    return _themed(ShiftScreen(ShiftDesk(counter)), theme, room)


def _shift_close(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    """The blind count entered and its check: counted, expected, over/short before the Z."""
    from shared.money import Money

    screen = ShiftScreen(ShiftDesk(counter))
    currency = counter.currency()
    for denomination, count in (("50", 1), ("20", 2), ("5", 3), ("1", 4)):
        spin = screen.counts.get(Money(denomination, currency))
        if spin is not None:
            spin.setValue(count)
    screen.close_shift()
    return _themed(screen, theme, room)


def _override(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    """Manager approval, after a wrong PIN (the till's own words)."""
    from desktop.till.override import OverrideDesk
    from desktop.ui.sell.override_dialog import OverrideDialog
    from shared.permissions import Permission

    dialog = OverrideDialog(OverrideDesk(counter), Permission.POS_VOID)
    dialog.code.edit.setText("1")
    dialog.approve("0000")
    apply_theme(dialog, theme)
    return _fit_dialog(dialog, room)


def _catalog(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    return _themed(CatalogScreen(CatalogDesk(counter)), theme, room)


def _latte_with_milk(desk: CatalogDesk) -> uuid.UUID:
    """The demo latte, offering a milk group and with its cost (made here in the throwaway
    demo database)."""
    from dataclasses import replace

    from desktop.catalog.groups import GroupDraft, OptionDraft

    latte = next(i for c, _ in desk.categories() for i in desk.items(c) if i.sku == "LAT")
    if not desk.groups():
        milk = (
            OptionDraft("Whole", default=True),
            OptionDraft("Oat", "0.40"),
            OptionDraft("Soy", "0.40"),
        )
        group = desk.save_group(GroupDraft("Milk", 1, 1, milk))
        draft = replace(desk.draft(latte.id), modifier_groups=(group.id,), cost="1.10")
        desk.save_item(draft, latte.id)
    return latte.id


def _latte_elsewhere(counter: Counter, latte: uuid.UUID) -> None:
    """The latte dearer at the airport shop and not sold at the station (as synced from the
    server), unless the throwaway demo database has that already."""
    from desktop.catalog.service import set_location_override
    from shared.money import Money

    if {a.location for a in CatalogDesk(counter).at_locations(latte)} >= {"AIRPORT", "STATION"}:
        return
    me = counter.who()
    counter.runner.run(
        lambda uow: set_location_override(
            uow, me, item_id=latte, location_code="AIRPORT", price=Money("4.20", "EUR")
        )
    )
    counter.runner.run(
        lambda uow: set_location_override(
            uow, me, item_id=latte, location_code="STATION", available=False
        )
    )


def _catalog_page(counter: Counter, theme: Theme, page: str, room: Size2) -> QWidget:
    """The catalog screen's pages: the item form editing an item that offers a modifier group,
    the form with problems beside its fields, the groups, the categories."""
    from desktop.office.pictures import PictureDesk
    from desktop.office.session import OfficeSession
    from shared.errors import ValidationFailed

    desk = CatalogDesk(counter)
    latte = _latte_with_milk(desk)
    groups = desk.groups()
    screen = CatalogScreen(desk, pictures=PictureDesk(OfficeSession(None, None)))
    if page == "form":
        screen.reload(keep=latte)
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
    elif page == "locations":
        _latte_elsewhere(counter, latte)
        screen = CatalogScreen(desk)  # knows the other locations now
        screen.select_item(latte)
        screen.side.setCurrentWidget(screen.at_locations)
        screen.at_locations.table.setCurrentCell(1, 0)  # the airport's own price
    else:
        screen.open_categories()
    return _themed(screen, theme, room)


def _devices(counter: Counter, theme: Theme, room: Size2) -> QWidget:
    desk = DeviceDesk(counter, env={})  # the shot never shows this machine's NOVA_TERMINAL_…
    if not desk.printers():  # what a configured shop shows (nothing is sent to it)
        desk.add(role="receipt", connection="tcp://192.168.1.50:9100", name="Counter printer",
                 paper_mm=80, drawer_pin=2)  # fmt: skip
        desk.add_device(role="card_terminal", connection="zvt://192.168.1.60:20007")
        desk.add_device(role="scanner", connection="keyboard")
    return _themed(DevicesScreen(desk), theme, room)


def _business(
    tab: int, theme: Theme, prefs_dir: Path, room: Size2, *, offline: bool = False
) -> QWidget:
    """The whole window with the back office's business set-up open."""
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
    window.resize(*room)
    return window


def _inbox(theme: Theme, prefs_dir: Path, room: Size2) -> QWidget:
    """The whole window with the sync inbox open."""
    from desktop.ui.screenshots_office import inbox_screen

    window = MainWindow(
        session=demo_session(),
        registry=default_registry({"inbox": inbox_screen}),
        default_theme=theme,
        prefs_file=prefs_dir / f"inbox-{theme}.json",
    )
    window.set_mode(Mode.BACK_OFFICE)
    window.open_screen("inbox")
    window.set_sync_status(SyncStatus(Connectivity.ONLINE, pending=0))
    window.resize(*room)
    return window


def _staff(tab: int, theme: Theme, prefs_dir: Path, room: Size2) -> QWidget:
    """The whole window with Back office → Staff & roles open."""
    from desktop.ui.screenshots_office import staff_screen

    window = MainWindow(
        session=demo_session(),
        registry=default_registry({"staff": lambda: staff_screen(tab)}),
        default_theme=theme,
        prefs_file=prefs_dir / f"staff-{theme}.json",
    )
    window.set_mode(Mode.BACK_OFFICE)
    window.open_screen("staff")
    window.set_sync_status(SyncStatus(Connectivity.ONLINE, pending=0))
    window.resize(*room)
    return window


@dataclass(frozen=True)
class Shot:
    """One screen in one state: `build(room)` makes it for a window of that size."""

    name: str
    build: Callable[[Size2], QWidget]


def shots(counter: Counter, theme: Theme, folder: Path) -> list[Shot]:
    """Every screen, dialog and state the docs show (and the fit test checks), in `theme`."""
    found = [Shot(f"shell-{mode.value}", partial(_shell, mode, theme, folder)) for mode in Mode]
    found += [
        Shot("sign-in", partial(_sign_in, counter, theme)),
        Shot("sign-in-locked", partial(_locked, counter, theme)),
        Shot("sell", partial(_sell, counter, theme)),
        Shot("tender", partial(_tender, counter, theme)),
        Shot("tender-card-error", partial(_tender, counter, theme, error=CARD_NOT_REACHED)),
        Shot("tender-points-error", partial(_tender, counter, theme, error=NO_CUSTOMER)),
        Shot("modifiers", partial(_modifiers, counter, theme)),
        Shot("refunds", partial(_refunds, counter, theme)),
        Shot("journal", partial(_journal, counter, theme)),
        Shot("role-preview", partial(_role_preview, counter, theme, folder)),
        Shot("shift", partial(_shift, counter, theme)),
        Shot("shift-close", partial(_shift_close, counter, theme)),
        Shot("override", partial(_override, counter, theme)),
        Shot("catalog", partial(_catalog, counter, theme)),
    ]
    found += [
        Shot(f"catalog-{page}", partial(_catalog_page, counter, theme, page))
        for page in ("form", "new", "groups", "categories", "locations")
    ]
    found.append(Shot("devices", partial(_devices, counter, theme)))
    found += [
        Shot(f"setup-{page}", partial(_setup, counter, theme, page, folder)) for page in SETUP_PAGES
    ]
    found.append(Shot("sign-in-demo", partial(_demo_sign_in, counter, theme)))
    found += [
        Shot(f"business-{name}", partial(_business, tab, theme, folder))
        for tab, name in enumerate(
            ("locations", "taxes", "selling", "catalog-file", "tills", "receipt")
        )
    ]
    found.append(Shot("business-offline", partial(_business, 0, theme, folder, offline=True)))
    found.append(Shot("inbox", partial(_inbox, theme, folder)))
    found.append(Shot("sell-pictures", partial(_sell_pictures, folder, theme)))
    found += [
        Shot(f"staff-{name}", partial(_staff, tab, theme, folder))
        for tab, name in enumerate(("people", "roles"))
    ]
    return found


def shot_file(name: str, theme: Theme, screen: Size2) -> str:
    """`sell-light-1024x768.png`: the screen size in the name keeps both sizes side by side."""
    return f"{name}-{theme}-{screen[0]}x{screen[1]}.png"


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


def render_all(
    out_dir: Path, *, sizes: Sequence[Size2] = SIZES, themes: Sequence[Theme] = THEMES
) -> list[Path]:
    """Write one PNG per screen, theme and screen size into `out_dir` (`nova screens` takes
    them all; the CI test one size); returns the files written."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    register_fonts()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        counter = _demo_counter(Path(tmp))
        for theme in themes:
            written.append(_save(app, _gallery(theme), out_dir / f"gallery-{theme}.png"))
            for shot in shots(counter, theme, Path(tmp)):
                for screen in sizes:
                    path = out_dir / shot_file(shot.name, theme, screen)
                    written.append(_save(app, shot.build(usable(screen)), path))
        counter.runner.engine.dispose()
    written += _sample_receipts(out_dir)
    return written


def _save(app: QApplication, widget: QWidget, path: Path) -> Path:
    widget.show()
    app.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    widget.close()
    widget.deleteLater()
    app.processEvents()
    return path
