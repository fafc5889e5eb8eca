"""Loyalty on the terminal: customers, the program's rules, and the points ledger."""
