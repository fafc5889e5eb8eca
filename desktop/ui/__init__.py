"""Qt widgets only: screens call services, never the database."""
