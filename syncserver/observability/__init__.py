"""Request ids, structured logs and Prometheus metrics of the sync server."""
