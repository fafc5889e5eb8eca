"""Tile pictures for some of the demo shop's items (screenshots and the guide show the sell
screen with them), drawn here and made tile-ready by the same code as the server's uploads."""

from __future__ import annotations

import io

from desktop.catalog.images import store
from desktop.db.uow import UnitOfWork
from shared.tile_image import tile_image

# SKU -> (cup or pastry, its colour): plain shapes, so no artwork ships with the app.
PICTURED = {"LAT": ("cup", (120, 72, 40)), "CAP": ("cup", (150, 96, 56)),
            "CRO": ("pastry", (214, 150, 60)), "BAG": ("pastry", (190, 130, 70))}  # fmt: skip


def _drawing(shape: str, colour: tuple[int, int, int]) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if shape == "cup":
        pen.rounded_rectangle((48, 72, 184, 216), radius=24, fill=(245, 245, 240, 255))
        pen.ellipse((60, 60, 172, 104), fill=(*colour, 255))
        pen.arc((168, 108, 232, 176), 270, 90, fill=(245, 245, 240, 255), width=16)
    else:
        pen.pieslice((24, 56, 232, 264), 180, 360, fill=(*colour, 255))
        for x in (80, 128, 176):
            pen.line((x, 76, x, 156), fill=(255, 230, 180, 255), width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def add_demo_pictures(uow: UnitOfWork) -> int:
    """Give the pictured demo items their pictures (as if the server had sent them)."""
    for sku, (shape, colour) in PICTURED.items():
        tile = tile_image(_drawing(shape, colour))
        store(uow, tile.sha256, tile.png)
        uow.sql.execute("UPDATE items SET image = ? WHERE sku = ?", (tile.sha256, sku))
    return len(PICTURED)
