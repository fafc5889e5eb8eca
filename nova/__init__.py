"""The `nova` command line: one entry point, a subcommand per part of the product."""
