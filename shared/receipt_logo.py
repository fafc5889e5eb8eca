"""The business logo made receipt-ready — once, by the server, when an owner uploads it:
flattened onto white, scaled to fit a 58 mm printer (384 dots) and a short header, dithered to
black and white, kept as a small PNG. Tills print it as it is, on printers that print images."""

from __future__ import annotations

import io

from shared.errors import ValidationFailed

MAX_UPLOAD_BYTES = 512 * 1024
MAX_PIXELS = 25_000_000  # larger images are refused before they are decoded
MAX_WIDTH, MAX_HEIGHT = 384, 160  # dots
FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")


def receipt_logo(raw: bytes) -> bytes:
    """A 1-bit PNG of at most 384 × 160 dots from an uploaded image.

    Raises:
        ValidationFailed: empty, too large, or not an image we read.
    """
    from PIL import Image, UnidentifiedImageError

    if not raw:
        raise ValidationFailed("the logo file is empty")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValidationFailed("the logo file is larger than 512 KB", details={"bytes": len(raw)})
    try:
        image = Image.open(io.BytesIO(raw))
        if image.format not in FORMATS:
            raise ValidationFailed(
                f"the logo must be {', '.join(FORMATS)}", details={"format": image.format}
            )
        if image.width * image.height > MAX_PIXELS:
            raise ValidationFailed(
                "the logo image is too large", details={"size": f"{image.width}x{image.height}"}
            )
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationFailed("that file is not an image: upload a PNG or JPEG logo") from None
    rgba = image.convert("RGBA")
    flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat.alpha_composite(rgba)  # transparent parts print as paper, not black
    gray = flat.convert("L")
    gray.thumbnail((MAX_WIDTH, MAX_HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    gray.convert("1").save(out, format="PNG", optimize=True)  # Floyd–Steinberg dithering
    return out.getvalue()
