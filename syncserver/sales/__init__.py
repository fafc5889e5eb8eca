"""Sales as the server holds them: listing and one sale line by line (read only)."""
