"""Sync protocol, server side: handshake, push (exactly once), pull (gap-free change log)."""
