"""A tenant's shops: list them (for enrollment codes and assignments) and open new ones."""
