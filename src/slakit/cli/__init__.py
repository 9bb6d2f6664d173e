"""The ``slakit`` command line: replay, compare and explain over service-desk logs.

``main`` is the command; ``Source`` and ``run_replay`` are the same replay as a function,
for hosts and notebooks; ``slakit.cli.dask_replay`` spreads it over a Dask bag (optional).
"""

from slakit.cli._main import main
from slakit.cli._parser import build_parser
from slakit.cli._run import InputError, Source, StrictStop, run_replay

__all__ = ["InputError", "Source", "StrictStop", "build_parser", "main", "run_replay"]
