"""The decision JSON Schema agrees with Decision.to_dict on real decisions."""

from __future__ import annotations

from datetime import timedelta

from slakit.desk import InMemoryNotifier, decision_json_schema
from slakit.storage import InMemoryStore
from tests.desk.desk_testkit import T0, make_desk, opened
from tests.workflow.workflow_testkit_jsonschema import errors


def test_every_delivered_decision_validates() -> None:
    notifier = InMemoryNotifier()
    for language in ("en", "zh"):
        desk = make_desk(InMemoryStore(), notifier, language=language)
        desk.record("shop", [opened("T-1")], T0)
        desk.record("shop", [opened("T-2", priority="normal")], T0)
        desk.wake(T0 + timedelta(hours=4))
    schema = decision_json_schema()
    assert len(notifier.delivered) == 16
    for decision in notifier.delivered:
        doc = decision.to_dict()
        assert errors(doc, schema) == []
        assert set(doc) == set(schema["properties"])
    assert errors({**notifier.delivered[0].to_dict(), "late_by_seconds": -1}, schema) != []
