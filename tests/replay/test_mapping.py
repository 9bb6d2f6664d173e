"""LogMapping.from_mapping on bad documents: every problem listed with its path and the fix.

Issue #12 item 2 (``[opend_at]`` ignored, ``grouped = "no"`` read as true) and item 10
(values that are not tables raised AttributeError); a Hypothesis fuzz asserts that only
slakit errors escape, and the shipped presets still load.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slakit.replay import FieldMapping, LogMapping, MappingError
from tests.problems_testkit import documents, mutated, nested, only_slakit_errors

TOP = ("a log mapping takes name, format, ticket, order, grouped, missing, time, opened_at, "
       "status, fields")
PRESETS = sorted((Path(__file__).parents[2] / "src/slakit/replay/presets").glob("*.toml"))


def valid() -> dict[str, Any]:
    return {
        "format": "csv", "ticket": "number", "grouped": True, "missing": ["", "?"],
        "order": ["sys_mod_count"],
        "time": {"column": "updated", "format": "%d/%m/%Y %H:%M", "timezone": "UTC"},
        "opened_at": {"column": "opened"},
        "status": {"columns": ["state"], "ignore": ["-100"],
                   "map": {"New": "new", "Closed": "closed", "Note": "keep"}},
        "fields": {"priority": {"column": "prio", "map": {"1": "urgent"}}, "group": "team"},
    }


def test_the_valid_mapping_reads_every_key() -> None:
    m = LogMapping.from_mapping(valid(), name="desk")
    assert (m.name, m.format, m.ticket, m.time_column, m.time_format) == (
        "desk", "csv", "number", "updated", "%d/%m/%Y %H:%M")
    assert m.timezone is not None
    assert m.timezone.key == "UTC"
    assert (m.opened_at_column, m.status_columns, m.order, m.grouped) == (
        "opened", ("state",), ("sys_mod_count",), True)
    assert m.status_map == {"New": "new", "Closed": "closed", "Note": "keep"}
    assert m.status_ignore == frozenset({"-100"})
    assert m.missing == frozenset({"", "?"})
    assert m.fields == {"priority": FieldMapping("prio", {"1": "urgent"}),
                        "group": FieldMapping("team")}


def test_grouped_false_is_read_as_false() -> None:
    assert LogMapping.from_mapping({**valid(), "grouped": False}).grouped is False


@pytest.mark.parametrize("preset", PRESETS, ids=[p.stem for p in PRESETS])
def test_the_shipped_presets_load(preset: Path) -> None:
    assert LogMapping.load(preset).name == preset.stem


def _with(**changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        for key, value in changes.items():
            table, _, inner = key.partition("__")
            if inner:
                doc[table][inner] = value
            else:
                doc[table] = value
    return change


def _rename(old: str, new: str) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc.__setitem__(new, doc.pop(old))


def _drop(*keys: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        for key in keys:
            del doc[key]
    return change


def _many(doc: dict[str, Any]) -> None:
    doc["time"]["timezon"] = "UTC"
    doc["status"]["map"]["Done"] = "finished"
    doc["fields"]["priorty"] = "p"
    doc["fields"]["priority"]["mapp"] = {}
    doc["format"] = "xlsx"


CORPUS: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "[opend_at]": (_rename("opened_at", "opend_at"), [
        f"opend_at: unknown key (did you mean 'opened_at'?); {TOP}"]),
    'grouped = "no"': (_with(grouped="no"), ["grouped: expected true or false, got str 'no'"]),
    "time = 5": (_with(time=5), ["time: expected a table (the event time), got int 5"]),
    'status = "x"': (_with(status="x"), [
        "status: expected a table (the status column(s) and their map), got str 'x'"]),
    "fields.priority = 5": (_with(fields__priority=5), [
        "fields.priority: expected a table (a column name, or a table with column and map), "
        "got int 5"]),
    "fields = 5": (_with(fields=5), ["fields: expected a table (ticket attribute -> column), "
                                     "got int 5"]),
    "order = 5": (_with(order=5), ["order: expected a list of column names, got int 5"]),
    "missing = 5": (_with(missing=5), [
        "missing: expected a list of values meaning 'no value', got int 5"]),
    "map value not a string": (lambda d: d["fields"]["priority"]["map"].__setitem__("2", 2), [
        "fields.priority.map['2']: expected a string, got int 2"]),
    "unknown zone": (_with(time__timezone="Mars/Base"), [
        "time.timezone: unknown zone 'Mars/Base'; give an IANA name such as 'Europe/Rome'"]),
    "no time, no status, no ticket": (_drop("time", "status", "ticket"), [
            "time: missing; give a table (the event time)",
            "status: missing; give a table (the status column(s) and their map)",
            "ticket: missing; give a column name"]),
    "five problems in one run": (_many, [
        "format: 'xlsx' is not 'csv' or 'jsonl'",
        "time.timezon: unknown key (did you mean 'timezone'?); the time table takes column, "
        "format, timezone",
        "status.map['Done']: 'finished' is not a workflow status; use one of new, assigned, "
        "in_progress, waiting_on_customer, waiting_on_third_party, resolved, closed, "
        "cancelled, or 'keep' for a row that changes no status",
        "fields.priority.mapp: unknown key (did you mean 'map'?); a field takes column, map",
        "fields.priorty: unknown field (did you mean 'priority'?); known fields: priority, "
        "category, channel, customer, customer_tier, assignee, group, subject, body"]),
}


@pytest.mark.parametrize("case", list(CORPUS))
def test_bad_mappings_list_every_problem(case: str) -> None:
    change, expected = CORPUS[case]
    doc = valid()
    change(doc)
    before = copy.deepcopy(doc)
    with pytest.raises(MappingError) as info:
        LogMapping.from_mapping(doc, name="m")
    assert isinstance(info.value, ValueError)
    assert list(info.value.problems) == expected
    assert doc == before


@pytest.mark.parametrize("data", [None, 5, "ticket", ["ticket"]])
def test_a_mapping_that_is_not_a_table(data: Any) -> None:
    with pytest.raises(MappingError) as info:
        LogMapping.from_mapping(data)
    (problem,) = info.value.problems
    assert problem.startswith("expected a table (the mapping)")


def test_deep_nesting_is_a_problem_not_a_recursion_error(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="nested deeper than 64 levels"):
        LogMapping.from_mapping({**valid(), "missing": nested(3000)})
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(MappingError) as info:
        LogMapping.load(path)
    (problem,) = info.value.problems
    assert problem.startswith("cannot read it")
    path.write_text(json.dumps({"missing": nested(200)}), encoding="utf-8")
    with pytest.raises(MappingError, match=r"missing.*nested deeper than 64 levels"):
        LogMapping.load(path)


KEYS = ("name", "format", "ticket", "order", "grouped", "missing", "time", "opened_at",
        "status", "fields", "column", "columns", "timezone", "ignore", "map", "priority",
        "group", "customer", "New")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(KEYS))
def test_fuzz_random_mappings_raise_only_slakit_errors(data: Any) -> None:
    loaded = only_slakit_errors(LogMapping.from_mapping, data)
    assert loaded is None or isinstance(loaded, LogMapping)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_mutations_of_a_valid_mapping(data: st.DataObject) -> None:
    doc = data.draw(mutated(valid(), KEYS))
    loaded = only_slakit_errors(LogMapping.from_mapping, doc)
    if loaded is not None:  # what loads is typed as documented
        assert isinstance(loaded.grouped, bool)
        assert all(isinstance(c, str) and c for c in loaded.columns)
        assert all(v in (*STATUS_TARGETS,) for v in loaded.status_map.values())


STATUS_TARGETS = ("new", "assigned", "in_progress", "waiting_on_customer",
                  "waiting_on_third_party", "resolved", "closed", "cancelled", "keep")
