"""Selling: terminal configuration, shifts, tickets, tenders, finalization (see docs/selling.md)."""
