"""The cashier's sell screen: scan box, category tabs and product grid, cart, tender."""
