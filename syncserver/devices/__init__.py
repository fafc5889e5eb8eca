"""Terminals: one-time enrollment codes, device credentials, rotation and revocation."""
