"""syncserver package."""
