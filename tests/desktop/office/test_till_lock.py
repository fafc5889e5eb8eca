"""The e-mail session ends with the till's PIN session: on lock (idle or by hand) and on close."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.hardware.payment_terminal import SimulatedPaymentTerminal
from desktop.office.session import OfficeSession
from desktop.till.demo import demo_counter
from desktop.ui.backoffice.business_screen import BusinessScreen
from desktop.ui.shell.registry import Mode
from desktop.ui.till_window import TillWindows
from tests.desktop.office.conftest import Business

pytestmark = pytest.mark.gui


def open_back_office(qtbot: QtBot, tmp_path: Path, office: OfficeSession) -> TillWindows:
    counter = demo_counter(tmp_path)
    windows = TillWindows(counter, SimulatedPaymentTerminal(), office=office)
    qtbot.addWidget(windows.sign_in)
    counter.sign_in("1", "1234")
    window = windows.open_till(counter.who())
    window.set_mode(Mode.BACK_OFFICE)
    assert isinstance(window.open_screen("business"), BusinessScreen)
    return windows


def test_locking_the_till_signs_the_owner_out_on_the_server(
    qtbot: QtBot, tmp_path: Path, office: OfficeSession, business: Business
) -> None:
    windows = open_back_office(qtbot, tmp_path, office)
    office.sign_in(business.owner_email, business.owner_password)
    token = office._client.token if office._client else None
    windows.lock()
    assert not office.signed_in
    r = business.shop.api.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    windows.close()
    windows.counter.runner.engine.dispose()


def test_closing_the_app_signs_the_owner_out(
    qtbot: QtBot, tmp_path: Path, office: OfficeSession, business: Business
) -> None:
    windows = open_back_office(qtbot, tmp_path, office)
    office.sign_in(business.owner_email, business.owner_password)
    windows.close()
    assert not office.signed_in
    windows.counter.runner.engine.dispose()
