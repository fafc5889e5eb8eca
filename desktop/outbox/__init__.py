"""The outbox: what this replica changed, numbered gap-free, waiting to be pushed."""
