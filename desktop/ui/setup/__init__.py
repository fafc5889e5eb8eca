"""First-run window of a till: set it up for a business, or try the demo (over `desktop.setup`)."""
