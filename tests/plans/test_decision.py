"""A care decision's JSON form (what the desk outbox stores): it reads back equal, keeps the
instant's offset, and anything else is refused naming the problem."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slakit.plans import DueDecision, PlanInputError

TEXT = st.text(min_size=1, max_size=20)
OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
INSTANTS = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1),
                        timezones=OFFSETS)


@given(TEXT, TEXT, TEXT, TEXT, TEXT, INSTANTS, TEXT, TEXT)
def test_the_json_form_reads_back_equal(key: str, tenant: str, subject: str, rule: str,
                                        occurrence: str, fire_at: datetime, action: str,
                                        reason: str) -> None:
    d = DueDecision(key, tenant, subject, rule, occurrence, fire_at, action, reason)
    back = DueDecision.from_json(d.to_json())
    assert back == d
    assert back.fire_at.utcoffset() == fire_at.utcoffset()


def test_the_form_is_exact() -> None:
    d = DueDecision("acme/shop-1/visit/2025-04-01T00:00", "acme", "shop-1", "visit",
                    "2025-04-01T00:00", datetime(2025, 4, 1, 1, tzinfo=UTC), "visit", "回访")
    assert d.to_json() == (
        '{"kind":"care","schema":1,"key":"acme/shop-1/visit/2025-04-01T00:00","tenant":"acme",'
        '"subject":"shop-1","rule":"visit","occurrence":"2025-04-01T00:00","action":"visit",'
        '"reason":"回访","fire_at":"2025-04-01T01:00:00+00:00"}')


@pytest.mark.parametrize(("text", "problem"), [
    ("not json", "is not JSON"),
    ("[1]", "must be a JSON object"),
    ('{"kind": "care"}', "missing key 'action'"),
    ('{"kind": "escalation", "schema": 1, "key": "k", "tenant": "t", "subject": "s", '
     '"rule": "r", "occurrence": "o", "action": "a", "reason": "x", '
     '"fire_at": "2025-01-01T00:00+00:00"}', "kind 'escalation' schema 1 is not 'care'"),
    ('{"kind": "care", "schema": 1, "key": 5, "tenant": "t", "subject": "s", '
     '"rule": "r", "occurrence": "o", "action": "a", "reason": "x", '
     '"fire_at": "2025-01-01T00:00+00:00"}', "key: expected a string, got 5"),
])
def test_other_documents_are_refused(text: str, problem: str) -> None:
    with pytest.raises(PlanInputError, match=problem):
        DueDecision.from_json(text)
