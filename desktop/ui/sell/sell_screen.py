"""The sell screen: a scan/search box, category tabs over a product grid, the cart, and Pay.

Keyboard first: a keyboard-wedge scanner types the code and Enter — the item is added without a
click. F2 search, F5 change the line's price, F6 customer, F7 discount, F8 park, F9 void the
line, F10 resume, F11 no sale (open the drawer), F12 pay. After every action the focus goes back
to the scan box. Every refusal shows the engine's message in a toast; one a manager may lift
(void, discount, price change, no sale, more change than the limit) opens the manager override
for that one action. Nothing here decides a business rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QThread, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QPixmap, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from desktop.hardware.cards import looks_like_swipe
from desktop.hardware.payment_terminal import PaymentTerminal
from desktop.sales.checkout import TenderRequest
from desktop.staff.service import Actor
from desktop.till.counter import Counter
from desktop.till.extras import ChoiceGroup, Extras
from desktop.till.override import OverrideDesk, overridable
from desktop.till.views import CartView, SaleDone, Tile
from desktop.ui.components.primitives import Button, Size, Toast, ToastKind, Variant
from desktop.ui.components.prompts import ChoicePrompt, TextPrompt, WeightPrompt
from desktop.ui.sell.cart_panel import CartPanel
from desktop.ui.sell.modifier_dialog import ModifierDialog
from desktop.ui.sell.override_dialog import OverrideDialog
from desktop.ui.sell.product_tile import ProductTile, tile_pixmap
from desktop.ui.sell.tender_dialog import TenderDialog
from desktop.ui.sell.wedge import WedgeBurst
from desktop.ui.theme import repolish, size, space
from desktop.ui.theme.tiles import tile_swatch, tile_text
from shared.errors import NotFound, NovaError

GRID_COLUMNS = 4  # at most; fewer when whole tiles would not fit (see `_tile_columns`)


def ask_text(parent: QWidget, title: str, label: str = "Reason") -> str | None:
    """Ask for a line of text; None when cancelled. Tests replace `SellScreen.ask_text`."""
    return TextPrompt.ask(parent, title, label)


def ask_choice(parent: QWidget, title: str, options: list[str]) -> int | None:
    """Pick one of `options`; None when cancelled. Tests replace `SellScreen.ask_choice`."""
    return ChoicePrompt.ask(parent, title, options)


def ask_weight(parent: QWidget, name: str) -> str | None:
    """The weight of an item sold by the kg, on the keypad; None when cancelled. Tests replace
    `SellScreen.ask_weight`."""
    return WeightPrompt.ask(parent, f"Weigh {name}" if name else "Weight")


def pick_modifiers(parent: QWidget, name: str, groups: list[ChoiceGroup]) -> list[uuid.UUID] | None:
    """The modifier dialog; None when cancelled. Tests replace `SellScreen.pick_modifiers`."""
    dialog = ModifierDialog(name, groups, parent)
    return dialog.selected() if dialog.exec() else None


class _OnResize(QObject):
    """Calls `then` whenever `target` changes size (owned by it)."""

    def __init__(self, target: QWidget, then: Callable[[], None]) -> None:
        super().__init__(target)
        self._then = then
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802, ARG002 — Qt's name
        if event.type() == QEvent.Type.Resize:
            self._then()
        return False


class SellScreen(QWidget):
    cart_shown = Signal(object)  # CartView: the customer display follows the cart
    sale_done = Signal(object)  # SaleDone: … and shows the change
    ask_text: Callable[..., str | None] = staticmethod(ask_text)
    ask_choice: Callable[[QWidget, str, list[str]], int | None] = staticmethod(ask_choice)
    ask_weight: Callable[[QWidget, str], str | None] = staticmethod(ask_weight)
    pick_modifiers: Callable[[QWidget, str, list[ChoiceGroup]], list[uuid.UUID] | None] = (
        staticmethod(pick_modifiers)
    )

    def __init__(
        self, counter: Counter, payment_terminal: PaymentTerminal, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.counter = counter
        self.extras = Extras(counter)
        self.overrides = OverrideDesk(counter)
        self._sale_approver: Actor | None = None  # a manager asked before a card payment
        self.payment_terminal = payment_terminal
        self.setProperty("role", "page")
        self.setAccessibleName("Sell")
        self.last_toast: tuple[ToastKind, str] | None = None  # what the cashier was last told

        self.scan_box = QLineEdit()
        # A hint that fits the box at 1024 px; the quantity prefix is in the tooltip.
        self.scan_box.setPlaceholderText("Scan, or type a name (F2)")
        self.scan_box.setToolTip(
            "Scan a barcode or type a name, then Enter · 3* or 0.385* first for a quantity"
        )
        self.scan_box.setAccessibleName("scan or search")
        self.scan_box.setProperty("density", Size.TOUCH.value)
        self.scan_box.returnPressed.connect(self.submit_scan_box)
        # Scanner bursts while the focus is on the cart or a button still ring up.
        self.wedge = WedgeBurst(self)
        self.wedge.scanned.connect(self.scan_code)
        # A scan that found nothing is said here, beside the box — the grid stays as it was.
        self.scan_message = QLabel("")
        self.scan_message.setProperty("role", "error")
        self.scan_message.setAccessibleName("scan message")
        self.scan_message.setWordWrap(True)
        self.scan_message.setVisible(False)

        self.tabs = QTabBar()
        self.tabs.setAccessibleName("categories")
        self.tabs.setExpanding(False)
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.currentChanged.connect(self._show_tab)
        self.tabs.tabBarClicked.connect(self._tab_tapped)
        self._tab_ids: list[uuid.UUID | None] = []
        self._categories: list[tuple[uuid.UUID, str]] = []  # as the tabs show them
        self._category_colors: dict[uuid.UUID, str] = {}  # … with these colours
        self._tab_tiles: list[Tile] | None = None  # the tab's tiles shown (None: a search's)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(space("sm"))
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.grid_scroll = scroll
        self._laid_columns = 0
        _OnResize(scroll.viewport(), self._grid_resized)  # fewer columns on a narrow screen
        self.tile_buttons: list[ProductTile] = []
        self._pictures: dict[str, QPixmap | None] = {}

        self.cart = CartPanel()
        self.cart.bump.connect(self.bump)
        self.cart.void.connect(self.void)
        self.pay_button = Button("Pay (F12)", size=Size.TOUCH, accessible_name="pay")
        self.pay_button.clicked.connect(self.pay)
        self.park_button = Button("Park (F8)", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.park_button.clicked.connect(self.park)
        self.resume_button = Button("Resume (F10)", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.resume_button.clicked.connect(self.resume)
        self.customer_button = Button("Customer (F6)", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.customer_button.clicked.connect(self.customer)
        self.discount_button = Button("Discount (F7)", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.discount_button.clicked.connect(self.discount)
        for button in (
            self.pay_button,
            self.park_button,
            self.resume_button,
            self.customer_button,
            self.discount_button,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        left = QVBoxLayout()
        left.setSpacing(space("sm"))
        left.addWidget(self.scan_box)
        left.addWidget(self.scan_message)
        left.addWidget(self.tabs)
        left.addWidget(scroll, 1)
        right_host = QWidget()
        right_host.setFixedWidth(size("nav_width") * 2)
        right = QVBoxLayout(right_host)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.cart, 1)
        helpers = QHBoxLayout()
        helpers.addWidget(self.customer_button)
        helpers.addWidget(self.discount_button)
        right.addLayout(helpers)
        buttons = QHBoxLayout()
        buttons.addWidget(self.park_button)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.pay_button, 1)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("lg"))
        layout.addLayout(left, 1)
        layout.addWidget(right_host)

        shortcuts = {
            "F2": self.focus_scan_box,
            "F5": self.change_price,
            "F6": self.customer,
            "F7": self.discount,
            "F8": self.park,
            "F9": lambda: self._void_selected(),
            "F10": self.resume,
            "F11": self.no_sale,
            "F12": self.pay,
        }
        for key, action in shortcuts.items():
            QShortcut(QKeySequence(key), self, action)
        self.refresh()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Categories, the first grid page and the cart, from the till."""
        try:
            categories = self.counter.categories()
            colors = self.counter.category_colors()
            cart = self.counter.cart()
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        # A category's tab shown keeps showing; otherwise (none built yet, or "Other" while
        # there were no categories) the first tab opens.
        before = self.tabs.currentIndex()
        shown = self._tab_ids[before] if 0 <= before < len(self._tab_ids) else None
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)
        self._categories = categories
        self._category_colors = colors
        self._tab_ids = [category_id for category_id, _ in categories] + [None]
        for category_id, name in categories:
            index = self.tabs.addTab(name)
            if category_id in colors:  # the category's colour, as its tiles carry it
                self.tabs.setTabIcon(index, tile_swatch(colors[category_id]))
        self.tabs.addTab("Other")
        index = self._tab_ids.index(shown) if shown is not None and shown in self._tab_ids else 0
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        self._show_tab(index)
        self.cart.show_cart(cart)

    def _show_tab(self, index: int) -> None:
        if 0 <= index < len(self._tab_ids):
            tiles = self.counter.tiles(self._tab_ids[index])
            self.show_tiles(tiles)
            self._tab_tiles = tiles
            self._say_at_scan_box(None)

    def _tab_tapped(self, index: int) -> None:
        """A tap on the highlighted tab brings its grid back (after a search showed others)."""
        if index == self.tabs.currentIndex():
            self._show_tab(index)
        self.focus_scan_box()

    def redraw_if_catalog_changed(self) -> bool:
        """Redraw the tabs and the grid when the catalog differs from what they show — a
        change pulled by sync, or made in another window. Search results are left as they are
        until the next tab tap. Returns True when something was redrawn."""
        try:
            categories = self.counter.categories()
            index = self.tabs.currentIndex()
            if (categories, self.counter.category_colors()) != (
                self._categories,
                self._category_colors,
            ):
                self.refresh()
                return True
            if self._tab_tiles is None or not 0 <= index < len(self._tab_ids):
                return False
            if self.counter.tiles(self._tab_ids[index]) == self._tab_tiles:
                return False
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return False
        self._show_tab(index)
        return True

    def _say_at_scan_box(self, message: str | None) -> None:
        self.scan_message.setText(message or "")
        self.scan_message.setVisible(bool(message))
        repolish(self.scan_message)

    def show_tiles(self, tiles: list[Tile]) -> None:
        self._tab_tiles = None  # until `_show_tab` says these are a tab's
        for button in self.tile_buttons:
            button.deleteLater()
        self.tile_buttons = []
        for tile in tiles:
            price = f"{tile.price}/kg" if tile.weighed else str(tile.price)
            button = ProductTile(tile_text(tile.name, price), accessible_name=f"add {tile.name}")
            if tile.image:
                button.set_picture(self._picture(tile.image))
            button.setEnabled(tile.available)
            button.setProperty("role", "tile")  # narrow padding: the whole name fits
            if tile.color:  # the back office's colour for this product (the theme's shade)
                button.setProperty("tile", tile.color)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(
                lambda _=False, t=tile: self.add(t.item_id, t.name, weighed=t.weighed)
            )
            self.tile_buttons.append(button)
        self._lay_tiles()

    def _picture(self, sha256: str) -> QPixmap | None:
        """A tile picture, read and scaled once: its bytes never change under its hash."""
        if sha256 not in self._pictures:
            data = self.counter.picture(sha256)
            self._pictures[sha256] = None if data is None else tile_pixmap(data)
        return self._pictures[sha256]

    def _tile_columns(self) -> int:
        """As many columns as whole tiles fit the grid's width: 4 on a wide screen, fewer
        beside the navigation on a 1024-pixel one (a tile cut in half hides its name)."""
        gap = space("sm")
        room = self.grid_scroll.viewport().width() - 2 * gap
        return max(1, min(GRID_COLUMNS, (room + gap) // (size("tile_min_width") + gap)))

    def _lay_tiles(self) -> None:
        columns = self._tile_columns()
        while self.grid.count():
            self.grid.takeAt(0)
        # One height for the page: a tile with a picture makes the others as tall, so rows
        # line up and every tile is as easy to hit.
        tallest = max((b.sizeHint().height() for b in self.tile_buttons), default=0)
        for button in self.tile_buttons:
            button.setMinimumHeight(tallest)
        for index, button in enumerate(self.tile_buttons):
            self.grid.addWidget(button, index // columns, index % columns)
        self._laid_columns = columns

    def _grid_resized(self) -> None:
        if self._tile_columns() != self._laid_columns:
            self._lay_tiles()

    # ------------------------------------------------------------------ actions
    def scan_code(self, code: str) -> None:
        """A code from a serial scanner: the same path as a keyboard-wedge scan."""
        self.scan_box.setText(code)
        self.submit_scan_box()

    def _quantity_prefix(self) -> tuple[str, str]:
        """`3*` or `0.385*` before a code (or before tapping a tile) sets the quantity."""
        text = self.scan_box.text().strip()
        quantity, star, rest = text.partition("*")
        return (quantity.strip().replace(",", "."), rest.strip()) if star else ("1", text)

    def submit_scan_box(self) -> None:
        """Enter in the scan box: a barcode adds its item; anything else searches by name."""
        quantity, text = self._quantity_prefix()
        if not text:
            return
        self.scan_box.clear()
        self._say_at_scan_box(None)
        try:
            tile, scanned, label_price = self.counter.resolve_scan(text)
        except NotFound:
            self._show_matches(text)
        except NovaError as exc:
            self._say_at_scan_box(exc.message)
            self.toast(exc.message, ToastKind.ERROR)
        else:
            if label_price is not None:  # a pre-packed, priced pack: no options, its own price
                self._do(lambda: self.counter.add(tile.item_id, label_price_minor=label_price))
            else:
                # A weight label carries its weight; a plain code of a weighed item asks.
                given = scanned if quantity == "1" else quantity
                self.add(tile.item_id, tile.name, given, weighed=tile.weighed)
        self.focus_scan_box()

    def _show_matches(self, text: str) -> None:
        """Items whose name matches `text` in the grid; nothing found (an unknown barcode):
        the grid stays, and the scan box says so."""
        found = self.counter.search(text)
        if found:
            self.show_tiles(found)
            self.toast(f"{len(found)} item(s) match “{text}”", ToastKind.INFO)
            return
        message = f"nothing matches “{text}”"
        self._say_at_scan_box(message)
        self.toast(message, ToastKind.ERROR)

    def add(
        self, item_id: uuid.UUID, name: str = "", quantity: str | None = None, *,
        weighed: bool = False,
    ) -> None:  # fmt: skip
        """Add one (or the `qty*` typed in the scan box: weighed goods, several of a kind); an
        item sold by the kg without a weight given asks for it on the keypad, and an item with
        modifier groups asks for the choices first."""
        if quantity is None:
            typed, rest = self._quantity_prefix()
            if rest == "" and typed != "1":
                self.scan_box.clear()  # the typed `qty*` is used up by this tile
            quantity = None if typed == "1" else typed
        if quantity is None and weighed:
            quantity = type(self).ask_weight(self, name)
            if quantity is None:
                self.focus_scan_box()
                return
        quantity = quantity or "1"
        try:
            groups = self.extras.choices(item_id)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        chosen: list[uuid.UUID] = []
        if groups:
            picked = type(self).pick_modifiers(self, name or "Choose", groups)
            if picked is None:
                self.focus_scan_box()
                return
            chosen = picked
        self._do(lambda: self.counter.add(item_id, quantity, modifiers=chosen))

    def customer(self) -> None:
        """Find by phone, e-mail, card or name; attach, or enrol someone new."""
        text = type(self).ask_text(self, "Customer", "Phone, e-mail, card number or name")
        if not text or not text.strip():
            self.focus_scan_box()
            return
        self.find_customer(text)

    def find_customer(self, text: str) -> None:
        """Attach the customer `text` finds (typed, or a loyalty card swiped on a serial reader);
        a choice when several match, enrolment when nobody does."""
        try:
            self._find_customer(text)
        finally:
            self.focus_scan_box()  # after the choice or enrolment dialogs, cancelled or not

    def _find_customer(self, text: str) -> None:
        try:
            found = self.extras.find_customers(text)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        if len(found) == 1:
            customer_id = found[0].id
        elif found:
            labels = [f"{c.name} · {c.phone or c.email or c.card_number}" for c in found]
            index = type(self).ask_choice(self, "Which customer?", labels)
            if index is None:
                return
            customer_id = found[index].id
        else:
            shown = "this card" if looks_like_swipe(text.strip()) else f"“{text}”"
            name = type(self).ask_text(self, "New customer", f"Nobody has {shown} yet. Name")
            if not name:
                return
            try:
                customer_id = self.extras.enrol(name, text)
            except NovaError as exc:
                self.toast(exc.message, ToastKind.ERROR)
                return
        self._do(lambda: self.extras.attach(customer_id), success="Customer attached")

    def discount(self) -> None:
        """On the selected line or the whole ticket (asked when a line is selected), or — with
        no line selected — on the whole ticket."""
        chosen, line = self._discount_target()
        if not chosen:
            self.focus_scan_box()
            return
        where = "this line" if line else "the ticket"
        text = type(self).ask_text(self, "Discount", f"Off {where}: 10% or an amount like 1.50")
        if not text:
            self.focus_scan_box()
            return
        reason = type(self).ask_text(self, "Discount", "Reason")
        if reason is None:
            self.focus_scan_box()
            return
        self._do_approved(
            lambda approver: self.extras.discount(text, reason, line, approver),
            success="Discount given",
        )

    def _discount_target(self) -> tuple[bool, uuid.UUID | None]:
        """(False, None) when cancelled; else the line to discount, None for the whole ticket.
        A line is selected after every scan, so the ticket is offered beside it."""
        line = self.cart.selected_line()
        view = self.cart.view
        if line is None or view is None:
            return True, None
        name = next((x.name for x in view.lines if x.id == line), "the selected line")
        index = type(self).ask_choice(self, "Discount on", [f"This line: {name}", "Whole ticket"])
        if index is None:
            return False, None
        return True, line if index == 0 else None

    def bump(self, line_id: uuid.UUID, delta: int) -> None:
        """+1 / −1; "−" on the last one takes the line off (a void, with its reason)."""
        if delta < 0 and self._last_one(line_id):
            self.void(line_id)
            return
        self._do(lambda: self.counter.bump(line_id, delta))

    def _last_one(self, line_id: uuid.UUID) -> bool:
        view = self.cart.view
        line = next((x for x in view.lines if x.id == line_id), None) if view else None
        return line is not None and line.quantity <= 1

    def void(self, line_id: uuid.UUID) -> None:
        reason = type(self).ask_text(self, "Void line")
        if reason is None:
            self.focus_scan_box()
            return
        self._do_approved(
            lambda approver: self.counter.void(line_id, reason, approver), success="Line voided"
        )

    def change_price(self) -> None:
        """A new price for the selected line (a damaged pack, the shelf label's price)."""
        line = self.cart.selected_line()
        if line is None:
            self.toast("pick the line whose price changes first", ToastKind.ERROR)
            return
        price = type(self).ask_text(self, "Change the price", "New price for one, like 2.50")
        if not price:
            self.focus_scan_box()
            return
        reason = type(self).ask_text(self, "Change the price", "Reason")
        if reason is None:
            self.focus_scan_box()
            return
        self._do_approved(
            lambda approver: self.counter.change_price(line, price, reason, approver),
            success="Price changed",
        )

    def no_sale(self) -> None:
        """Open the drawer without a sale (change for the customer), with a reason."""
        reason = type(self).ask_text(self, "No sale: open the drawer")
        if reason is None:
            self.focus_scan_box()
            return

        def open_drawer(approver: Actor | None) -> CartView:
            self.counter.no_sale(reason, approver)
            return self.counter.cart()

        self._do_approved(open_drawer, success="Drawer opened (no sale)")

    def _void_selected(self) -> None:
        line = self.cart.selected_line()
        if line is not None:
            self.void(line)

    def park(self) -> None:
        try:
            self.counter.park()
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
        else:
            self.toast("Ticket parked", ToastKind.SUCCESS)
            self.cart.show_cart(self.counter.cart())
        self.focus_scan_box()

    def resume(self) -> None:
        """Bring back a parked ticket (the current one must be parked or paid first)."""
        try:
            carts = self.counter.parked_carts()
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        if not carts:
            self.toast("no parked tickets", ToastKind.INFO)
            self.focus_scan_box()
            return
        labels = [
            f"{len(c.lines)} line(s) · {c.total}"
            + (f" · {c.lines[0].name}" if c.lines else "")
            + (f" · {c.customer_name}" if c.customer_name else "")
            for c in carts
        ]
        index = type(self).ask_choice(self, "Resume which ticket?", labels)
        if index is None:
            self.focus_scan_box()
            return
        ticket = carts[index].ticket_id
        assert ticket is not None
        self._do(lambda: self.counter.resume(ticket), success="Ticket resumed")

    def pay(self) -> None:
        view = self.cart.view
        if view is None or view.empty:
            self.toast("the ticket is empty: scan or pick an item first", ToastKind.ERROR)
            return
        dialog = self.tender_dialog(view)
        dialog.exec()
        if dialog.sale is not None:
            sale = dialog.sale
            self.sale_done.emit(sale)
            self.toast(
                f"Paid {sale.total} — receipt {sale.receipt_no}, change {sale.change}",
                ToastKind.SUCCESS,
            )
            self.cart.show_cart(self.counter.cart())
        self.focus_scan_box()

    def tender_dialog(self, view: CartView) -> TenderDialog:
        """Built here so tests can drive the real dialog without its event loop."""
        return TenderDialog(
            view.total,
            self._pay_approved,
            self,
            offer_receipt=self.counter.printer,
            cancel_card=getattr(self.payment_terminal, "cancel", None),
            before_card=self._approve_card_sale,
        )

    def _approve_card_sale(self, tenders: list[TenderRequest]) -> None:
        """Before a card payment leaves the UI thread: a card-plus-cash sale with more change
        than the limit asks a manager now (the worker cannot), and the payment carries them.

        Raises:
            NovaError: the tenders are refused, or no manager approved.
        """
        self._sale_approver = None
        try:
            self.counter.check_tenders(tenders)
        except NovaError as exc:
            permission = overridable(exc)
            if permission is None:
                raise
            parent = QApplication.activeModalWidget() or self
            approver = OverrideDialog.ask(parent, self.overrides, permission)
            if approver is None:
                raise
            self._sale_approver = approver

    def _pay_approved(self, tenders: list[TenderRequest], receipt: bool) -> SaleDone:
        """The tender dialog's payment: more change than the till's limit asks for a manager
        (on the UI thread only: a card payment runs in a worker, which never opens a dialog);
        without one the refusal goes back to the tender dialog, the ticket unchanged."""

        def pay(approver: Actor | None = None) -> SaleDone:
            return self.counter.pay(
                tenders, self.payment_terminal, receipt=receipt, approver=approver
            )

        approved, self._sale_approver = self._sale_approver, None  # for this sale only
        if approved is not None:
            return pay(approved)
        try:
            return pay()
        except NovaError as exc:
            permission = overridable(exc)
            app = QApplication.instance()
            if permission is None or app is None or QThread.currentThread() is not app.thread():
                raise
            parent = QApplication.activeModalWidget() or self
            approver = OverrideDialog.ask(parent, self.overrides, permission)
            if approver is None:
                raise
            return pay(approver)

    # ------------------------------------------------------------------ helpers
    def _do_approved(
        self, action: Callable[[Actor | None], CartView], success: str | None = None
    ) -> None:
        """`_do` for an action a manager may approve: a refusal that an override lifts asks for
        one (`OverrideDialog`) and runs the action once more with that manager; cancelling
        leaves the ticket exactly as it was."""
        try:
            view = action(None)
        except NovaError as exc:
            permission = overridable(exc)
            if permission is None:
                self.toast(exc.message, ToastKind.ERROR)
            elif (approver := OverrideDialog.ask(self, self.overrides, permission)) is not None:
                self._do(lambda: action(approver), success)
                return
            else:
                self.toast("no manager approved it: nothing was changed", ToastKind.INFO)
        else:
            self._show(view)
            if success:
                self.toast(success, ToastKind.SUCCESS)
        self.focus_scan_box()

    def _do(self, action: Callable[[], CartView], success: str | None = None) -> None:
        try:
            self._show(action())
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
        else:
            if success:
                self.toast(success, ToastKind.SUCCESS)
        self.focus_scan_box()

    def _show(self, view: CartView) -> None:
        self.cart.show_cart(view)
        self.cart_shown.emit(view)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 — Qt's name
        super().showEvent(event)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.wedge)
        self.focus_scan_box()  # on the sell screen, typing and scanning go to the scan box

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 — Qt's name
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.wedge)
        super().hideEvent(event)

    def focus_scan_box(self) -> None:
        self.scan_box.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)
