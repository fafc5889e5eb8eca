"""Business set-up, taxes: apply a country's preset — the preview says exactly which classes
and rates it writes before anything is written — and change a class's rates. A rate change
applies to sales from now on; sales already made keep the taxes they stored.

"Rates for" picks whose rates the tab shows and writes: the classes' own (every location), or
one location's (a shop in another region); a location without its own rates uses the class's."""

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
from desktop.office.models import Location, TaxClass, TaxPreset
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


def describe(tax_class: TaxClass, location: str | None = None) -> str:
    """ "VAT19 19 %, …" or "no tax" — how the preview and the table show a class's rates (at
    `location`: that location's, else the class's)."""
    rates = tax_class.rates_at(location)
    return ", ".join(f"{r.code} {r.percent} %" for r in rates) or "no tax"


def preview_text(preset: TaxPreset, rate: str = "", location: str | None = None) -> str:
    prices = "Prices include tax" if preset.prices_include_tax else "Prices exclude tax"
    what = f"Sets these rates at {location}" if location else "Writes these tax classes"
    lines = [preset.name, "", f"{what} ({prices.lower()}):"]
    for tax_class in preset.classes:
        rates = describe(tax_class)
        if preset.country == "US" and tax_class.rates:
            rates = f"{tax_class.rates[0].code} {rate or '…'} % (your local rate)"
        lines.append(f"•  {tax_class.code}: {rates}")
    if location:
        lines.append("Your other locations keep their rates.")
    else:
        lines.append(f"and sets: {prices}.")
    return "\n".join(lines)


class TaxesTab(QWidget):
    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host
        self.presets: list[TaxPreset] = []
        self.classes: list[TaxClass] = []
        self.setAccessibleName("Taxes")
        self.scope = QComboBox()
        self.scope.setAccessibleName("rates for")
        self.scope.currentIndexChanged.connect(lambda _i: self._scope_changed())

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
        self.own_button = Button("Use the class's rates", variant=Variant.SECONDARY,
                                 size=Size.TOUCH)  # fmt: skip
        self.own_button.clicked.connect(self.use_class_rates)
        self.rates_note = QLabel()
        self.rates_note.setProperty("role", "helper")
        self.rates_note.setWordWrap(True)
        self.rates_reason = reason_label()
        right = QVBoxLayout()
        right.setSpacing(space("sm"))
        right.addWidget(self.table, 1)
        right.addWidget(self.class_title)
        right.addLayout(self.rates_box)
        right.addWidget(self.rates_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.own_button)
        buttons.addWidget(self.save_button, 1)
        right.addLayout(buttons)
        right.addWidget(self.rates_reason)

        top = QHBoxLayout()
        scope_label = QLabel("Rates for")
        scope_label.setBuddy(self.scope)
        top.addWidget(scope_label)
        top.addWidget(self.scope, 1)
        columns = QHBoxLayout()
        columns.setSpacing(space("lg"))
        columns.addWidget(card, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(space("md"))
        layout.addLayout(top)
        layout.addLayout(columns, 1)
        self.show_data(None)

    # ------------------------------------------------------------------ data
    def show_locations(self, locations: list[Location]) -> None:
        """The "Rates for" choices: every location, then each one (the choice is kept)."""
        keep = self.location()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem("Every location (the classes' own rates)", None)
        for location in locations:
            self.scope.addItem(f"{location.name} ({location.code}) only", location.code)
        self.scope.setCurrentIndex(max(self.scope.findData(keep), 0) if keep else 0)
        self.scope.blockSignals(False)

    def show_data(self, overview: Overview | None) -> None:
        self.show_locations(list(overview.locations) if overview else [])
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
            self.table.setItem(row, 1, QTableWidgetItem(describe(tax_class, self.location())))
        codes = [c.code for c in classes]
        row = codes.index(keep) if keep in codes else (0 if codes else -1)
        self.table.setCurrentCell(row, 0)
        self.pick(row)

    def location(self) -> str | None:
        """The location code whose rates the tab shows (None: the classes' own)."""
        code = self.scope.currentData()
        return str(code) if code else None

    def _scope_changed(self) -> None:
        current = self.current_class()
        self._preview()
        self._fill(self.classes, keep=current.code if current else None)

    def selected_preset(self) -> TaxPreset | None:
        country = self.preset.currentData()
        return next((p for p in self.presets if p.country == country), None)

    def _preview(self) -> None:
        preset = self.selected_preset()
        is_us = preset is not None and preset.country == "US"
        self.rate.setVisible(is_us)
        self.preview.setText(
            preview_text(preset, self.rate.text(), self.location())
            if preset
            else "Sign in to see the presets."
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
        where = self.location()
        self.rates_note.setText("")
        if tax_class is None:
            self.class_title.setText("No tax classes yet: apply a preset")
        else:
            self.class_title.setText(
                f"Rates of {tax_class.code}" + (f" at {where}" if where else "")
            )
            if where and where not in tax_class.locations:
                self.rates_note.setText(f"{where} uses the class's rates; saving gives it its own.")
            for rate in tax_class.rates_at(where):
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
        current, where = self.current_class(), self.location()
        own = current is not None and where is not None and where in current.locations
        self.own_button.setVisible(own)
        self.own_button.setEnabled(rates_reason is None)
        self.rates_note.setVisible(bool(self.rates_note.text()))
        self.rates_reason.setText(rates_reason or "")
        self.rates_reason.setVisible(rates_reason is not None)

    def apply(self) -> None:
        preset = self.selected_preset()
        if preset is None:
            return
        self.rate.set_error(None)
        rate, where = self.rate.text(), self.location()
        replaced = (
            f"{where}'s rates of these classes are" if where else "Classes with these codes are"
        )
        question = preview_text(preset, rate, where) + f"\n\n{replaced} replaced."
        if not ConfirmDialog.ask(self, f"Apply the {preset.country} tax preset?", question,
                                 confirm="Apply preset"):  # fmt: skip
            return
        desk = self.host.desk
        self.host.run(
            lambda: desk.apply_preset(preset.country, rate_percent=rate, location=where),
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
        desk, where = self.host.desk, self.location()
        self.host.run(
            lambda: desk.save_rates(tax_class.code, percents, location=where),
            self._rates_saved,
            dict(self.rate_inputs),
            self.save_button,
        )

    def use_class_rates(self) -> None:
        tax_class, where = self.current_class(), self.location()
        if tax_class is None or where is None:
            return
        desk = self.host.desk
        self.host.run(
            lambda: desk.use_class_rates(tax_class.code, where),
            self._rates_saved,
            {},
            self.own_button,
        )

    def _rates_saved(self, tax_class: TaxClass) -> None:
        where = self.location()
        at = f" at {where}" if where else ""
        self.host.toast(f"{tax_class.code} saved: new sales{at} use {describe(tax_class, where)}",
                        ToastKind.SUCCESS)  # fmt: skip
        others = [c for c in self.classes if c.code != tax_class.code]
        self._fill(sorted([*others, tax_class], key=lambda c: c.code), keep=tax_class.code)
