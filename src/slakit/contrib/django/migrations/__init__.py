"""Migrations of the ``slakit`` app."""
