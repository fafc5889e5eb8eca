"""The catalog on the server: merging terminals' edits field by field, bootstrap snapshots."""
