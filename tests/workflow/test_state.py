"""FactMap: its direct read methods answer as collections.abc's general ones do."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slakit.workflow import FactMap, TicketOpened, apply
from slakit.workflow._state import NO_FACTS

names = st.text("abcxyz_", min_size=1, max_size=4)
values = st.one_of(st.text(max_size=3), st.integers(-5, 5), st.booleans(),
                   st.dates(date(2025, 1, 1), date(2025, 1, 9)))
facts = st.dictionaries(names, values, max_size=6)


@given(facts, facts, names)
def test_direct_reads_answer_as_the_general_mapping_methods(
    data: dict[str, Any], other: dict[str, Any], name: str
) -> None:
    fm = FactMap(data)
    assert list(fm.items()) == list(Mapping.items(fm)) == sorted(data.items())
    assert list(fm.keys()) == list(Mapping.keys(fm))
    assert list(fm.values()) == list(Mapping.values(fm))
    assert fm.get(name) == Mapping.get(fm, name)
    assert fm.get(name, "none") == Mapping.get(fm, name, "none")
    assert (name in fm) == Mapping.__contains__(fm, name)
    for that in (other, FactMap(other), data, FactMap(data)):
        assert (fm == that) == Mapping.__eq__(fm, that) == (data == dict(that))
        assert (fm != that) == (data != dict(that))
    assert fm.__eq__(1) is NotImplemented
    assert fm != [("a", 1)]
    assert dict(fm.items()) == data


def test_the_views_cannot_change_the_map() -> None:
    fm = FactMap({"a": 1})
    with pytest.raises(TypeError):  # a dict view's mapping is a read-only proxy
        fm.items().mapping["b"] = 2  # type: ignore[attr-defined]
    assert fm == {"a": 1}
    with pytest.raises(AttributeError):
        fm._data = {}


def test_a_new_ticket_shares_the_one_empty_fact_map() -> None:
    at = datetime(2025, 3, 3, 9, tzinfo=UTC)
    states = [apply(None, TicketOpened(ticket=f"T-{i}", at=at, event_id="e1", priority="high",
                                       category=None, channel="email", customer="c",
                                       customer_tier=None)) for i in range(2)]
    assert states[0].custom is NO_FACTS
    assert states[1].custom is NO_FACTS
    assert FactMap() == NO_FACTS
    assert not NO_FACTS
    assert hash(NO_FACTS) == hash(FactMap())
