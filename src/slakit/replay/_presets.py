"""Mappings shipped for the three public service-desk logs (see their comments for quirks)."""

from __future__ import annotations

import tomllib
from importlib import resources

from slakit._message import Message
from slakit.replay._mapping import LogMapping, MappingError

PRESETS = ("uci", "bpic2013", "helpdesk4tu")
"""Names accepted by :func:`load_preset` (and ``slakit replay --preset``)."""


def load_preset(name: str) -> LogMapping:
    """The shipped mapping called ``name``."""
    if name not in PRESETS:
        raise MappingError(Message("preset {name!r}", name=name), [
            Message("unknown preset; choose one of {items}", items=", ".join(PRESETS))])
    text = resources.files("slakit.replay").joinpath("presets", f"{name}.toml").read_text("utf-8")
    return LogMapping.from_mapping(tomllib.loads(text), name=name)
