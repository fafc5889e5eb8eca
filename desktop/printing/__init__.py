"""Printing: receipts and reports rendered to ESC/POS, a durable queue, and the print worker."""
