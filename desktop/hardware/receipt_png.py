"""An ESC/POS job drawn as the paper would come out, as a PNG: text in the printer's columns
(12 × 24-dot characters, as font A), the raster logo, QR codes and barcodes drawn for real (a
phone can scan them off the screen), and cuts. For `nova sim printer --png DIR` and the docs."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.hardware import escpos_stream as es
from shared.paths import assets_dir

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage

CHAR_W, LINE_H = 12, 24  # font A, in dots (203 dpi)
MARGIN = 16
INK, PAPER, FAINT = 0, 255, 160

Draw = Callable[["PilImage", int], None]  # (paper, top) → draws one row


def render_png(data: bytes, columns: int = 48) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(assets_dir() / "fonts" / "DejaVuSansMono.ttf"), 20)
    width = columns * CHAR_W + 2 * MARGIN
    rows: list[tuple[int, Draw]] = []  # (height, draw)
    line: list[str] = []

    def place(image: PilImage, align: int) -> Draw:
        def draw(paper: PilImage, top: int) -> None:
            room = width - 2 * MARGIN - image.width
            paper.paste(
                image, (MARGIN + (room // 2 if align == 1 else room if align == 2 else 0), top)
            )

        return draw

    def text_row(text: str, align: int, shade: int = INK) -> Draw:
        def draw(paper: PilImage, top: int) -> None:
            x = MARGIN + {
                1: (columns - len(text)) * CHAR_W // 2,
                2: (columns - len(text)) * CHAR_W,
            }.get(align, 0)
            ImageDraw.Draw(paper).text((max(x, MARGIN), top), text, font=font, fill=shade)

        return draw

    align = 0
    for element in es.parse(data):
        if isinstance(element, es.Text):
            line.append(element.text)
            align = element.align
        elif isinstance(element, es.Newline):
            rows.append((LINE_H, text_row("".join(line), element.align)))
            line = []
        elif isinstance(element, es.Image):
            raw = bytes(b ^ 0xFF for b in element.bits)  # ESC/POS 1 = ink; PIL "1": 1 = white
            logo = Image.frombytes("1", (element.width, element.height), raw).convert("L")
            rows.append((logo.height + 8, place(logo, element.align)))
        elif isinstance(element, es.Qr):
            qr = _qr(element.data)
            rows.append((qr.height, place(qr, 1)))
        elif isinstance(element, es.Barcode):
            code = _barcode(element.data)
            rows.append((code.height, place(code, 1)))
        else:
            label = "- - - - ✂ - - - -" if element.name == "cut" else f"[{element.name}]"
            rows.append((LINE_H, text_row(label, 1, FAINT)))
    if line:
        rows.append((LINE_H, text_row("".join(line), align)))
    paper = Image.new("L", (width, sum(h for h, _ in rows) + 2 * MARGIN), PAPER)
    top = MARGIN
    for height, draw in rows:
        draw(paper, top)
        top += height
    out = io.BytesIO()
    paper.save(out, format="PNG")
    return out.getvalue()


def _qr(data: str) -> PilImage:
    import qrcode  # type: ignore[import-untyped]

    image = qrcode.make(data, box_size=6, border=2)
    return image.get_image().convert("L")  # type: ignore[no-any-return]


def _barcode(data: str) -> PilImage:
    from barcode import Code128  # type: ignore[import-untyped]
    from barcode.writer import ImageWriter  # type: ignore[import-untyped]

    options = {"module_height": 8.0, "quiet_zone": 2.0, "write_text": False, "dpi": 203}
    image = Code128(data, writer=ImageWriter()).render(options)
    return image.convert("L")  # type: ignore[no-any-return]
