"""The owner's or manager's e-mail sign-in strip at the top of every server-backed back-office
window (Business setup, Staff & roles): e-mail and password, or who is signed in, and why
changes are off. The window connects its buttons and calls `show_state` after each change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.office.session import OfficeSession
from desktop.ui.components.primitives import Button, Input, Size, Variant
from desktop.ui.theme import space


class SignInStrip(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.email = Input("E-mail", placeholder="owner@your-shop.example")
        self.password = Input("Password")
        self.password.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.sign_in_button = Button("Sign in", variant=Variant.PRIMARY, size=Size.TOUCH)
        signed_out = QWidget()
        column = QVBoxLayout(signed_out)
        column.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Owner or manager sign-in")
        title.setProperty("role", "title")
        column.addWidget(title)
        row = QHBoxLayout()
        row.setSpacing(space("md"))
        row.addWidget(self.email, 3)
        row.addWidget(self.password, 2)
        row.addWidget(self.sign_in_button, 0, Qt.AlignmentFlag.AlignBottom)
        column.addLayout(row)
        self.who = QLabel()
        self.who.setProperty("role", "title")
        self.who.setAccessibleName("signed in as")
        self.who.setWordWrap(True)
        self.sign_out_button = Button("Sign out", variant=Variant.SECONDARY, size=Size.TOUCH)
        signed = QWidget()
        row = QHBoxLayout(signed)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.who, 1)
        row.addWidget(self.sign_out_button)
        self.account = QStackedWidget()
        self.account.addWidget(signed_out)
        self.account.addWidget(signed)
        self.reason = QLabel()
        self.reason.setProperty("role", "helper")
        self.reason.setAccessibleName("why changes are off")
        self.reason.setWordWrap(True)
        self.retry_button = Button("Check connection", variant=Variant.GHOST)
        note = QHBoxLayout()
        note.addWidget(self.reason, 1)
        note.addWidget(self.retry_button)
        box = QVBoxLayout(self)
        pad = space("md")
        box.setContentsMargins(pad, pad, pad, pad)
        box.setSpacing(space("xs"))
        box.addWidget(self.account)
        box.addLayout(note)

    def show_state(self, session: OfficeSession, *, operation_id: str, signed_out: str) -> None:
        """Who is signed in, or `signed_out` (what signing in gives); offline or not yet
        connected: the reason `operation_id` cannot run."""
        user = session.user
        self.account.setCurrentIndex(1 if user else 0)
        if user is not None:
            self.who.setText(f"Signed in: {user.name} · {user.business_name}")
        reason = None
        if not session.connected or not session.online:
            reason = session.why_not(operation_id)
        elif user is None:
            reason = signed_out
        if reason is None and user is not None:
            reason = f"As {user.email}: changes are saved on the server and reach every till."
        self.reason.setText(reason or "")
        self.retry_button.setVisible(session.connected and not session.online)
        self.sign_in_button.setEnabled(session.connected)
