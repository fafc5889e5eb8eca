"""Business set-up, receipt: the name, address, tax id and footer every till prints, the logo
above them, and a sample receipt on 58 mm or 80 mm paper that follows the form as the owner
types. A thin view over `ReceiptDesk`; the preview is the till's own receipt layout drawn as
the printer prints it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.office.config_desk import Overview
from desktop.office.models import ReceiptProfile
from desktop.office.receipt_desk import ADDRESS_LINES, LINE_MAX, LOGO_RULE, PAPERS, ReceiptDesk
from desktop.office.receipt_desk import draft as checked_draft
from desktop.office.receipt_desk import preview as render_preview
from desktop.ui.backoffice.office_task import Field, Host, Note, card, reason_label
from desktop.ui.components.primitives import Button, ConfirmDialog, Input, Size, ToastKind, Variant
from desktop.ui.theme import space

PREVIEW_DELAY_MS = 250  # redraw the sample receipt once typing pauses
PAPER_TITLES = {58: "58 mm paper (32 characters)", 80: "80 mm paper (48 characters)"}
SAVED = "Saved: every till prints it from its next sync"


def _pick_logo(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "Choose your logo", str(Path.home()),
        "Pictures (*.png *.jpg *.jpeg *.gif *.bmp *.webp)",
    )  # fmt: skip
    return Path(name) if name else None


class ReceiptTab(QWidget):
    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host
        self.desk = ReceiptDesk(host.desk.session)
        self.profile: ReceiptProfile | None = None
        self.preview_png: bytes | None = None  # the sample receipt now shown
        self.pick_file: Callable[[], Path | None] = lambda: _pick_logo(self)
        self.setAccessibleName("Receipt")

        # ------------------------------------------------ what every receipt prints
        self.name = Input("Name on the receipt", placeholder="e.g. Café Müller")
        self.tax_id = Input("Tax ID", placeholder="e.g. DE123456789")
        self.address = QPlainTextEdit()
        self.address.setAccessibleName("address")
        self.address.setPlaceholderText("Marktstraße 5\n10115 Berlin")
        self.address.setTabChangesFocus(True)
        lines = self.address.fontMetrics().lineSpacing() * ADDRESS_LINES
        self.address.setFixedHeight(lines + 2 * space("sm") + 4)
        address_label = QLabel(f"Address (up to {ADDRESS_LINES} lines of {LINE_MAX} characters)")
        address_label.setBuddy(self.address)
        self.address_note = Note("address refusal")
        self.footer = Input("Footer", placeholder="e.g. Thank you! See you soon")
        self.save_button = Button("Save receipt", variant=Variant.PRIMARY, size=Size.TOUCH)
        self.save_button.clicked.connect(self.save)
        self.reason = reason_label()

        form_card, form = card(None)  # untitled: at 768 pixels the address needs the room
        first = QHBoxLayout()
        first.setSpacing(space("sm"))
        first.addWidget(self.name, 3)
        first.addWidget(self.tax_id, 2)
        form.addLayout(first)
        form.addWidget(address_label)
        form.addWidget(self.address)
        form.addWidget(self.address_note)
        form.addWidget(self.footer)
        form.addStretch(1)
        form.addWidget(self.save_button)

        # ------------------------------------------------ logo and preview
        self.logo_state = QLabel("")
        self.logo_state.setProperty("role", "helper")
        self.logo_state.setWordWrap(True)
        self.logo_state.setToolTip(LOGO_RULE)
        self.upload_button = Button("Upload logo…", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.upload_button.clicked.connect(self.upload)
        self.remove_button = Button("Remove logo", variant=Variant.GHOST, size=Size.TOUCH)
        self.remove_button.clicked.connect(self.remove)
        self.logo_note = Note("logo refusal")
        self.paper = QComboBox()
        self.paper.setAccessibleName("paper width")
        for mm in PAPERS:
            self.paper.addItem(PAPER_TITLES[mm], mm)
        self.paper.currentIndexChanged.connect(lambda _i: self.redraw())
        self.sample = QLabel()
        self.sample.setAccessibleName("sample receipt")
        self.sample.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroller = QScrollArea()
        self.scroller.setWidget(self.sample)
        self.scroller.setWidgetResizable(True)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setMinimumHeight(space("xl") * 2)

        look_card, look = card("Logo and preview")
        buttons = QHBoxLayout()
        buttons.setSpacing(space("sm"))
        buttons.addWidget(self.upload_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        look.addLayout(buttons)
        look.addWidget(self.logo_state)
        look.addWidget(self.logo_note)
        look.addWidget(self.paper)
        look.addWidget(self.scroller, 1)
        look.addWidget(self.reason)  # here, not under the form: that column has no room left

        for section in (form_card, look_card):
            section.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        cards = QHBoxLayout()
        cards.setSpacing(space("md"))
        cards.addWidget(form_card, 1)
        cards.addWidget(look_card, 1)
        layout = QVBoxLayout(self)
        pad = space("md")
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.addLayout(cards, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.redraw)
        for edit in (self.name.edit, self.tax_id.edit, self.footer.edit):
            edit.textChanged.connect(lambda _t: self._timer.start())
        self.address.textChanged.connect(self._timer.start)
        self.show_data(None)

    # ------------------------------------------------------------------ showing
    def show_data(self, overview: Overview | None) -> None:
        self.profile = overview.profile if overview else None
        profile = self.profile
        self.name.set_text(profile.receipt_name if profile else "")
        self.tax_id.set_text(profile.tax_id if profile else "")
        self.address.setPlainText("\n".join(profile.address_lines) if profile else "")
        self.footer.set_text(profile.receipt_footer if profile else "")
        for field in (self.name, self.tax_id, self.footer, self.address_note, self.logo_note):
            field.set_error(None)
        self._show_logo()
        self.redraw()

    def _show_logo(self) -> None:
        logo = self.profile.logo if self.profile else None
        if self.profile is None:
            self.logo_state.setText("")
        elif logo is None:
            self.logo_state.setText(f"No logo yet. {LOGO_RULE}")
        else:
            picture = QPixmap()
            picture.loadFromData(logo)
            self.logo_state.setText(
                f"Logo: {picture.width()} × {picture.height()} dots, black and white as it "
                "prints. Printers print it when set to (Devices → Prints the logo)."
            )

    def typed(self) -> ReceiptProfile:
        """The form as it stands, unchecked (the preview shows what is typed, even too long)."""
        lines = tuple(x.strip() for x in self.address.toPlainText().splitlines() if x.strip())
        return ReceiptProfile(self.name.text().strip(), lines, self.tax_id.text().strip(),
                              self.footer.text().strip(),
                              self.profile.logo if self.profile else None)  # fmt: skip

    def redraw(self) -> None:
        """Draw the sample receipt for the chosen paper from what the form says now."""
        self._timer.stop()
        if self.profile is None:
            self.preview_png = None
            self.sample.clear()
            self.sample.setText("Sign in to see your receipt")
            return
        self.preview_png = render_preview(self.typed(), int(self.paper.currentData()),
                                          self.desk.currency)  # fmt: skip
        self._fit_sample()

    def _fit_sample(self) -> None:
        if self.preview_png is None:
            return
        picture = QPixmap()
        picture.loadFromData(self.preview_png)
        room = self.scroller.viewport().width() - 2
        if 0 < room < picture.width():  # shrink to the column, never enlarge: dots stay sharp
            picture = picture.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)
        self.sample.setPixmap(picture)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit_sample()

    def refresh_state(self) -> None:
        reason = self.desk.why_not()
        allowed = reason is None and self.profile is not None
        for widget in (self.name, self.tax_id, self.address, self.footer, self.save_button,
                       self.upload_button):  # fmt: skip
            widget.setEnabled(allowed)
        self.remove_button.setEnabled(allowed and self.profile is not None
                                      and self.profile.logo is not None)  # fmt: skip
        self.reason.setText(reason or "")
        self.reason.setVisible(reason is not None)

    # ------------------------------------------------------------------ actions
    def save(self) -> None:
        fields: dict[str, Field] = {"receipt_name": self.name, "tax_id": self.tax_id,
                  "receipt_footer": self.footer, "address_lines": self.address_note}  # fmt: skip
        for field in fields.values():
            field.set_error(None)
        name, address = self.name.text(), self.address.toPlainText()
        tax_id, footer, logo = self.tax_id.text(), self.footer.text(), self.typed().logo

        def save() -> ReceiptProfile:
            profile = checked_draft(name, address, tax_id, footer)
            return self.desk.save(
                ReceiptProfile(
                    profile.receipt_name,
                    profile.address_lines,
                    profile.tax_id,
                    profile.receipt_footer,
                    logo,
                )
            )

        self.host.run(save, self._saved, fields, self.save_button)

    def _saved(self, profile: ReceiptProfile) -> None:
        self.profile = profile
        self.host.toast(SAVED, ToastKind.SUCCESS)
        self.refresh_state()
        self.redraw()

    def upload(self) -> None:
        self.logo_note.set_error(None)
        path = self.pick_file()
        if path is None:
            return
        self.host.run(lambda: self.desk.upload_logo(path), self._uploaded,
                      {"logo": self.logo_note}, self.upload_button)  # fmt: skip

    def _uploaded(self, logo: bytes) -> None:
        self._set_logo(logo)
        self.host.toast("Logo saved: every till prints it from its next sync", ToastKind.SUCCESS)

    def remove(self) -> None:
        if not ConfirmDialog.ask(self, "Remove the logo?",
                                 "Receipts print without a logo from each till's next sync.",
                                 confirm="Remove logo", cancel="Keep it", danger=True):  # fmt: skip
            return
        self.host.run(self.desk.remove_logo, lambda _none: self._removed(),
                      {"logo": self.logo_note}, self.remove_button)  # fmt: skip

    def _removed(self) -> None:
        self._set_logo(None)
        self.host.toast("Logo removed: receipts print without it", ToastKind.SUCCESS)

    def _set_logo(self, logo: bytes | None) -> None:
        if self.profile is not None:
            self.profile = replace(self.profile, logo=logo)
        self._show_logo()
        self.refresh_state()
        self.redraw()
