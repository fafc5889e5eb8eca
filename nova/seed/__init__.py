"""`nova seed tenant`: a real business built through the server's public HTTP API, re-runnable."""
