"""Sales journal: the past sales and refunds of this till and its location, searched by receipt,
customer, card, dates and amount; a ticket's lines, taxes, tenders and sync state beside the
list; Reprint (headed COPY) and Refund… (the Refunds screen, with this sale found)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.sales.journal import JournalRow, TicketDetail
from desktop.till.journal_desk import JournalDesk, JournalForm
from desktop.ui.components.primitives import Button, Input, Size, Toast, ToastKind, Variant
from desktop.ui.components.tables import list_table
from desktop.ui.theme import space
from shared.errors import NovaError, ValidationFailed

COLUMNS = ("Receipt", "Closed", "Total", "Paid with", "Sync")


class JournalScreen(QWidget):
    refund_requested = Signal(str)  # a sale's receipt number: the till opens Refunds with it

    def __init__(self, desk: JournalDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.page = 0
        self.rows: tuple[JournalRow, ...] = ()
        self.shown: TicketDetail | None = None
        self.last_toast: tuple[ToastKind, str] | None = None
        self.setProperty("role", "page")
        self.setAccessibleName("Sales journal")
        self.fields = {
            "receipt": Input("Receipt number", placeholder="T01-0001…"),
            "customer": Input("Customer", placeholder="name or phone"),
            "card": Input("Card last 4", placeholder="4242"),
            "date_from": Input("From", placeholder="2026-12-01"),
            "date_to": Input("To", placeholder="2026-12-03"),
            "amount": Input("Amount", placeholder="12.50"),
        }
        search = QGridLayout()
        search.setHorizontalSpacing(space("md"))
        for index, box in enumerate(self.fields.values()):
            box.edit.returnPressed.connect(lambda: self.run_search(0))
            search.addWidget(box, index // 3, index % 3)
        self.search_button = Button("Search", size=Size.TOUCH)
        self.search_button.clicked.connect(lambda: self.run_search(0))
        self.clear_button = Button("Clear", variant=Variant.GHOST, size=Size.TOUCH)
        self.clear_button.clicked.connect(self.clear)
        search.addWidget(self.clear_button, 0, 3, Qt.AlignmentFlag.AlignBottom)
        search.addWidget(self.search_button, 1, 3, Qt.AlignmentFlag.AlignBottom)

        self.table = list_table(COLUMNS, "sales")
        self.table.itemSelectionChanged.connect(self._selected)
        self.newer_button = Button("‹ Newer", variant=Variant.SECONDARY)
        self.newer_button.clicked.connect(lambda: self.run_search(self.page - 1))
        self.older_button = Button("Older ›", variant=Variant.SECONDARY)
        self.older_button.clicked.connect(lambda: self.run_search(self.page + 1))
        self.page_label = QLabel("")
        self.page_label.setProperty("role", "helper")
        pager = QHBoxLayout()
        pager.addWidget(self.newer_button)
        pager.addWidget(self.page_label, 1, Qt.AlignmentFlag.AlignCenter)
        pager.addWidget(self.older_button)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(pager)

        self.heading = QLabel("Pick a sale")
        self.heading.setProperty("role", "title")
        self.facts = QLabel("")
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("sale facts")
        self.detail = QTableWidget(0, 2)
        self.detail.setAccessibleName("the sale line by line")
        self.detail.horizontalHeader().setVisible(False)
        self.detail.verticalHeader().setVisible(False)
        self.detail.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.detail.setWordWrap(True)
        header = self.detail.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.reprint_button = Button("Reprint", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.reprint_button.setToolTip("The receipt again on this till's printer, headed COPY")
        self.reprint_button.clicked.connect(self.reprint)
        self.refund_button = Button("Refund…", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.refund_button.setToolTip("Open Refunds with this sale")
        self.refund_button.clicked.connect(self.refund)
        actions = QHBoxLayout()
        actions.addWidget(self.reprint_button)
        actions.addWidget(self.refund_button)
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(self.facts)
        right.addWidget(self.detail, 1)
        right.addLayout(actions)

        body = QHBoxLayout()
        body.setSpacing(space("lg"))
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        pad = space("lg")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        layout.addLayout(search)
        layout.addLayout(body, 1)
        self._show_detail(None)
        self.run_search(0)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Back on the journal (after a refund, say): the page as the database has it now."""
        super().showEvent(event)
        if self.shown is not None:
            self.run_search(self.page)

    def form(self) -> JournalForm:
        return JournalForm(**{name: box.text() for name, box in self.fields.items()})

    def run_search(self, page: int) -> None:
        """Find the page; a wrong field is marked beside itself and the list stays as it was."""
        for box in self.fields.values():
            box.set_error(None)
        try:
            found = self.desk.search(self.form(), max(page, 0))
        except ValidationFailed as exc:
            problems = exc.details.get("fields")
            if isinstance(problems, dict):
                for name, message in problems.items():
                    self.fields[str(name)].set_error(str(message))
            else:
                self.toast(exc.message, ToastKind.ERROR)
            return
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.page, self.rows = found.page, found.rows
        self.table.setRowCount(len(found.rows))
        for index, row in enumerate(found.rows):
            total = f"{row.total}" + (" (refund)" if row.kind == "refund" else "")
            cells = (row.receipt_no, row.closed_at, total, row.tenders, row.sync)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(index, column, item)
        self.newer_button.setEnabled(found.page > 0)
        self.older_button.setEnabled(found.has_more)
        shown = len(found.rows)
        self.page_label.setText(f"Page {found.page + 1} · {shown} shown" if shown else "No sales")
        if found.rows:
            # Row 0 may be selected already (the previous page's): open it either way.
            self.table.blockSignals(True)
            self.table.selectRow(0)
            self.table.blockSignals(False)
            self.open(found.rows[0].ticket_id)
        else:
            self._show_detail(None)

    def clear(self) -> None:
        for box in self.fields.values():
            box.set_text("")
        self.run_search(0)

    def _selected(self) -> None:
        picked = self.table.selectionModel().selectedRows()
        if not picked or picked[0].row() >= len(self.rows):
            return
        self.open(self.rows[picked[0].row()].ticket_id)

    def open(self, ticket_id: uuid.UUID) -> None:
        try:
            self._show_detail(self.desk.detail(ticket_id))
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)

    def _show_detail(self, shown: TicketDetail | None) -> None:
        self.shown = shown
        self.reprint_button.setEnabled(shown is not None)
        self.refund_button.setEnabled(shown is not None and shown.row.kind == "sale")
        if shown is None:
            self.heading.setText("Pick a sale")
            self.facts.setText("")
            self.detail.setRowCount(0)
            return
        row, doc = shown.row, shown.receipt
        what = "Refund" if row.kind == "refund" else "Sale"
        self.heading.setText(f"{what} {row.receipt_no}")
        facts = [row.closed_at, f"served by {row.cashier}", row.sync]
        if shown.customer:
            facts.insert(2, f"for {shown.customer}")
        if shown.refund_of:
            facts.append(f"refund of {shown.refund_of}")
        if shown.refunds:
            facts.append(f"refunded {row.refunded}")
        self.facts.setText(" · ".join(facts))
        cells: list[tuple[str, str]] = []
        for line in doc.lines:
            cells.append((f"{line.quantity.normalize():f} × {line.text}", str(line.total.amount)))
            cells += [(f"    + {name}", "") for name in line.modifiers]
            if line.discount is not None:
                cells.append((f"    {line.discount_label}", str(line.discount.amount)))
        if doc.ticket_discount is not None:
            cells.append((doc.ticket_discount_label, str(doc.ticket_discount.amount)))
        cells.append(("Total", str(doc.total)))
        cells += [(f"Tax {code} {percent}%", str(tax.amount)) for code, percent, tax in doc.taxes]
        for tender in shown.tenders:
            label = " ".join(p for p in (tender.kind.capitalize(), tender.card) if p)
            cells.append((f"Paid: {label}", str(tender.amount.amount)))
        cells += [
            (f"Refund {r.receipt_no} · {r.closed_at}", f"-{r.amount.amount}") for r in shown.refunds
        ]
        self.detail.setRowCount(len(cells))
        for index, (text, amount) in enumerate(cells):
            self.detail.setItem(index, 0, QTableWidgetItem(text))
            figure = QTableWidgetItem(amount)
            figure.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.detail.setItem(index, 1, figure)

    def detail_texts(self) -> list[str]:
        """What the detail table says, row by row (tests and screen readers read it)."""
        texts = []
        for index in range(self.detail.rowCount()):
            cells = (self.detail.item(index, c) for c in (0, 1))
            texts.append("  ".join(c.text().strip() for c in cells if c is not None and c.text()))
        return texts

    def reprint(self) -> None:
        if self.shown is None:
            return
        try:
            self.desk.reprint(self.shown.row.ticket_id)
        except NovaError as exc:
            self.toast(exc.message, ToastKind.ERROR)
            return
        self.toast(f"Copy of {self.shown.row.receipt_no} sent to the printer", ToastKind.SUCCESS)

    def refund(self) -> None:
        if self.shown is not None and self.shown.row.kind == "sale":
            self.refund_requested.emit(self.shown.row.receipt_no)

    def toast(self, message: str, kind: ToastKind) -> None:
        self.last_toast = (kind, message)
        Toast.show_message(self, message, kind)
