"""Who may read the catalog over the API: editors, and anyone who sells (at any location)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.errors import AuthzError
from shared.permissions import Permission
from syncserver.tenancy import Subject, member


def catalog_reader(subject: Annotated[Subject, Depends(member)]) -> Subject:
    """Raises AuthzError unless the caller holds catalog.edit or pos.sell somewhere."""
    if subject.somewhere(Permission.CATALOG_EDIT) or subject.somewhere(Permission.POS_SELL):
        return subject
    raise AuthzError(
        "you need the catalog.edit or pos.sell permission",
        details={"permission": Permission.CATALOG_EDIT.value},
    )


catalog_reader.nova_permission = Permission.POS_SELL.value  # type: ignore[attr-defined]
CatalogReader = Annotated[Subject, Depends(catalog_reader)]
