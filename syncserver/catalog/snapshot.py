"""Bootstrap: the tenant's catalog documents in pages, in the order tills must apply them.

A page is read after the change log's head (`as_of`); documents may be newer than that head,
never older, and a till then pulls catalog changes after `as_of` only. Applying a document is
idempotent, so a bootstrap resumes from its last page after a crash or a lost answer.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.catalog_sync import ORDER, document_body
from shared.errors import ValidationFailed
from syncserver.models import CatalogDocument

Page = tuple[list[tuple[str, str, dict[str, object]]], str | None]


def _start(after: str | None) -> tuple[int, str]:
    if not after:
        return 0, ""
    entity, sep, entity_id = after.partition("|")
    if not sep or entity not in ORDER:
        raise ValidationFailed("not a bootstrap position", details={"after": after[:80]})
    return ORDER.index(entity), entity_id


def catalog_page(session: Session, tenant_id: uuid.UUID, after: str | None, limit: int) -> Page:
    """Up to `limit` documents after position `after`; the next position, or None at the end."""
    first, after_id = _start(after)
    found: list[tuple[str, str, dict[str, object]]] = []
    for index in range(first, len(ORDER)):
        entity = ORDER[index]
        query = select(CatalogDocument.entity_id, CatalogDocument.fields).where(
            CatalogDocument.tenant_id == tenant_id, CatalogDocument.entity == entity
        )
        if index == first and after_id:
            query = query.where(CatalogDocument.entity_id > after_id)
        rows = session.execute(query.order_by(CatalogDocument.entity_id).limit(limit - len(found)))
        for entity_id, text in rows:
            fields = json.loads(text)
            found.append(
                (entity, entity_id, document_body({k: (f[0], f[1]) for k, f in fields.items()}))
            )
        if len(found) >= limit:
            last_entity, last_id, _ = found[-1]
            return found, f"{last_entity}|{last_id}"
    return found, None
