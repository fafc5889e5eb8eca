"""What only the operators of the service may do: approve tenants, toggle modules."""
