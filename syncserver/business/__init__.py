"""Business settings: what every till of the business prints on its receipts."""
