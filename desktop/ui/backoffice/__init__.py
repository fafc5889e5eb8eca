"""Back-office screens (managers): catalog first; the rest come with their issues."""
