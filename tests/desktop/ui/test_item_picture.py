"""The item form's picture, against a real server: "Picture…" (the file dialog patched) sends
the file, the server makes it tile-sized, the form previews it and this till's tiles show it at
once; "Remove picture" takes it away; with the network down nothing changes and the form says
beside the buttons that pictures need the server."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop.office.pictures import NEEDS_SERVER, PictureDesk
from desktop.office.session import OfficeSession
from desktop.till.catalog_desk import CatalogDesk
from desktop.ui.backoffice.item_form import ItemForm
from desktop.ui.theme import apply_theme
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import (  # noqa: F401
    SERVER,
    Server,
    _keyring_warning_seen,
    api,
    enroll,
    mailer,
    make_app,
    server,
)
from tests.syncserver.identity.conftest import OWNER

WAIT_MS = 10_000


class Network(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.down = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("network is down", request=request)
        return self.inner.handle_request(request)


@pytest.fixture
def network(server: Server) -> Network:  # noqa: F811
    return Network(server.transport())


@pytest.fixture
def form(
    qtbot: QtBot,
    shop: Shop,
    server: Server,  # noqa: F811
    network: Network,
    tmp_path: Path,
) -> Iterator[ItemForm]:
    enroll(server, shop.runner, tmp_path).sync()  # the server knows the till's items
    office = OfficeSession(SERVER, server.tenant, transport=network)
    office.sign_in("owner@juliet.example", OWNER["password"])
    widget = ItemForm(CatalogDesk(shop.counter), pictures=PictureDesk(office))
    apply_theme(widget, "light")
    qtbot.addWidget(widget)
    widget.start_edit(shop.items["LATTE"])  # type: ignore[arg-type]
    widget.show()
    yield widget
    widget.picture_tasks.wait()
    office.close()


def choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))


def press(qtbot: QtBot, form: ItemForm, button: Any) -> None:
    with qtbot.waitSignal(form.picture_tasks.finished, timeout=WAIT_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def server_image(on: Server, shop: Shop) -> Any:
    r = on.api.get(f"/v1/catalog/items/{shop.items['LATTE']}", headers=on.headers)
    return r.json()["image"]


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_a_picture_goes_up_shows_here_and_comes_off_and_offline_says_so(
    qtbot: QtBot, form: ItemForm, shop: Shop, server: Server, network: Network,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    photo = tmp_path / "latte.jpg"
    Image.new("RGB", (900, 600), (160, 100, 60)).save(photo, format="JPEG")
    assert form.picture_preview.text() == "No picture"
    assert not form.remove_picture_button.isEnabled()
    choose(monkeypatch, photo)
    with qtbot.waitSignal(form.picture_changed, timeout=WAIT_MS):
        press(qtbot, form, form.picture_button)
    sha = server_image(server, shop)
    assert sha is not None
    assert not form.picture_preview.pixmap().isNull()
    assert form.remove_picture_button.isEnabled()
    held = shop.counter.picture(sha)
    assert held is not None
    with Image.open(io.BytesIO(held)) as tile:
        assert tile.size == (256, 171)  # what the server made of the photo
    # This till's tile shows it before the next sync.
    assert [t.image for t in shop.counter.search("latte")] == [sha]

    network.down = True
    press(qtbot, form, form.remove_picture_button)
    assert form.picture_note.isVisible()
    assert form.picture_note.text() == NEEDS_SERVER
    assert server_image(server, shop) == sha  # nothing changed
    qtbot.mouseClick(form.picture_button, Qt.MouseButton.LeftButton)  # known offline: no call
    assert not form.picture_tasks.busy
    assert form.picture_note.text() == NEEDS_SERVER

    network.down = False
    form.pictures.session.set_online(True)  # type: ignore[union-attr]
    press(qtbot, form, form.remove_picture_button)
    assert server_image(server, shop) is None
    assert form.picture_preview.text() == "No picture"
    assert form.picture_note.isHidden()
    assert [t.image for t in shop.counter.search("latte")] == [None]


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_a_file_that_is_not_a_picture_is_refused_beside_the_button(
    qtbot: QtBot, form: ItemForm, server: Server, shop: Shop,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    fake = tmp_path / "menu.png"
    fake.write_bytes(b"not a picture at all")
    choose(monkeypatch, fake)
    press(qtbot, form, form.picture_button)
    assert "not a picture" in form.picture_note.text()
    assert server_image(server, shop) is None
