"""Replaying real service-desk logs: mappings, presets, and the per-ticket conversion."""

from slakit.replay._canonical import read_canonical
from slakit.replay._convert import TicketLog, convert_all, convert_ticket
from slakit.replay._mapping import FieldMapping, LogMapping, MappingError
from slakit.replay._presets import PRESETS, load_preset
from slakit.replay._sources import (
    MissingColumnsError,
    Rejected,
    TicketRows,
    UngroupedLogError,
    group_by_ticket,
    read_rows,
)

__all__ = [
    "PRESETS",
    "FieldMapping",
    "LogMapping",
    "MappingError",
    "MissingColumnsError",
    "Rejected",
    "TicketLog",
    "TicketRows",
    "UngroupedLogError",
    "convert_all",
    "convert_ticket",
    "group_by_ticket",
    "load_preset",
    "read_canonical",
    "read_rows",
]
