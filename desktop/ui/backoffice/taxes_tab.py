"""Business set-up, taxes: apply a country's preset — the preview says exactly which classes
and rates it writes before anything is written — and change a class's rates. A rate change
applies to sales from now on; sales already made keep the taxes they stored."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.office.config_desk import Overview
from desktop.office.models import TaxClass, TaxPreset
from desktop.ui.backoffice.office_task import Host, reason_label
from desktop.ui.components.primitives import (
    Button,
    ConfirmDialog,
    Input,
    Size,
    ToastKind,
    Variant,
)
from desktop.ui.components.tables import list_table
from desktop.ui.theme import space

COLUMNS = ("Class", "Rates")


def describe(tax_class: TaxClass) -> str:
    """ "VAT19 19 %, …" or "no tax" — how the preview and the table show a class's rates."""
    return ", ".join(f"{r.code} {r.percent} %" for r in tax_class.rates) or "no tax"


def preview_text(preset: TaxPreset, rate: str = "") -> str:
    prices = "Prices include tax" if preset.prices_include_tax else "Prices exclude tax"
    lines = [preset.name, "", f"Writes these tax classes ({prices.lower()}):"]
    for tax_class in preset.classes:
        rates = describe(tax_class)
        if preset.country == "US" and tax_class.rates:
            rates = f"{tax_class.rates[0].code} {rate or '…'} % (your local rate)"
        lines.append(f"•  {tax_class.code}: {rates}")
    lines.append(f"and sets: {prices}.")
    return "\n".join(lines)


class TaxesTab(QWidget):
    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host
        self.presets: list[TaxPreset] = []
        self.classes: list[TaxClass] = []
        self.setAccessibleName("Taxes")

        self.preset = QComboBox()
        self.preset.setAccessibleName("country preset")
        # The long preset names must not push the classes aside: the box keeps its half.
        self.preset.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset.setMinimumContentsLength(16)
        self.preset.currentIndexChanged.connect(lambda _i: self._preview())
        self.rate = Input("Sales tax rate (%)", placeholder="e.g. 8.875", numeric=True)
        self.rate.edit.textChanged.connect(lambda _t: self._preview())
        self.preview = QLabel()
        self.preview.setAccessibleName("preset preview")
        self.preview.setWordWrap(True)
        self.apply_button = Button("Apply preset", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.apply_button.clicked.connect(self.apply)
        self.apply_reason = reason_label()
        card = QFrame()
        card.setProperty("role", "card")
        left = QVBoxLayout(card)
        pad = space("md")
        left.setContentsMargins(pad, pad, pad, pad)
        left.setSpacing(space("sm"))
        title = QLabel("Country preset")
        title.setProperty("role", "title")
        left.addWidget(title)
        left.addWidget(self.preset)
        left.addWidget(self.rate)
        left.addWidget(self.preview)
        left.addStretch(1)
        left.addWidget(self.apply_button)
        left.addWidget(self.apply_reason)

        self.table = list_table(COLUMNS, "tax classes")
        self.table.currentCellChanged.connect(lambda row, *_: self.pick(row))
        self.class_title = QLabel("Pick a tax class")
        self.class_title.setProperty("role", "title")
        self.rate_inputs: dict[str, Input] = {}
        self.rates_box = QVBoxLayout()
        self.save_button = Button("Save rates", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.save_button.clicked.connect(self.save_rates)
        self.rates_reason = reason_label()
        right = QVBoxLayout()
        right.setSpacing(space("sm"))
        right.addWidget(self.table, 1)
        right.addWidget(self.class_title)
        right.addLayout(self.rates_box)
        right.addWidget(self.save_button)
        right.addWidget(self.rates_reason)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("lg"))
        layout.addWidget(card, 1)
        layout.addLayout(right, 1)
        self.show_data(None)

    # ------------------------------------------------------------------ data
    def show_data(self, overview: Overview | None) -> None:
        self.presets = list(overview.presets) if overview else []
        self.preset.blockSignals(True)
        self.preset.clear()
        for preset in self.presets:
            # "Germany: VAT (…), prices include tax" → "DE — Germany"; the preview says the rest.
            self.preset.addItem(f"{preset.country} — {preset.name.split(':')[0]}", preset.country)
        self.preset.blockSignals(False)
        self._preview()
        self._fill(list(overview.classes) if overview else [])

    def _fill(self, classes: list[TaxClass], keep: str | None = None) -> None:
        self.classes = classes
        self.table.setRowCount(len(classes))
        for row, tax_class in enumerate(classes):
            self.table.setItem(row, 0, QTableWidgetItem(tax_class.code))
            self.table.setItem(row, 1, QTableWidgetItem(describe(tax_class)))
        codes = [c.code for c in classes]
        row = codes.index(keep) if keep in codes else (0 if codes else -1)
        self.table.setCurrentCell(row, 0)
        self.pick(row)

    def selected_preset(self) -> TaxPreset | None:
        country = self.preset.currentData()
        return next((p for p in self.presets if p.country == country), None)

    def _preview(self) -> None:
        preset = self.selected_preset()
        is_us = preset is not None and preset.country == "US"
        self.rate.setVisible(is_us)
        self.preview.setText(
            preview_text(preset, self.rate.text()) if preset else "Sign in to see the presets."
        )

    def pick(self, row: int) -> None:
        while self.rates_box.count():
            item = self.rates_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from the picture now, deleted when Qt gets round to it
                widget.deleteLater()
        self.rate_inputs = {}
        tax_class = self.classes[row] if 0 <= row < len(self.classes) else None
        if tax_class is None:
            self.class_title.setText("No tax classes yet: apply a preset")
        else:
            self.class_title.setText(f"Rates of {tax_class.code}")
            for rate in tax_class.rates:
                field = Input(f"{rate.code} (%)", numeric=True)
                field.set_text(str(rate.percent))
                self.rate_inputs[rate.code] = field
                self.rates_box.addWidget(field)
        self.refresh_state()

    def current_class(self) -> TaxClass | None:
        row = self.table.currentRow()
        return self.classes[row] if 0 <= row < len(self.classes) else None

    # ------------------------------------------------------------------ state and actions
    def refresh_state(self) -> None:
        desk = self.host.desk
        apply_reason = desk.why_not("taxes.apply_preset")
        self.apply_button.setEnabled(apply_reason is None and self.selected_preset() is not None)
        self.preset.setEnabled(apply_reason is None)
        self.rate.setEnabled(apply_reason is None)
        self.apply_reason.setText(apply_reason or "")
        self.apply_reason.setVisible(apply_reason is not None)
        rates_reason = desk.why_not("taxes.edit_rates")
        for field in self.rate_inputs.values():
            field.setEnabled(rates_reason is None)
        self.save_button.setEnabled(rates_reason is None and bool(self.rate_inputs))
        self.rates_reason.setText(rates_reason or "")
        self.rates_reason.setVisible(rates_reason is not None)

    def apply(self) -> None:
        preset = self.selected_preset()
        if preset is None:
            return
        self.rate.set_error(None)
        rate = self.rate.text()
        question = preview_text(preset, rate) + "\n\nClasses with these codes are replaced."
        if not ConfirmDialog.ask(self, f"Apply the {preset.country} tax preset?", question,
                                 confirm="Apply preset"):  # fmt: skip
            return
        desk = self.host.desk
        self.host.run(
            lambda: desk.apply_preset(preset.country, rate_percent=rate),
            lambda classes: self._applied(preset, classes),
            {"rate_percent": self.rate},
            self.apply_button,
        )

    def _applied(self, preset: TaxPreset, classes: list[TaxClass]) -> None:
        self.host.toast(f"{preset.name} applied: {len(preset.classes)} tax classes written",
                        ToastKind.SUCCESS)  # fmt: skip
        self._fill(classes)

    def save_rates(self) -> None:
        tax_class = self.current_class()
        if tax_class is None:
            return
        for field in self.rate_inputs.values():
            field.set_error(None)
        percents = {code: field.text() for code, field in self.rate_inputs.items()}
        desk = self.host.desk
        self.host.run(
            lambda: desk.save_rates(tax_class.code, percents),
            self._rates_saved,
            dict(self.rate_inputs),
            self.save_button,
        )

    def _rates_saved(self, tax_class: TaxClass) -> None:
        self.host.toast(f"{tax_class.code} saved: new sales use {describe(tax_class)}",
                        ToastKind.SUCCESS)  # fmt: skip
        others = [c for c in self.classes if c.code != tax_class.code]
        self._fill(sorted([*others, tax_class], key=lambda c: c.code), keep=tax_class.code)
