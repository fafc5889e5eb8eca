"""Selling rules of a business: tax inclusion, cash rounding, change limit, rounding modes."""
