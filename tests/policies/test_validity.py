"""Policy validity dates: effective_from / effective_until (issue 14, item 5)."""

from __future__ import annotations

import json
import tomllib
from datetime import datetime, timezone

import pytest

from slakit.policies import (
    PolicyDataError,
    PolicySet,
    SlaPolicy,
    TicketFacts,
    dump_policies,
    load_policies,
)
from tests.sla.sla_testkit import C247, SH, H, targets

SPRING = SlaPolicy("spring", "1", targets=targets("normal", C247, resolution=48 * H),
                   effective_from=datetime(2025, 1, 28, tzinfo=SH),
                   effective_until=datetime(2025, 2, 5, tzinfo=SH))
DEFAULT = SlaPolicy("default", "1", targets=targets("normal", C247, resolution=8 * H))
FACTS = TicketFacts(priority="normal")


@pytest.mark.parametrize(("at", "chosen"), [
    (None, "spring"),                                       # validity not judged
    (datetime(2025, 1, 27, 23, 59, 59, 999999, tzinfo=SH), "default"),
    (datetime(2025, 1, 28, tzinfo=SH), "spring"),            # from is inside
    (datetime(2025, 1, 27, 16, tzinfo=timezone.utc), "spring"),  # the same instant in UTC
    (datetime(2025, 2, 4, 23, 59, tzinfo=SH), "spring"),
    (datetime(2025, 2, 5, tzinfo=SH), "default"),            # until is outside
])
def test_select_at_an_instant_skips_policies_out_of_force(at: datetime | None, chosen: str) -> None:
    ps = PolicySet([SPRING], fallback=DEFAULT, priorities=("normal",))
    assert ps.select(FACTS, at).policy.name == chosen  # type: ignore[union-attr]


def test_a_fallback_out_of_force_gives_no_policy_and_says_so() -> None:
    ps = PolicySet([], fallback=SPRING, priorities=("normal",))
    choice = ps.select(FACTS, datetime(2025, 3, 1, tzinfo=SH))
    assert (choice.policy, choice.via) == (None, "none")


def _doc(**policy: object) -> dict[str, object]:
    return {"format": "slakit.sla-policies/1", "priorities": ["normal"],
            "calendars": {"24x7": {"always_open": True, "timezone": "Asia/Shanghai"}},
            "policies": [{"name": "spring", "version": "1", "targets": [
                {"metric": "resolution", "priority": "normal", "within": "48h",
                 "calendar": "24x7"}], **policy}]}


def test_validity_round_trips_through_json_and_toml() -> None:
    ps = PolicySet([SPRING], fallback=DEFAULT, priorities=("normal",))
    data = dump_policies(ps)
    assert data["policies"][0]["effective_from"] == "2025-01-28T00:00:00+08:00"
    assert data["policies"][0]["effective_until"] == "2025-02-05T00:00:00+08:00"
    assert load_policies(json.loads(json.dumps(data))) == ps
    toml = tomllib.loads('effective_from = 2025-01-28T00:00:00+08:00\n')
    loaded = load_policies(_doc(effective_from=toml["effective_from"]))
    assert loaded.policies[0].effective_from == SPRING.effective_from
    assert loaded.policies[0].effective_until is None


def test_every_validity_problem_is_listed_with_its_path() -> None:
    with pytest.raises(PolicyDataError) as info:
        load_policies(_doc(effective_from="2025-01-28T00:00:00", effective_unti="x"))
    text = str(info.value)
    assert "policies[0].effective_from" in text
    assert "UTC offset" in text
    assert "effective_unti" in text  # an unknown key, with its path
    with pytest.raises(PolicyDataError, match="effective_until 2025-01-27T16:00:00\\+00:00 is "
                                              "not after effective_from"):
        load_policies(_doc(effective_from="2025-01-28T00:00:00+08:00",
                           effective_until="2025-01-27T16:00:00+00:00"))
    with pytest.raises(PolicyDataError, match="2025-13-01"):
        load_policies(_doc(effective_until="2025-13-01T00:00:00+08:00"))


@pytest.mark.parametrize(("start", "end", "message"), [
    (datetime(2025, 1, 28), None, "has no UTC offset"),
    ("2025-01-28", None, "must be a datetime with a UTC offset"),
    (datetime(2025, 2, 5, tzinfo=SH), datetime(2025, 2, 5, tzinfo=SH), "is not after"),
])
def test_a_policy_with_bad_validity_is_refused(start: object, end: object, message: str) -> None:
    with pytest.raises(PolicyDataError, match=message):
        SlaPolicy("p", "1", effective_from=start, effective_until=end)  # type: ignore[arg-type]
