"""A tenant's people and roles: dynamic roles from permission names, staff with PINs."""
