"""The first-run window's pages: each a card of inputs and buttons, no logic of its own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.components.primitives import Button, Card, Input, Size, Variant
from desktop.ui.theme import size, space


class Page(QWidget):
    """A centred card with a message line for refusals that belong to no single field."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(title)
        self.card = Card(title, intro)
        self.card.setMaximumWidth(size("nav_width") * 3)
        first = self.card.body_layout.itemAt(0)
        intro_label = first.widget() if first is not None else None
        assert isinstance(intro_label, QLabel)
        self.intro = intro_label
        self.message = QLabel("")
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(f"{title} message")
        self.message.setVisible(False)
        self.back = Button("Back", variant=Variant.GHOST, size=Size.TOUCH)
        self.card.actions_row.insertWidget(0, self.back)
        # Centred by stretches, not an alignment flag: an aligned item keeps the height it
        # had, so an error appearing under a field would overlap the field below it.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card, 3)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def add(self, widget: QWidget) -> QWidget:
        self.card.body_layout.addWidget(widget)
        return widget

    def finish_body(self) -> None:
        """The message line goes last, just above the buttons."""
        self.card.body_layout.addWidget(self.message)

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def action(self, text: str, variant: Variant = Variant.PRIMARY) -> Button:
        button = Button(text, variant=variant, size=Size.TOUCH)
        self.card.add_action(button)
        return button


class ChoicePage(QWidget):
    """First run: set this till up for a business, or try the demo."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("First run")
        heading = QLabel("Welcome to Nova POS")
        heading.setProperty("role", "display")
        intro = QLabel("This till is not set up yet. What would you like to do?")
        self.setup = Button("Set up this till", size=Size.TOUCH)
        self.demo = Button("Try the demo", variant=Variant.SECONDARY, size=Size.TOUCH)
        self.message = QLabel("")
        self.message.setProperty("role", "error")
        self.message.setVisible(False)
        cards = QHBoxLayout()
        cards.setSpacing(space("xl"))
        for button, text in (
            (self.setup, "Connect it to your business on a Nova server: its staff, menu and "
             "settings come from there. You need the server address and the owner's "
             "sign-in or an enrollment code."),
            (self.demo, "A practice shop on this till only, with sample staff and a menu. "
             "Nothing reaches a business; you can set the till up for real later."),
        ):  # fmt: skip
            button.setProperty("role", "choice")
            card = Card(button.text())
            card.title.setVisible(False)
            helper = QLabel(text)
            helper.setWordWrap(True)
            helper.setProperty("role", "helper")
            card.body_layout.addWidget(button)
            card.body_layout.addWidget(helper)
            card.setMaximumWidth(size("nav_width") * 2)
            cards.addWidget(card)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(heading, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(intro, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(space("xl"))
        layout.addLayout(cards)
        layout.addWidget(self.message, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class ServerPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Server address",
            "Where your business's Nova server is, as the owner or your IT gave it.",
            parent,
        )
        self.address = Input(
            "Server address", placeholder="e.g. nova.example.com or 192.168.1.20:8700", touch=True
        )
        self.add(self.address)
        self.finish_body()
        self.next = self.action("Next")
        self.address.edit.returnPressed.connect(self.next.click)


class OwnerPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Owner sign-in",
            "Sign in with the e-mail and password of your business's back office. "
            "A manager without it can give you a one-time enrollment code instead.",
            parent,
        )
        self.email = Input("E-mail", placeholder="owner@your-shop.example", touch=True)
        self.password = Input("Password", touch=True)
        self.password.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.add(self.email)
        self.add(self.password)
        self.finish_body()
        self.use_code = self.action("I have an enrollment code", Variant.SECONDARY)
        self.sign_in = self.action("Sign in")
        self.password.edit.returnPressed.connect(self.sign_in.click)


class LocationPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Location", "Which of your shops is this till at?", parent)
        self.choices = QListWidget()
        self.choices.setProperty("role", "choices")
        self.choices.setAccessibleName("locations")
        self.choices.setMaximumHeight(size("touch_target") * 4)
        self.add(self.choices)
        new = QLabel("Or open a new location:")
        new.setProperty("role", "helper")
        self.new_label = new
        self.add(new)
        row = QWidget()
        fields = QHBoxLayout(row)
        fields.setContentsMargins(0, 0, 0, 0)
        self.code = Input("Location code", placeholder="e.g. MAIN")
        self.name = Input("Location name", placeholder="e.g. Market Street")
        self.open_button = Button("Open location", variant=Variant.SECONDARY)
        fields.addWidget(self.code, 1)
        fields.addWidget(self.name, 2)
        fields.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.add(row)
        self.finish_body()
        self.next = self.action("Next")


NAME_INTRO = (
    "Receipts, reports and the back office show this name. Each till of the business needs its own."
)
CODE_INTRO = (
    "Type the one-time code a manager made for this till; it also tells the till its "
    "location. Then name the till: receipts and reports show the name."
)


class TillPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Name this till", NAME_INTRO, parent)
        self.code = Input(
            "Enrollment code",
            placeholder="e.g. ABCDE-FGHJK",
            helper="A manager makes one in the back office (Devices); it works once.",
            touch=True,
        )
        self.name = Input("Till name", placeholder="e.g. Counter 1", touch=True)
        self.add(self.code)
        self.add(self.name)
        self.finish_body()
        self.enroll = self.action("Set up this till")
        self.name.edit.returnPressed.connect(self.enroll.click)


SYNC_INTRO = "Staff, menu and settings are coming from the server. This takes a moment."


class ProgressPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Setting up this till", SYNC_INTRO, parent)
        self.back.setVisible(False)  # enrolled: there is no way back, only forward
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setAccessibleName("first sync progress")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("first sync status")
        self.add(self.bar)
        self.add(self.status)
        self.finish_body()
        self.retry = self.action("Try again", Variant.SECONDARY)
        self.open = self.action("Go to sign-in")
        self.retry.setVisible(False)
        self.open.setVisible(False)
