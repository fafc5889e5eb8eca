"""Sync protocol v1: the messages terminals and the server exchange (docs/sync-protocol.md).

Both sides import these models, so a field renamed on one side breaks the other's tests, not a
shop's data. Terminals push immutable facts (mutations) numbered by their replica's gap-free
outbox sequence; the server answers each with a stored result and publishes changes in a
per-tenant log whose sequence follows commit order, which terminals pull from a cursor.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.limits import KIND_MAX, SEQ_MAX, SMALL_INT_MAX

PROTOCOL_VERSION = 1
# The oldest terminal protocol the server still accepts pushes from (old terminals may always push
# their sales; they are told to upgrade when they cannot read what the server sends).
MIN_PUSH_PROTOCOL = 1
MAX_BATCH_MUTATIONS = 500
MAX_BATCH_BYTES = 900_000  # of JSON before compression: fits the server body limit even unzipped
PULL_PAGE = 1_000
BOOTSTRAP_PAGE = 2_000


class MutationStatus(StrEnum):
    APPLIED = "applied"  # effects written
    NEEDS_REVIEW = "needs_review"  # written as it happened at the till, plus a review item
    DEFERRED = "deferred"  # waits for a fact it depends on (e.g. the sale a refund refunds)
    REJECTED = "rejected"  # not a valid mutation (unknown kind or schema); kept for review
    QUARANTINED = "quarantined"  # from a cloned/restored DB or a revoked device; kept, no effects


# A stored result is final: the terminal stops resending once it has one of these.
FINAL = frozenset(MutationStatus)


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Mutation(_Message):
    """One outbox record as the terminal pushes it."""

    seq: int = Field(ge=1, le=SEQ_MAX, strict=True)
    id: uuid.UUID
    kind: str = Field(min_length=1, max_length=KIND_MAX)
    schema_version: int = Field(ge=1, le=SMALL_INT_MAX, strict=True)
    entity_id: uuid.UUID
    payload: dict[str, Any]
    created_at: datetime

    def fingerprint(self) -> str:
        """Identity of the content: a resend has the same one; a cloned DB's seq does not."""
        return payload_fingerprint(self.kind, self.entity_id, self.payload)


def payload_fingerprint(kind: str, entity_id: uuid.UUID | str, payload: dict[str, Any]) -> str:
    body = json.dumps(
        [kind, str(entity_id), payload], sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(body.encode()).hexdigest()


class HandshakeRequest(_Message):
    replica_id: uuid.UUID
    protocol_version: int = Field(ge=1, le=SMALL_INT_MAX, strict=True)
    app_version: str = Field(max_length=40)
    last_pushed_seq: int = Field(ge=0, le=SEQ_MAX, strict=True)  # highest seq written here
    # Printed in the till's receipt numbers; unique in the business (two tills sharing one
    # print the same numbers). None from a till that has none yet (or an older till).
    terminal_code: str | None = Field(default=None, pattern=r"^[A-Za-z0-9]{1,8}$")


class HandshakeResponse(_Message):
    epoch: uuid.UUID
    protocol_version: int
    tenant_id: uuid.UUID
    location_id: uuid.UUID
    location_code: str
    device_id: uuid.UUID
    applied_seq: int  # the server's stored results go up to here for this replica
    replica_status: str  # active / quarantined
    upgrade_required: bool  # the terminal cannot read what the server sends any more
    server_time: datetime


class PushRequest(_Message):
    replica_id: uuid.UUID
    epoch: uuid.UUID | None = None
    mutations: list[Mutation] = Field(max_length=MAX_BATCH_MUTATIONS)


class MutationResult(_Message):
    seq: int
    status: MutationStatus
    detail: str | None = None


class PushResponse(_Message):
    epoch: uuid.UUID
    results: list[MutationResult]
    applied_seq: int
    replica_status: str


class ChangeOp(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"
    APPEND = "append"  # an immutable fact from another replica (stock movement, loyalty entry)


class Change(_Message):
    seq: int
    entity: str
    entity_id: str
    op: ChangeOp
    body: dict[str, Any]


class PullResponse(_Message):
    epoch: uuid.UUID
    changes: list[Change]
    cursor: int  # pull again from here; applied in the same local transaction as the changes
    more: bool


class BootstrapPage(_Message):
    """One page of a scope's current documents (only `catalog` so far).

    `as_of` is the change-log head read before the page: after the last page the till pulls that
    scope's changes after the first page's `as_of` (older ones are in the snapshot already).
    """

    epoch: uuid.UUID
    scope: str
    as_of: int
    documents: list[Change]
    next: str | None  # resume position; None after the last page


class Digest(_Message):
    """Health check: the server's sums for the scopes a till keeps, as of change `head`.

    Stock is Σ movements per item at the till's location (thousandths); loyalty is Σ points per
    customer; the catalog is one fingerprint of every field's clock stamp. The till compares
    the ids it knows, once it has pulled to `head` and has nothing left to push.
    """

    epoch: uuid.UUID
    head: int
    location_code: str
    stock: dict[str, int]
    loyalty: dict[str, int]
    catalog: str = ""  # catalog_fingerprint() of every catalog field's stamp


def catalog_fingerprint(stamps: list[tuple[str, str, str, str]]) -> str:
    """(entity, id, field, stamp) of every catalog field, in any order -> one comparable hash."""
    digest = hashlib.sha256()
    for row in sorted(stamps):
        digest.update("|".join(row).encode())
        digest.update(b"\n")
    return digest.hexdigest()
