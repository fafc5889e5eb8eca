"""The status bar's sync line as one text (what the till logs when it changes)."""

from __future__ import annotations

from desktop.sync.status import Connectivity, SyncStatus


def test_online_with_nothing_waiting_reads_as_the_status_bar() -> None:
    assert SyncStatus(Connectivity.ONLINE).summary() == "Online · All changes synced"


def test_offline_with_changes_waiting() -> None:
    status = SyncStatus(Connectivity.OFFLINE, pending=3)
    assert status.summary() == "Offline · 3 changes waiting to sync"
