"""Terminal migration environment (scripts live in versions/)."""
