"""The catalog on the server: merging terminals' edits field by field, bootstrap snapshots, and
the catalog API (server-authored edits of categories, modifier groups and items)."""
