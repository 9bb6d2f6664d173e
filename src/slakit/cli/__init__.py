"""The ``slakit`` command line: replay, compare and explain over service-desk logs."""

from slakit.cli._main import build_parser, main

__all__ = ["build_parser", "main"]
