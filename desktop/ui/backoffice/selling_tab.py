"""Business set-up, selling rules: whether prices include tax, how cash totals round
(0.01 / 0.05 / 0.10), the most change a till gives, and how amounts and tax round. Tills get
the rules by sync and sell with them from their next ticket."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.office.config_desk import CASH_ROUNDING_STEPS, ROUNDING_TITLES, Overview
from desktop.office.models import SellingRules
from desktop.ui.backoffice.office_task import Host, reason_label
from desktop.ui.components.primitives import Button, Input, Size, ToastKind, Variant
from desktop.ui.theme import space
from shared.tax import TaxRounding

OPERATION = "selling.edit"
TAX_ROUNDING_TITLES = {
    TaxRounding.PER_LINE.value: "Tax rounded on each line",
    TaxRounding.PER_TICKET.value: "Tax rounded once per rate for the whole ticket",
}


class SellingTab(QWidget):
    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host
        self.rules: SellingRules | None = None
        self.setAccessibleName("Selling rules")
        self.prices_include_tax = QCheckBox("Prices include tax (VAT countries)")
        self.prices_include_tax.setAccessibleName("prices include tax")
        self.cash_rounding = QComboBox()
        self.cash_rounding.setAccessibleName("cash rounding")
        self.max_change = Input("Most change a till gives", numeric=True,
                                helper="A larger cash payment is refused")  # fmt: skip
        self.rounding = QComboBox()
        self.rounding.setAccessibleName("rounding")
        for value, title in ROUNDING_TITLES.items():
            self.rounding.addItem(title, value)
        self.tax_rounding = QComboBox()
        self.tax_rounding.setAccessibleName("tax rounding")
        for value, title in TAX_ROUNDING_TITLES.items():
            self.tax_rounding.addItem(title, value)
        self.save_button = Button("Save selling rules", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.save_button.clicked.connect(self.save)
        self.reason = reason_label()

        card = QFrame()
        card.setProperty("role", "card")
        form = QVBoxLayout(card)
        pad = space("md")
        form.setContentsMargins(pad, pad, pad, pad)
        form.setSpacing(space("sm"))
        form.addWidget(self.prices_include_tax)
        # Cash on the left, rounding on the right: the window fits a 768-pixel screen.
        cash, rounding = QVBoxLayout(), QVBoxLayout()
        cash.addWidget(QLabel("Cash totals round to"))
        cash.addWidget(self.cash_rounding)
        cash.addWidget(self.max_change)
        rounding.addWidget(QLabel("Amounts round"))
        rounding.addWidget(self.rounding)
        rounding.addWidget(self.tax_rounding)
        for column in (cash, rounding):
            column.setSpacing(space("sm"))
            column.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(space("lg"))
        columns.addLayout(cash, 1)
        columns.addLayout(rounding, 1)
        form.addLayout(columns)
        form.addStretch(1)
        form.addWidget(self.save_button)
        form.addWidget(self.reason)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.addWidget(card)
        self.show_data(None)

    def show_data(self, overview: Overview | None) -> None:
        self._fill(overview.rules if overview else None)

    def _fill(self, rules: SellingRules | None) -> None:
        self.rules = rules
        self.cash_rounding.clear()
        currency = self._currency()
        for step in CASH_ROUNDING_STEPS:
            amount = self.host.desk.format_minor(step) if currency else f"{step} minor units"
            self.cash_rounding.addItem(f"{amount} {currency}".strip(), step)
        self.max_change.set_error(None)
        if rules is None:
            self.max_change.set_text("")
            self.refresh_state()
            return
        self.prices_include_tax.setChecked(rules.prices_include_tax)
        self.cash_rounding.setCurrentIndex(
            max(0, self.cash_rounding.findData(rules.cash_rounding_minor))
        )
        self.max_change.set_text(self.host.desk.format_minor(rules.max_change_minor))
        self.rounding.setCurrentIndex(max(0, self.rounding.findData(rules.rounding)))
        self.tax_rounding.setCurrentIndex(max(0, self.tax_rounding.findData(rules.tax_rounding)))
        self.refresh_state()

    def _currency(self) -> str:
        user = self.host.desk.session.user
        return user.currency if user else ""

    def refresh_state(self) -> None:
        reason = self.host.desk.why_not(OPERATION)
        if reason is None and self.rules is None:
            reason = "Sign in again to read the selling rules"
        for widget in (self.prices_include_tax, self.cash_rounding, self.max_change,
                       self.rounding, self.tax_rounding, self.save_button):  # fmt: skip
            widget.setEnabled(reason is None)
        self.reason.setText(reason or "")
        self.reason.setVisible(reason is not None)

    def save(self) -> None:
        rules = self.rules
        if rules is None:
            return
        self.max_change.set_error(None)
        desk = self.host.desk
        include, step = self.prices_include_tax.isChecked(), int(self.cash_rounding.currentData())
        limit, rounding = self.max_change.text(), str(self.rounding.currentData())
        tax_rounding = str(self.tax_rounding.currentData())

        def save() -> SellingRules:
            return desk.save_selling_rules(
                rules, prices_include_tax=include, cash_rounding_minor=step, max_change=limit,
                rounding=rounding, tax_rounding=tax_rounding,
            )  # fmt: skip

        self.host.run(save, self._saved, {"max_change": self.max_change}, self.save_button)

    def _saved(self, rules: SellingRules) -> None:
        self.host.toast("Selling rules saved: every till sells with them after its next sync",
                        ToastKind.SUCCESS)  # fmt: skip
        self._fill(rules)
