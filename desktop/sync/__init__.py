"""Terminal side of sync: status now; outbox, worker and client with the sync issue."""
