"""An item's tile picture made tile-ready — once, by the server, when a manager uploads it:
turned upright as the camera meant (EXIF orientation), shrunk to fit 256 × 256, stripped of its
metadata (camera, place, time) and kept as a PNG every till's Qt reads without extra plugins."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from shared.errors import ValidationFailed

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # larger images are refused before they are decoded
TILE_SIZE = 256  # pixels, the longer side at most
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}


def media_type_for(file_name: str) -> str:
    """The Content-Type to upload a picture file with, by its name.

    Raises:
        ValidationFailed: not a .png, .jpg, .jpeg or .webp file (field "image").
    """
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix not in SUFFIXES:
        raise refused("choose a PNG, JPEG or WebP picture (.png, .jpg, .webp)")
    return SUFFIXES[suffix]


@dataclass(frozen=True)
class TileImage:
    png: bytes
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.png).hexdigest()


def refused(message: str, **details: object) -> ValidationFailed:
    """A refusal about the picture (field \"image\"), for every side that checks one."""
    return ValidationFailed(message, details={"field": "image", **details})


def too_large() -> ValidationFailed:
    return refused(
        f"the picture file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: "
        "save a smaller copy and upload that",
        limit_bytes=MAX_UPLOAD_BYTES,
    )


def tile_image(raw: bytes) -> TileImage:
    """A PNG of at most 256 × 256 from an uploaded PNG, JPEG or WebP.

    Raises:
        ValidationFailed: empty, too large, another format, or not an image (field "image").
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not raw:
        raise refused("the picture file is empty")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise too_large()
    try:
        image = Image.open(io.BytesIO(raw))
        if image.format not in MEDIA_TYPES:
            raise refused("a picture must be a PNG, JPEG or WebP file", format=str(image.format))
        if image.width * image.height > MAX_PIXELS:
            raise refused("the picture has too many pixels", size=f"{image.width}x{image.height}")
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        # SyntaxError and ValueError: what some of Pillow's decoders raise on a broken file.
        raise refused(
            "that file is not a picture we can read: upload a PNG, JPEG or WebP"
        ) from None
    keeps_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    tile = upright.convert("RGBA" if keeps_alpha else "RGB")
    tile.thumbnail((TILE_SIZE, TILE_SIZE), Image.Resampling.LANCZOS)
    tile.info = {}  # no EXIF, ICC profile or text chunks go out with the PNG
    out = io.BytesIO()
    tile.save(out, format="PNG", optimize=True)
    return TileImage(out.getvalue(), tile.width, tile.height)
