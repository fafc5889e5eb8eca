"""Server migration environment (scripts live in versions/)."""
