"""The cashier's session at the counter: who is signed in, the open ticket, and every action.

Each method is one transaction through the `Runner`; a refusal raises the service's taxonomy
error unchanged (the screen shows its message) and leaves the ticket as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import replace
from decimal import Decimal

from desktop.catalog import images
from desktop.catalog.categories import category_colors
from desktop.catalog.service import (
    ItemView,
    at_location,
    carried,
    items_in_category,
    list_categories,
    lookup_barcode,
    search,
)
from desktop.db.uow import UnitOfWork
from desktop.hardware.barcodes import scale_label
from desktop.hardware.devices import drawer_kick
from desktop.hardware.paper import Paper
from desktop.hardware.payment_terminal import PaymentTerminal
from desktop.loyalty.customers import get_customer
from desktop.loyalty.ledger import balance
from desktop.modules import enabled_modules
from desktop.outbox.service import audit, pending_count
from desktop.printing.queue import enqueue
from desktop.printing.receipt import receipt_for, render
from desktop.sales.card_first import PreCharged, charge_first, reverse_all
from desktop.sales.checkout import FinalizedSale, TenderRequest, card_amounts, finalize
from desktop.sales.config import load
from desktop.sales.discounts import parse_percent
from desktop.sales.price_change import change_line_price
from desktop.sales.pricing import ticket_totals
from desktop.sales.shifts import cash_movement
from desktop.sales.tickets import (
    LineRow,
    TicketHead,
    add_line,
    catalog_unit_minor,
    change_quantity,
    line_row,
    live_lines,
    modifier_names,
    open_ticket,
    park,
    parked_tickets,
    resume,
    ticket_head,
    void_line,
)
from desktop.staff.service import Actor, sign_in, staff_tiles
from desktop.till import parked_claims as claims
from desktop.till.runner import Runner
from desktop.till.views import CartLine, CartView, SaleDone, Tile
from shared.errors import AuthnError, Conflict, NotFound, ValidationFailed
from shared.money import Money
from shared.permissions import Permission
from shared.tax import TicketTotals


def _discounts_shown(
    uow: UnitOfWork,
    ticket_id: uuid.UUID,
    lines: Sequence[LineRow],
    head: TicketHead,
    totals: TicketTotals,
) -> tuple[list[Money | None], Money | None]:
    """What each line's own discount and the ticket's discount take off, for the cart to show
    ("−10 % · −0.35" under the line). Priced by the same code as the totals; without any
    discount on the ticket (the usual scan) no second pricing runs."""
    lines_discounted = any(x.discount_percent or x.discount_minor for x in lines)
    ticket_discounted = bool(head.discount_percent or head.discount_minor)
    if not (lines_discounted or ticket_discounted):
        return [None] * len(lines), None
    undiscounted = ticket_totals(uow, ticket_id, lines, head, discounts="none")
    line_only = ticket_totals(uow, ticket_id, lines, head, discounts="lines")
    line_off = [
        before.gross - after.gross if before.gross != after.gross else None
        for before, after in zip(undiscounted.lines, line_only.lines, strict=True)
    ]
    ticket_off = line_only.gross - totals.gross if ticket_discounted else None
    return line_off, ticket_off


def _tile(item: ItemView, colors: dict[uuid.UUID, str], pictures: Collection[str] = ()) -> Tile:
    """The item's button: its own colour, else its category's; its picture when held here."""
    color = item.tile_color or (colors.get(item.category_id) if item.category_id else None)
    image = item.image if item.image and item.image in pictures else None
    return Tile(item.id, item.name, item.price, item.available, color, item.weighed, image)


def _tiles(uow: UnitOfWork, views: list[ItemView]) -> list[Tile]:
    """Tiles of the items this till's location carries, as it sells them, with the pictures it
    holds (one query for them)."""
    colors = category_colors(uow)
    here = carried(_here(uow, views))
    pictures = images.held(uow, [v.image for v in here if v.image])
    return [_tile(i, colors, pictures) for i in here]


def _selling(uow: UnitOfWork) -> str | None:
    """The currency this till sells in (None before it is set up: every item shows)."""
    try:
        return load(uow).currency
    except Conflict:
        return None


def _here(uow: UnitOfWork, views: list[ItemView]) -> list[ItemView]:
    """Items as this till's location sells them (its prices and availability)."""
    try:
        code = load(uow).location_code
    except Conflict:
        return views
    return at_location(uow, views, code)


class Counter:
    def __init__(
        self,
        runner: Runner,
        *,
        printer: bool = False,
        paper: Paper | None = None,
        report_paper: Paper | None = None,
        drawer_pin: int | None = 2,
        drawer_pulse_ms: int = 50,
        drawer_queue: str = "receipt",
        price_prefixes: frozenset[str] = frozenset(),
    ) -> None:
        """`printer`: a receipt printer is configured (receipts and drawer kicks are queued);
        `paper`/`report_paper`: what the receipt and report printers' paper allows;
        `drawer_pin`/`drawer_pulse_ms`: the drawer's connector pin (None: no drawer) and pulse;
        `drawer_queue`: "receipt" kicks through the receipt printer, "drawer" through a drawer
        on its own port (its own worker)."""
        self.runner = runner
        self.printer = printer
        self.paper = paper or Paper()
        self.report_paper = report_paper or self.paper
        self.drawer_pin = drawer_pin
        self.drawer_pulse_ms = drawer_pulse_ms
        self.drawer_queue = drawer_queue
        self.price_prefixes = price_prefixes  # scale labels whose 2x prefix carries a price
        self.actor: Actor | None = None
        self.ticket_id: uuid.UUID | None = None
        # Whose ticket was parked by signing out (user id → ticket), to give it back to them.

    # ------------------------------------------------------------------ who
    def sign_in(self, code: str, pin: str) -> Actor:
        """Code + PIN; the same message for an unknown code and a wrong PIN (lockout after 5).
        The ticket this person had open when they signed out comes back (see `sign_out`)."""
        self.actor = self.runner.run(lambda uow: sign_in(uow, code=code, pin=pin))
        self._resume_own_ticket(self.actor)
        return self.actor

    def staff(self) -> list[tuple[str, str]]:
        """(code, name) of the people who can sign in here (the sign-in tiles)."""
        return self.runner.read(staff_tiles)

    def sign_out(self) -> None:
        """Lock the till. The open ticket is parked under the cashier who signs out and comes
        back when they sign in again: the next person starts an empty ticket of their own and
        never takes payment on lines someone else rang up (anyone can still Resume it)."""
        if self.actor is not None and self.ticket_id is not None:
            actor, ticket = self.actor, self.ticket_id
            self.ticket_id = None

            def op(uow: UnitOfWork) -> None:
                try:
                    park(uow, actor, ticket_id=ticket)
                except (Conflict, NotFound):  # not open any more: parked by a Z, or paid
                    if ticket not in parked_tickets(uow):
                        return
                claims.claim(uow, actor.id, ticket)  # kept in the database: survives a restart

            self.runner.run(op)
        self.actor = None

    def _resume_own_ticket(self, actor: Actor) -> None:
        """Bring back the ticket `actor` had open at sign-out, unless a ticket is open already
        or someone resumed (or paid) it meanwhile."""
        if self.ticket_id is not None:
            return

        def op(uow: UnitOfWork) -> uuid.UUID | None:
            ticket = claims.claimed(uow, actor.id)
            if ticket is None:
                return None
            if ticket not in parked_tickets(uow):
                claims.release(uow, actor.id)  # resumed (or paid) by someone meanwhile
                return None
            try:
                resume(uow, actor, ticket_id=ticket)
            except Conflict:  # no shift open (after a Z): it waits, and comes back once one is
                return None
            claims.release(uow, actor.id)
            return ticket

        self.ticket_id = self.runner.run(op)

    def who(self) -> Actor:
        """The signed-in person, or AUTHN."""
        if self.actor is None:
            raise AuthnError("sign in first")
        return self.actor

    # ------------------------------------------------------------------ catalog
    def categories(self) -> list[tuple[uuid.UUID, str]]:
        return self.runner.read(list_categories)

    def tiles(self, category_id: uuid.UUID | None) -> list[Tile]:
        """The category's items this shop sells (those priced in its currency and carried)."""
        return self.runner.read(
            lambda uow: _tiles(uow, items_in_category(uow, category_id, currency=_selling(uow)))
        )

    def picture(self, sha256: str) -> bytes | None:
        """A tile picture's bytes (None: this till does not hold it)."""
        return self.runner.read(lambda uow: images.picture(uow, sha256))

    def category_colors(self) -> dict[uuid.UUID, str]:
        """The categories' own colours (their tabs)."""
        return self.runner.read(category_colors)

    def search(self, text: str) -> list[Tile]:
        return self.runner.read(
            lambda uow: _tiles(uow, search(uow, text, limit=30, currency=_selling(uow)))
        )

    def lookup(self, code: str) -> Tile:
        """The item a barcode belongs to.

        Raises:
            NotFound: no item has it (search by name instead).
            ValidationFailed: this shop does not carry the item.
        """

        def read(uow: UnitOfWork) -> Tile:
            (item,) = _here(uow, [lookup_barcode(uow, code.strip())])
            if not item.listed:
                raise ValidationFailed(
                    f"{item.name} is not sold at this shop", details={"item_id": str(item.id)}
                )
            held = images.held(uow, [item.image] if item.image else [])
            return _tile(item, category_colors(uow), held)

        return self.runner.read(read)

    def resolve_scan(self, code: str) -> tuple[Tile, str | None, int | None]:
        """What a scanned code sells, how much, and at what price: an in-store scale label
        (20–29 prefix) carries its weight or its pack price; any other code carries no
        quantity (None: one, or the weight asked for an item sold by the kg) and sells at the
        item's price (None)."""
        label = scale_label(code.strip(), self.price_prefixes)
        if label is not None:
            return self.lookup(label.item_code), str(label.quantity), label.price_minor
        return self.lookup(code), None, None

    # ------------------------------------------------------------------ the ticket
    def cart(self) -> CartView:
        return self.runner.read(lambda uow: self.view(uow, None))

    def scan(self, code: str) -> CartView:
        """A barcode from the scanner (or typed): add one of that item.

        Raises:
            NotFound: no item has this barcode (the screen then searches by name).
        """
        actor = self.who()

        def op(uow: UnitOfWork) -> CartView:
            item = lookup_barcode(uow, code.strip())
            return self._add(uow, actor, item.id, Decimal(1), ())

        return self._adopt(self.runner.run(op))

    def add(
        self,
        item_id: uuid.UUID,
        quantity: Decimal | int | str = 1,
        modifiers: Sequence[uuid.UUID] = (),
        *,
        label_price_minor: int | None = None,
    ) -> CartView:
        """Add `quantity` of the item (`label_price_minor`: one pack at a price label's price)."""
        actor = self.who()
        view = self.runner.run(
            lambda uow: self._add(uow, actor, item_id, quantity, modifiers, label_price_minor)
        )
        return self._adopt(view)

    def _adopt(self, view: CartView) -> CartView:
        """The ticket a committed action opened becomes the open ticket (never before the
        commit: a rolled-back first line must not leave a ticket id that does not exist)."""
        self.ticket_id = view.ticket_id
        return view

    def _add(
        self,
        uow: UnitOfWork,
        actor: Actor,
        item_id: uuid.UUID,
        quantity: Decimal | int | str,
        modifiers: Sequence[uuid.UUID],
        label_price_minor: int | None = None,
    ) -> CartView:
        ticket = self.ticket_id or open_ticket(uow, actor)
        # Each priced pack is a line of its own (its own price); other scans count up.
        line = (
            label_price_minor is None
            and self._one_more(uow, actor, ticket, item_id, quantity, modifiers)
        ) or add_line(
            uow, actor, ticket_id=ticket, item_id=item_id, quantity=quantity,
            modifiers=modifiers, label_price_minor=label_price_minor,
        )  # fmt: skip
        return self.view(uow, ticket, last_added=line)

    @staticmethod
    def _one_more(
        uow: UnitOfWork,
        actor: Actor,
        ticket: uuid.UUID,
        item_id: uuid.UUID,
        quantity: Decimal | int | str,
        modifiers: Sequence[uuid.UUID],
    ) -> uuid.UUID | None:
        """Scanning the item of the last line again counts it up (2 × Latte, not two lines) —
        unless either carries modifiers, a discount or a weighed quantity, or the line's price
        is not the catalog's (changed at the till, or a price label's)."""
        if modifiers or str(quantity) != "1":
            return None
        lines = live_lines(uow, ticket)
        last = lines[-1] if lines else None
        if (
            last is None
            or last.item_id != item_id
            or last.discount_percent is not None
            or last.discount_minor is not None
            or "." in last.quantity
            or modifier_names(uow, ticket).get(last.id)
            or last.unit_price_minor != catalog_unit_minor(uow, item_id)
        ):
            return None
        change_quantity(uow, actor, line_id=last.id, quantity=Decimal(last.quantity) + 1)
        return last.id

    def set_quantity(self, line_id: uuid.UUID, quantity: Decimal | int | str) -> CartView:
        actor = self.who()

        def op(uow: UnitOfWork) -> CartView:
            change_quantity(uow, actor, line_id=line_id, quantity=quantity)
            return self.view(uow, self.ticket_id)

        return self.runner.run(op)

    def bump(self, line_id: uuid.UUID, delta: int) -> CartView:
        """+1 / −1 from the cart; going below one asks for a void instead."""
        actor = self.who()

        def op(uow: UnitOfWork) -> CartView:
            current = Decimal(line_row(uow, line_id).quantity)
            if current + delta < 1:
                raise ValidationFailed("to remove the last one, void the line (with a reason)")
            change_quantity(uow, actor, line_id=line_id, quantity=current + delta)
            return self.view(uow, self.ticket_id)

        return self.runner.run(op)

    def void(self, line_id: uuid.UUID, reason: str, approver: Actor | None = None) -> CartView:
        actor = self.who()

        def op(uow: UnitOfWork) -> CartView:
            void_line(uow, actor, line_id=line_id, reason=reason, approver=approver)
            return self.view(uow, self.ticket_id)

        return self.runner.run(op)

    def change_price(
        self, line_id: uuid.UUID, price: str, reason: str, approver: Actor | None = None
    ) -> CartView:
        """A new unit price for one line, typed like "2.50" (`pos.price_change` or a manager)."""
        actor = self.who()

        def op(uow: UnitOfWork) -> CartView:
            try:
                money = Money(price.strip().replace(",", "."), load(uow).currency)
            except ValidationFailed:
                raise ValidationFailed("type the new price like 2.50") from None
            change_line_price(
                uow, actor, line_id=line_id, price=money, reason=reason, approver=approver
            )
            return self.view(uow, self.ticket_id)

        return self.runner.run(op)

    def no_sale(self, reason: str, approver: Actor | None = None) -> None:
        """Open the drawer without a sale (`drawer.no_sale`, or a manager's override), with a
        reason; recorded as a cash movement of the open shift and audited with both people."""
        actor = self.who()

        def op(uow: UnitOfWork) -> None:
            cash_movement(uow, actor, kind="no_sale", reason=reason, approver=approver)
            self.kick_drawer(uow)

        self.runner.run(op)

    def check_tenders(
        self, tenders: Sequence[TenderRequest], approver: Actor | None = None
    ) -> None:
        """Would these tenders be accepted? Nothing is charged or written.

        Raises:
            ValidationFailed: not fully paid, wrong currency, cards over the amount due.
            AuthzError: more change than the limit, without `pos.over_tender` or an approver.
        """
        actor = self.who()
        if self.ticket_id is None:
            raise ValidationFailed("the ticket is empty: scan or pick an item first")
        ticket = self.ticket_id
        self.runner.read(
            lambda uow: card_amounts(
                uow, actor, ticket_id=ticket, tenders=tenders, approver=approver
            )
        )

    def pay(
        self,
        tenders: Sequence[TenderRequest],
        terminal: PaymentTerminal,
        *,
        receipt: bool = True,
        approver: Actor | None = None,
    ) -> SaleDone:
        """Take payment and close the ticket; the next scan starts a new one (`approver`: the
        manager who allowed more change than the till's limit).

        With a printer, the drawer kick (cash) and the receipt (unless the customer wants none)
        are queued in the sale's own transaction and printed by the worker after the commit.
        """
        actor = self.who()
        if self.ticket_id is None:
            raise ValidationFailed("the ticket is empty: scan or pick an item first")
        ticket = self.ticket_id

        # Cards are charged with no transaction open (see desktop/sales/card_first.py).
        amounts = self.runner.read(
            lambda uow: card_amounts(
                uow, actor, ticket_id=ticket, tenders=tenders, approver=approver
            )
        )
        approvals = charge_first(terminal, amounts, str(ticket))
        charged = PreCharged(terminal, approvals, amounts)

        def op(uow: UnitOfWork) -> FinalizedSale:
            done = finalize(
                uow, actor, ticket_id=ticket, tenders=tenders, payment_terminal=charged,
                approver=approver,
            )  # fmt: skip
            cash = any(t.kind == "cash" for t in tenders)
            self.queue_paper(uow, ticket, actor.name, drawer=cash, receipt=receipt)
            return done

        try:
            done = self.runner.run(op)
        except BaseException:
            reverse_all(terminal, approvals, str(ticket))  # the customer must not pay for nothing
            raise
        self.ticket_id = None
        return SaleDone(
            done.receipt_no, done.totals.gross, done.change, tuple(t.kind for t in tenders)
        )

    def queue_paper(
        self,
        uow: UnitOfWork,
        ticket_id: uuid.UUID,
        cashier: str,
        *,
        drawer: bool,
        receipt: bool = True,
    ) -> None:
        """The drawer kick and (with a printer) the receipt of a finished sale or refund, queued
        in its transaction; the workers send them after the commit."""
        if drawer:
            self.kick_drawer(uow, ticket_id)  # through the printer, or a drawer's own port
        if receipt and self.printer:
            doc = receipt_for(uow, ticket_id, cashier)
            enqueue(uow, kind="receipt", payload=render(doc, self.paper), ticket_id=ticket_id)

    def print_copy(self, ticket_id: uuid.UUID) -> None:
        """Queue a copy of a past sale's or refund's receipt, headed "*** COPY ***" (the
        customer lost theirs). Audited: a second receipt is a classic refund-fraud tool.

        Raises:
            ValidationFailed: this till has no receipt printer.
        """
        actor = self.who()
        actor.require(Permission.POS_SELL)
        if not self.printer:
            raise ValidationFailed("no receipt printer is set up on this till")

        def op(uow: UnitOfWork) -> None:
            doc = replace(receipt_for(uow, ticket_id), copy=True)
            enqueue(uow, kind="receipt", payload=render(doc, self.paper), ticket_id=ticket_id)
            audit(
                uow, actor_id=actor.id, action="receipt.copy", target_id=ticket_id,
                details={"receipt_no": doc.receipt_no},
            )  # fmt: skip

        self.runner.run(op)

    def kick_drawer(self, uow: UnitOfWork, ticket_id: uuid.UUID | None = None) -> None:
        """Queue a drawer open (in the caller's transaction) when the till has a drawer: on the
        receipt printer's port, or on its own."""
        if self.drawer_pin is None or (self.drawer_queue == "receipt" and not self.printer):
            return
        payload = drawer_kick(self.drawer_pin, self.drawer_pulse_ms)
        enqueue(uow, kind="drawer", payload=payload, printer=self.drawer_queue, ticket_id=ticket_id)

    def park(self) -> None:
        actor = self.who()
        if self.ticket_id is None:
            raise ValidationFailed("there is no ticket to park")
        ticket = self.ticket_id
        self.runner.run(lambda uow: park(uow, actor, ticket_id=ticket))
        self.ticket_id = None

    def parked(self) -> list[uuid.UUID]:
        return self.runner.read(parked_tickets)

    def parked_carts(self) -> list[CartView]:
        """Each parked ticket as its cart (for the resume list), oldest first."""
        return self.runner.read(lambda uow: [self.view(uow, t) for t in parked_tickets(uow)])

    def resume(self, ticket_id: uuid.UUID) -> CartView:
        actor = self.who()
        if self.ticket_id is not None:
            raise ValidationFailed("park or finish the current ticket first")

        def op(uow: UnitOfWork) -> CartView:
            resume(uow, actor, ticket_id=ticket_id)
            return self.view(uow, ticket_id)

        view = self.runner.run(op)
        self.ticket_id = ticket_id
        return view

    def enabled_modules(self) -> frozenset[str]:
        return self.runner.read(enabled_modules)

    def pending_changes(self) -> int:
        """Changes waiting to sync (the status bar)."""
        return self.runner.read(pending_count)

    def currency(self) -> str:
        return self.runner.read(lambda uow: load(uow).currency)

    def view(
        self, uow: UnitOfWork, ticket_id: uuid.UUID | None, last_added: uuid.UUID | None = None
    ) -> CartView:
        """The cart of `ticket_id` (or the open ticket) inside the caller's transaction."""
        ticket_id = ticket_id or self.ticket_id
        currency = load(uow).currency
        if ticket_id is None:
            zero = Money.zero(currency)
            return CartView(None, (), zero, zero, zero)
        head = ticket_head(uow, ticket_id)
        lines = live_lines(uow, ticket_id)
        totals = ticket_totals(uow, ticket_id, lines, head)
        mods = modifier_names(uow, ticket_id)
        line_off, ticket_off = _discounts_shown(uow, ticket_id, lines, head, totals)
        cart_lines = tuple(
            CartLine(
                line.id,
                line.item_id,
                line.name,
                Decimal(line.quantity),
                Money.from_minor(line.unit_price_minor, currency),
                priced.gross,
                mods.get(line.id, ()),
                discount_percent=parse_percent(line.discount_percent),
                discount=off,
            )
            for line, priced, off in zip(lines, totals.lines, line_off, strict=True)
        )
        name = points = None
        if head.customer_id is not None:
            name = get_customer(uow, head.customer_id).name
            points = balance(uow, head.customer_id)
        return CartView(
            ticket_id, cart_lines, totals.net, totals.tax, totals.gross, name, points, last_added,
            ticket_discount=ticket_off,
        )  # fmt: skip
