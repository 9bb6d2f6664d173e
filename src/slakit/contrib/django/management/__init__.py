"""Management commands of slakit.contrib.django."""
