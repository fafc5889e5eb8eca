"""Tax classes of a business (catalog documents `cat.tax_class`) and country presets."""
