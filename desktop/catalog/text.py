"""Text keys of the catalog (search), shared by the catalog's writers and its sync."""

from __future__ import annotations

import unicodedata


def search_key(*parts: str) -> str:
    """Lower-case, accent-free text: "Café Crème" and "cafe creme" find each other."""
    text = " ".join(parts)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
