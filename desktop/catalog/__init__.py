"""The local catalog: items, barcodes, tax classes; lookup and search for the sell screen."""
