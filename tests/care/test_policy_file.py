"""A whole policy file: SLA policies and the timers table, read and written together."""

from __future__ import annotations

import json
import tomllib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slakit._errors import NotFoundError, WrongTypeError
from slakit.care import (
    Delay,
    PolicyFile,
    TimerRule,
    dump_policy_file,
    load_policy_file,
    timer_to_mapping,
    timers_from_mapping,
    timers_to_mapping,
)
from slakit.plans import CareDataError
from slakit.policies import PolicyDataError, dump_policies, load_policies

TOML = """
version = "2025-09"
priorities = ["urgent", "normal"]

[calendars.cn-office]
version = "2025"
timezone = "Asia/Shanghai"
weekly = { mon = [["09:00", "18:00"]], tue = [["09:00", "18:00"]] }

[fallback]
name = "best_effort"
version = "1"
targets = [{ metric = "resolution", priority = "normal", within = "3wd", calendar = "cn-office" }]

[timers.auto_close]
kind = "auto_close"
after = "3 working days"

[timers.survey]
kind = "survey"
after = "4 business hours"

[timers.nudge]
kind = "waiting_reminder"
after = "1 working day"
statuses = ["waiting_on_customer", "waiting_on_carrier"]
repeat = 2
"""


def test_the_toml_form_loads_and_round_trips() -> None:
    f = load_policy_file(tomllib.loads(TOML))
    assert [(t.name, t.kind, str(t.after), t.statuses, t.repeat) for t in f.timers] == [
        ("auto_close", "auto_close", "3 working days", ("waiting_on_customer",), 1),
        ("survey", "survey", "4 business hours", ("waiting_on_customer",), 1),
        ("nudge", "waiting_reminder", "1 working day", ("waiting_on_customer",
                                                        "waiting_on_carrier"), 2),
    ]
    assert f.policies.fallback is not None
    assert f.policies.fallback.name == "best_effort"
    data = dump_policy_file(f)
    assert data["timers"] == {
        "auto_close": {"kind": "auto_close", "after": "3 working days"},
        "survey": {"kind": "survey", "after": "4 business hours"},
        "nudge": {"kind": "waiting_reminder", "after": "1 working day",
                  "statuses": ["waiting_on_customer", "waiting_on_carrier"], "repeat": 2},
    }
    assert load_policy_file(json.loads(json.dumps(data))) == f
    assert f.timer("survey").kind == "survey"
    with pytest.raises(NotFoundError, match="auto_close, survey, nudge"):
        f.timer("surve")


def test_a_file_without_timers_is_the_policy_set_alone() -> None:
    data = tomllib.loads(TOML.split("[timers.auto_close]")[0])
    f = load_policy_file(data)
    assert f == PolicyFile(load_policies(data))
    assert dump_policy_file(f) == dump_policies(f.policies)
    assert "timers" not in dump_policy_file(f)


def test_every_problem_of_both_halves_is_listed_with_its_path() -> None:
    data: dict[str, Any] = tomllib.loads(TOML)
    data["fallback"]["targets"][0]["within"] = "soon"
    data["timers"]["survey"]["after"] = "4 lunar hours"
    data["timers"]["nudge"]["repaet"] = 2
    data["timers"]["close"] = {"after": "2 days"}
    with pytest.raises(PolicyDataError) as err:
        load_policy_file(data)
    paths = [p.split(":")[0] for p in err.value.problems]
    assert paths == ["fallback.targets[0].within", "timers.survey.after",
                     "timers.nudge.repaet", "timers.close.kind"]
    assert "did you mean 'repeat'" in err.value.problems[2]


def test_load_policies_refuses_a_timers_table_and_says_where_it_is_read() -> None:
    with pytest.raises(PolicyDataError) as err:
        load_policies(tomllib.loads(TOML))
    assert err.value.problems == (
        "timers: ticket timers are read by slakit.care.load_policy_file, which reads the SLA "
        "policies too; call it instead of load_policies",)


def test_a_timers_table_that_is_not_a_table() -> None:
    data = tomllib.loads(TOML)
    data["timers"] = ["auto_close"]
    with pytest.raises(PolicyDataError, match="timers: expected a mapping of timer names"):
        load_policy_file(data)
    with pytest.raises(WrongTypeError, match="TimerRule"):
        PolicyFile(load_policies(tomllib.loads(TOML.split("[timers.")[0])), ["x"])


RULES = st.builds(
    TimerRule,
    name=st.sampled_from(["auto_close", "survey", "nudge", "ping"]),
    kind=st.sampled_from(["auto_close", "survey", "waiting_reminder"]),
    after=st.builds(Delay, st.integers(1, 400),
                    st.sampled_from(["days", "hours", "minutes", "working_days",
                                     "business_hours"])),
    statuses=st.lists(st.sampled_from(["waiting_on_customer", "on_hold", "pending"]),
                      min_size=1, max_size=3, unique=True).map(tuple),
    repeat=st.integers(1, 5),
)


@given(st.lists(RULES, max_size=4, unique_by=lambda r: r.name))
def test_timers_round_trip(rules: list[TimerRule]) -> None:
    assert timers_from_mapping(json.loads(json.dumps(timers_to_mapping(rules)))) == tuple(rules)
    for rule in rules:
        assert set(timer_to_mapping(rule)) <= {"kind", "after", "statuses", "repeat"}


def test_timers_from_mapping_alone_raises_its_own_error() -> None:
    with pytest.raises(CareDataError, match=r"timers\.x\.after: missing"):
        timers_from_mapping({"x": {"kind": "survey"}})
