"""`nova gallery`: every primitive in every variant and state, in both themes."""
