"""Item pictures reach the till with the catalog: the pull brings the hash, the same round
fetches the bytes; a picture that cannot be fetched never holds up the sales and arrives with a
later round; tiles name a picture only once the till holds it."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import httpx
import pytest
from PIL import Image

from desktop.sales.checkout import TenderRequest
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Server, enroll


class NoPictures(httpx.BaseTransport):
    """A network on which picture downloads fail (everything else gets through)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/v1/catalog/images/"):
            raise httpx.ConnectError("injected: picture download failed", request=request)
        return self.inner.handle_request(request)


def png(side: int = 600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (side, side), (20, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def latte_tile_image(shop: Shop) -> str | None:
    (tile,) = [t for t in shop.counter.search("latte") if t.item_id == shop.items["LATTE"]]
    return tile.image


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
def test_the_picture_arrives_with_the_catalog_and_a_failed_fetch_waits_for_the_next_round(
    shop: Shop, server: Server, tmp_path: Path
) -> None:
    link = enroll(server, shop.runner, tmp_path)
    link.sync()  # the till's catalog reaches the server
    item = shop.items["LATTE"]
    r = server.api.put(
        f"/v1/catalog/items/{item}/image",
        headers={**server.headers, "Content-Type": "image/png"},
        content=png(),
    )
    assert r.status_code == 200, r.text
    sha = r.json()["sha256"]
    shop.counter.add(item)  # type: ignore[arg-type]
    shop.counter.pay([TenderRequest("cash", shop.counter.cart().total)], shop.card)

    report = link.sync(transport=NoPictures(server.transport()))
    assert report.pushed > 0  # the sale went out although no picture came in
    assert report.images == 0
    assert shop.counter.pending_changes() == 0
    held = shop.runner.read(
        lambda u: u.sql.execute("SELECT image FROM items WHERE id = ?", (str(item),)).fetchone()
    )
    assert held == (sha,)  # the hash came with the pull ...
    assert latte_tile_image(shop) is None  # ... the tile stays as it was without the bytes

    report = link.sync()
    assert report.images == 1
    data = shop.counter.picture(sha)
    assert data is not None
    assert hashlib.sha256(data).hexdigest() == sha
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.size == (256, 256)
    assert latte_tile_image(shop) == sha
    assert link.sync().images == 0  # held: not fetched again

    assert (
        server.api.delete(f"/v1/catalog/items/{item}/image", headers=server.headers).status_code
        == 204
    )
    link.sync()
    assert latte_tile_image(shop) is None
