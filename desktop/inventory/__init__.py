"""Inventory on the terminal: a ledger of movements, adjustments, transfers and counts."""
