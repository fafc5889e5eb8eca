"""Server-rendered web UI: Jinja macros of the design-system primitives, tokens CSS, pages."""
