"""``slakit_wake``."""
