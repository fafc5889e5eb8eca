"""The terminal's local SQLite database: engine, models, start-up migration."""
