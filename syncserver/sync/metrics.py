"""Sync metrics on the server's `/metrics`: mutations by kind and status, lag, open conflicts."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from shared.sync import MutationStatus


class SyncMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.mutations = Counter(
            "nova_sync_mutations",
            "Pushed mutations by kind and result status.",
            ["kind", "status"],
            registry=registry,
        )
        self.quarantine = Counter(
            "nova_sync_quarantined_mutations",
            "Pushed mutations kept in quarantine (cloned database or revoked device).",
            registry=registry,
        )
        self.push_seconds = Histogram(
            "nova_sync_push_duration_seconds", "Time to apply one push batch.", registry=registry
        )
        self.pull_seconds = Histogram(
            "nova_sync_pull_duration_seconds", "Time to answer one pull page.", registry=registry
        )
        self.pull_lag = Histogram(
            "nova_sync_pull_lag_changes",
            "How many changes a pulling replica was behind the tenant's head.",
            buckets=(0, 1, 10, 100, 1_000, 10_000, 100_000),
            registry=registry,
        )
        self.conflicts_open = Gauge(
            "nova_sync_conflicts_open",
            "Mutations waiting for a person (needs_review, deferred, quarantined), at last scrape.",
            ["status"],
            registry=registry,
        )

    def applied(self, kind: str, status: MutationStatus) -> None:
        self.mutations.labels(kind, status.value).inc()

    def quarantined(self, count: int) -> None:
        self.quarantine.inc(count)
