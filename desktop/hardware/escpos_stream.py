"""Reading an ESC/POS byte stream back into what a printer would put on paper — text lines,
images, QR codes, barcodes, cuts, drawer pulses — for the printer simulator's text and PNG
renderings. Only the commands our receipts use are understood; others are skipped by size."""

from __future__ import annotations

import codecs
import contextlib
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Text:
    text: str
    align: int = 0  # 0 left, 1 centre, 2 right


@dataclass(frozen=True)
class Newline:
    align: int = 0


@dataclass(frozen=True)
class Image:
    width: int  # dots
    height: int
    bits: bytes  # rows of width/8 bytes, most significant bit first, 1 = ink
    align: int = 0


@dataclass(frozen=True)
class Qr:
    data: str


@dataclass(frozen=True)
class Barcode:
    data: str


@dataclass(frozen=True)
class Marker:
    name: str  # cut, drawer


Element = Text | Newline | Image | Qr | Barcode | Marker

_ONE_ARG = {b"E", b"a", b"t", b"!", b"d", b"-", b"M", b"G", b"J", b"{", b"r"}


@cache
def code_pages() -> dict[int, str]:
    """ESC t n → Python codec, from the printer profile the receipts are made for."""
    from desktop.hardware.escpos_bytes import new_document

    pages: dict[int, str] = {}
    for number, name in new_document().profile.profile_data["codePages"].items():
        codec = name.lower().replace("iso_", "iso").replace("-", "_")
        with contextlib.suppress(LookupError):
            pages[int(number)] = codecs.lookup(codec).name
    return pages


def parse(data: bytes) -> list[Element]:
    out: list[Element] = []
    codec, align, qr_data, i = "cp437", 0, "", 0
    while i < len(data):
        b = data[i]
        if b == 0x1B and i + 1 < len(data):  # ESC
            cmd = data[i + 1 : i + 2]
            if cmd == b"t":
                codec = code_pages().get(data[i + 2], "cp437")
            elif cmd == b"a":
                align = data[i + 2] % 48 if i + 2 < len(data) else 0
            elif cmd == b"p":
                out.append(Marker("drawer"))
                i += 5
                continue
            i += 3 if cmd in _ONE_ARG else 2
        elif b == 0x1D and i + 1 < len(data):  # GS
            cmd = data[i + 1 : i + 2]
            if cmd == b"V":
                out.append(Marker("cut"))
                i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
            elif cmd == b"k":
                length = data[i + 3]
                code = data[i + 4 : i + 4 + length].decode("ascii", "replace")
                out.append(Barcode(code.removeprefix("{B")))
                i += 4 + length
            elif cmd == b"v":  # raster image: GS v 0 m xL xH yL yH data (x in bytes)
                width = data[i + 4] + data[i + 5] * 256
                height = data[i + 6] + data[i + 7] * 256
                out.append(Image(width * 8, height, data[i + 8 : i + 8 + width * height], align))
                i += 8 + width * height
            elif cmd == b"(" and data[i + 2 : i + 3] == b"k":  # 2D code: GS ( k pL pH cn fn …
                size = data[i + 3] + data[i + 4] * 256
                body = data[i + 5 : i + 5 + size]
                if body[:2] == b"1P":  # QR: store the data
                    qr_data = body[3:].decode("ascii", "replace")
                elif body[:2] == b"1Q":  # QR: print what was stored
                    out.append(Qr(qr_data))
                i += 5 + size
            else:
                i += 3
        elif b == 0x10 and data[i + 1 : i + 2] == b"\x04":  # DLE EOT
            i += 3
        elif b == 0x0A:
            out.append(Newline(align))
            i += 1
        elif b >= 0x20:
            start = i
            while i < len(data) and data[i] >= 0x20 and data[i] not in (0x1B, 0x1D):
                i += 1
            out.append(Text(data[start:i].decode(codec, "replace"), align))
        else:
            i += 1
    return out


def as_text(elements: list[Element]) -> str:
    """Text with markers: `[image WxH]`, `[qr …]`, `[barcode …]`, `[cut]`, `[drawer]`."""
    out: list[str] = []
    for e in elements:
        if isinstance(e, Text):
            out.append(e.text)
        elif isinstance(e, Newline):
            out.append("\n")
        elif isinstance(e, Image):
            out.append(f"[image {e.width}x{e.height}]\n")
        elif isinstance(e, Qr):
            out.append(f"[qr {e.data}]\n")
        elif isinstance(e, Barcode):
            out.append(f"[barcode {e.data}]\n")
        else:
            out.append(f"[{e.name}]\n")
    return "".join(out)
