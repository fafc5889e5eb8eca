"""The product version, read once from the installed distribution metadata."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def product_version() -> str:
    """Installed ``nova-pos`` version, or ``0+unknown`` when run from a bare source tree."""
    try:
        return version("nova-pos")
    except PackageNotFoundError:
        return "0+unknown"


__version__ = product_version()
