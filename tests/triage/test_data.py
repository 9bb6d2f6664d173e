"""Triage rules as data: load_triage_rules / dump_triage_rules round trips, the example file,
and every way loading refuses data (all problems at once, each with its path)."""

from __future__ import annotations

import copy
import json
import re
import tomllib
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import slakit
from slakit import SlakitError, WrongTypeError
from slakit.text import normalise_text
from slakit.text._normalise import KeywordNeedle
from slakit.triage import (
    AmountRule,
    CategoryRule,
    ChannelRule,
    CustomerTierRule,
    ImpactUrgencyMatrix,
    KeywordRule,
    MatchMode,
    ModelPrediction,
    ModelRule,
    PeakRaise,
    PriorityScale,
    RuleClassifier,
    TriageConfigError,
    TriageInput,
    TriageRule,
    default_classifier,
    default_rules,
    dump_triage_rules,
    itil_classifier,
    load_triage_rules,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "triage" / "desk_rules.toml"
FORMAT = "slakit.triage-rules/1"


def plain(value: object) -> bool:
    """Only what JSON and TOML hold: str, int, float, bool, lists and str-keyed dicts (no None)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return isinstance(value, str | int | float | bool)


def round_trips(classifier: RuleClassifier) -> dict[str, Any]:
    data = dump_triage_rules(classifier)
    assert plain(data)
    assert data["format"] == FORMAT
    assert load_triage_rules(data) == classifier
    assert load_triage_rules(json.loads(json.dumps(data))) == classifier
    assert dump_triage_rules(load_triage_rules(data)) == data  # a canonical form
    return data


class Shouts:
    def predict(self, ticket: TriageInput) -> ModelPrediction | None:
        return ModelPrediction("urgent", confidence=0.9) if "!!!" in ticket.subject else None


def every_rule_type() -> tuple[TriageRule, ...]:
    return (
        ChannelRule("hotline", ("hotline", "紧急热线"), priority="urgent", weight=3),
        KeywordRule("pay", ("支付接口", "checkout down", "refund*"), priority="urgent",
                    category="payment", root_cause="gateway", weight=2.5),
        KeywordRule("body-only", "webhook", fields=("body",), category="system_fault"),
        KeywordRule("subject-first", ("crash*",), fields=("body", "subject"), priority="important"),
        CustomerTierRule("vip", ("vip", "大客户"), raise_by=1),
        CustomerTierRule("trial", "trial", raise_by=-1),
        CategoryRule("reported-billing", ("billing",), category="payment", priority="important"),
        AmountRule("large", Decimal("9999.99"), raise_by=2),
        AmountRule("tiny", 0, category="small_order"),
        ImpactUrgencyMatrix({(1, 1): "urgent", (2, 1): "important", (3, 3): "suggestion"},
                            name="matrix", weight=0.5),
        PeakRaise("double-11", date(2025, 11, 10), date(2025, 11, 12), timezone="Asia/Shanghai"),
        PeakRaise("quiet-week", date(2025, 8, 1), date(2025, 8, 7), raise_by=-1),
    )


TICKETS = [
    TriageInput("支付接口报错", "webhook failed", channel="hotline", customer_tier="VIP"),
    TriageInput("app crashed", "please help", customer_tier="trial", amount=Decimal("10000")),
    TriageInput("invoice", category="billing", amount=Decimal("1"), impact=2, urgency=1),
    TriageInput("hello", at=datetime(2025, 11, 10, 20, tzinfo=timezone.utc)),
    TriageInput("hello", at=datetime(2025, 8, 3, 9, tzinfo=timezone.utc), impact=3, urgency=3),
]


def same_decisions(a: RuleClassifier, b: RuleClassifier, tickets: list[TriageInput]) -> None:
    for ticket in tickets:
        assert a.classify(ticket) == b.classify(ticket)


# ------------------------------------------------------------------------------- round trips


def test_the_default_classifier_round_trips() -> None:
    classifier = default_classifier()
    data = round_trips(classifier)
    # Derived from default_rules() at run time: its lists are edited elsewhere.
    assert [r["name"] for r in data["rules"]] == [r.name for r in default_rules()]
    keyword_rules = [r for r in default_rules() if type(r) is KeywordRule]
    tickets = [TriageInput(r.keywords[0].rstrip("*"), customer_tier="vip") for r in keyword_rules]
    same_decisions(classifier, load_triage_rules(data), tickets)


def test_the_default_classifier_with_a_peak_round_trips() -> None:
    peak = PeakRaise("double-11", date(2025, 11, 10), date(2025, 11, 12), timezone="Asia/Shanghai")
    data = round_trips(default_classifier(peaks=[peak]))
    assert data["rules"][-1] == {"kind": "peak", "name": "double-11", "first_day": "2025-11-10",
                                 "last_day": "2025-11-12", "raise_by": 1,
                                 "timezone": "Asia/Shanghai"}


def test_the_itil_classifier_round_trips() -> None:
    classifier = itil_classifier()
    data = round_trips(classifier)
    assert data["priorities"] == ["critical", "high", "moderate", "low"]
    assert data["fallback_priority"] == "moderate"
    (matrix,) = data["rules"]
    assert matrix["kind"] == "impact_urgency"
    assert {"impact": 2, "urgency": 1, "priority": "high"} in matrix["table"]
    tickets = [TriageInput(impact=i, urgency=u) for i in range(1, 5) for u in range(1, 5)]
    same_decisions(classifier, load_triage_rules(data), tickets)


@pytest.mark.parametrize("mode", list(MatchMode))
def test_every_data_rule_type_round_trips_in_both_modes(mode: MatchMode) -> None:
    classifier = RuleClassifier(
        every_rule_type(), scale=PriorityScale.default(), mode=mode, fallback_priority="normal",
        fallback_category="other", max_raise=2,
    )
    data = round_trips(classifier)
    assert data["mode"] == mode.value
    assert {r["kind"] for r in data["rules"]} == {
        "channel", "keyword", "customer_tier", "category", "amount", "impact_urgency", "peak"
    }
    assert data["rules"][7] == {"kind": "amount", "name": "large", "at_least": "9999.99",
                                "raise_by": 2}
    # Defaults are left out: raise_by 0, weight 1.0, both fields, no fallback_category / max_raise.
    assert data["rules"][4] == {"kind": "customer_tier", "name": "vip", "tiers": ["vip", "大客户"],
                                "raise_by": 1}
    assert data["rules"][2]["fields"] == ["body"]
    assert "fields" not in data["rules"][1]
    loaded = load_triage_rules(data)
    same_decisions(classifier, loaded, TICKETS)
    # eq compares the rules' defining fields; their behaviour above agrees too.
    assert loaded.rules == classifier.rules
    assert loaded.scale == classifier.scale


def test_a_classifier_without_optional_settings_dumps_without_them() -> None:
    data = round_trips(RuleClassifier([KeywordRule("k", "x", priority="urgent")]))
    assert data == {"format": FORMAT, "priorities": ["urgent", "important", "normal", "suggestion"],
                    "mode": "first", "fallback_priority": "normal",
                    "rules": [{"kind": "keyword", "name": "k", "keywords": ["x"],
                               "priority": "urgent"}]}


def test_the_rules_version_is_stored_and_reaches_every_decision() -> None:
    classifier = RuleClassifier([KeywordRule("k", "x", priority="urgent")], version="2025-11")
    data = round_trips(classifier)
    assert list(data)[:2] == ["format", "version"]
    assert data["version"] == "2025-11"
    assert load_triage_rules(data).classify(TriageInput("x")).rules_version == "2025-11"
    with pytest.raises(TriageConfigError, match="version"):
        load_triage_rules({**data, "version": 7})


def test_only_rules_and_format_are_needed() -> None:
    classifier = load_triage_rules({"rules": [{"kind": "keyword", "name": "k", "keywords": ["x"],
                                               "priority": "urgent"}]})
    assert classifier == RuleClassifier([KeywordRule("k", "x", priority="urgent")])


def test_toml_dates_and_integer_amounts_are_read_too() -> None:
    data = tomllib.loads("""
        [[rules]]
        kind = "peak"
        name = "p"
        first_day = 2025-11-10
        last_day = 2025-11-12
        [[rules]]
        kind = "amount"
        name = "a"
        at_least = 10000
        raise_by = 1
    """)
    assert load_triage_rules(data).rules == (
        PeakRaise("p", date(2025, 11, 10), date(2025, 11, 12)),
        AmountRule("a", Decimal("10000"), raise_by=1),
    )


# ------------------------------------------------------------------------ random classifiers

names = st.text(min_size=1, max_size=12).filter(lambda s: bool(s.strip()))
keywords = st.text(min_size=1, max_size=12).filter(lambda s: KeywordNeedle.compile(s) is not None)
values = st.text(min_size=1, max_size=12).filter(lambda s: bool(normalise_text(s)))
weights = st.just(1.0) | st.integers(1, 5) | st.floats(0.01, 100.0, allow_nan=False)
zones = st.none() | st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "UTC", "America/New_York"])


@st.composite
def effects(draw: st.DrawFn, levels: list[str]) -> dict[str, Any]:
    chosen = {
        "priority": draw(st.none() | st.sampled_from(levels)),
        "category": draw(st.none() | names),
        "root_cause": draw(st.none() | names),
        "raise_by": draw(st.integers(-3, 3)),
        "weight": draw(weights),
    }
    if (chosen["priority"], chosen["category"], chosen["root_cause"], chosen["raise_by"]) == (
        None, None, None, 0
    ):
        chosen["raise_by"] = 1
    return chosen


@st.composite
def any_rule(draw: st.DrawFn, name: str, levels: list[str]) -> TriageRule:
    kind = draw(st.sampled_from(["keyword", "channel", "tier", "category", "amount", "matrix",
                                 "peak"]))
    if kind == "matrix":
        table = draw(st.dictionaries(st.tuples(st.integers(1, 5), st.integers(1, 5)),
                                     st.sampled_from(levels), min_size=1, max_size=6))
        return ImpactUrgencyMatrix(table, name=name, weight=draw(weights))
    if kind == "peak":
        first = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
        last = first + timedelta(days=draw(st.integers(0, 60)))
        raise_by = draw(st.integers(-3, 3).filter(bool))
        return PeakRaise(name, first, last, raise_by, draw(zones))
    effect = draw(effects(levels))
    if kind == "keyword":
        fields = draw(st.sampled_from([("subject", "body"), ("subject",), ("body",),
                                       ("body", "subject")]))
        return KeywordRule(name, draw(st.lists(keywords, min_size=1, max_size=4)), fields, **effect)
    if kind == "amount":
        at_least = draw(st.decimals(allow_nan=False, allow_infinity=False))
        return AmountRule(name, at_least, **effect)
    listed = draw(st.lists(values, min_size=1, max_size=4))
    if kind == "channel":
        return ChannelRule(name, listed, **effect)
    if kind == "tier":
        return CustomerTierRule(name, listed, **effect)
    return CategoryRule(name, listed, **effect)


@st.composite
def classifiers(draw: st.DrawFn) -> RuleClassifier:
    levels = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    rule_names = draw(st.lists(names, min_size=1, max_size=6, unique=True))
    return RuleClassifier(
        [draw(any_rule(name, levels)) for name in rule_names],
        scale=PriorityScale(levels),
        mode=draw(st.sampled_from(MatchMode)),
        fallback_priority=draw(st.sampled_from(levels)),
        fallback_category=draw(st.none() | names),
        max_raise=draw(st.none() | st.integers(0, 4)),
        version=draw(st.none() | names),
    )


@settings(max_examples=120, deadline=None)
@given(classifiers())
def test_random_classifiers_round_trip(classifier: RuleClassifier) -> None:
    round_trips(classifier)


# ------------------------------------------------------------------------- the example file


def example() -> RuleClassifier:
    with EXAMPLE.open("rb") as f:
        return load_triage_rules(tomllib.load(f))


def test_the_example_file_is_in_the_stored_form() -> None:
    with EXAMPLE.open("rb") as f:
        data = tomllib.load(f)
    assert dump_triage_rules(load_triage_rules(data)) == data


@pytest.mark.parametrize(
    ("ticket", "expected"),
    [
        # urgent by keyword; the root cause comes from a body-only rule
        ({"subject": "支付接口报错", "body": "支付宝回调失败"},
         ("urgent", "payment", "third_party_interface", "urgent", ())),
        # the hotline is urgent already: the VIP raise cannot go above the top
        ({"subject": "help", "channel": "Hotline", "customer_tier": "VIP"},
         ("urgent", "other", None, "urgent", ("vip",))),
        # a VIP's feature request moves up one level
        ({"subject": "Please add a dark mode", "customer_tier": "vip"},
         ("normal", "other", None, "suggestion", ("vip",))),
        # reported category, a large order during 11.11 (Shanghai time): two raises, capped at one
        ({"subject": "还没收到货", "category": "物流", "amount": "12000",
          "at": "2025-11-11T09:00:00+08:00"},
         ("important", "logistics", None, "normal", ("large-order", "double-11"))),
        # 2025-11-12 16:30 UTC is already the 13th in Shanghai: the peak is over
        ({"subject": "commissions are wrong", "at": "2025-11-12T16:30:00+00:00"},
         ("important", "payment", None, "important", ())),
        ({"subject": "hello"}, ("normal", "other", None, "normal", ())),
    ],
)
def test_the_example_file_classifies(ticket: dict[str, str], expected: tuple[object, ...]) -> None:
    decision = example().classify(ticket)
    assert (decision.priority, decision.category, decision.root_cause, decision.base_priority,
            decision.raise_rules) == expected


# ------------------------------------------------------------------------------ model rules


def test_a_model_rule_is_refused_by_dump_and_added_in_code_after_loading() -> None:
    model = ModelRule("shouting", Shouts())
    rules: list[TriageRule] = [KeywordRule("pay", "支付", priority="important"), model]
    with pytest.raises(TriageConfigError) as caught:
        dump_triage_rules(RuleClassifier(rules))
    (problem,) = caught.value.problems
    assert problem.startswith("rules[1]: ModelRule 'shouting' wraps a model")
    assert "add the model in code after loading" in problem
    # What the docs show: store the data rules, add the model after loading.
    without_model = RuleClassifier([r for r in rules if not isinstance(r, ModelRule)])
    loaded = load_triage_rules(json.loads(json.dumps(dump_triage_rules(without_model))))
    hybrid = attrs.evolve(loaded, rules=[*loaded.rules, model])
    assert hybrid == RuleClassifier(rules)
    assert hybrid.classify(TriageInput("down!!!")).priority == "urgent"


class OwnRule:
    name = "own"
    mentioned_priorities = ()

    def evaluate(self, ticket: object) -> None:
        return None


@attrs.frozen(repr=False)
class LoudKeywordRule(KeywordRule):
    pass


def test_dump_names_every_rule_that_is_not_data() -> None:
    classifier = RuleClassifier([
        ModelRule("model", Shouts()),
        KeywordRule("ok", "x", priority="urgent"),
        OwnRule(),
        LoudKeywordRule("loud", "y", priority="urgent"),
    ])
    with pytest.raises(TriageConfigError) as caught:
        dump_triage_rules(classifier)
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0].startswith("rules[0]: ModelRule 'model'")
    assert problems[1].startswith("rules[2]: OwnRule 'own' is not a rule type stored as data")
    assert problems[2].startswith("rules[3]: LoudKeywordRule 'loud' is not a rule type")
    assert "invalid classifier to store as data (3 problems)" in str(caught.value)


def test_a_model_kind_in_data_says_to_add_it_in_code() -> None:
    with pytest.raises(TriageConfigError) as caught:
        load_triage_rules({"rules": [{"kind": "model", "name": "m"}, {"kind": "other"}]})
    assert caught.value.problems[0].startswith("rules[0].kind: a model rule wraps code")
    assert caught.value.problems[1].startswith("rules[1].kind: unknown rule kind 'other'")


# ------------------------------------------------------------------------------ error paths


def test_wrong_top_level_types_are_type_errors() -> None:
    not_mappings: list[object] = [[], "rules", None, 3, [("rules", [])]]
    for data in not_mappings:
        with pytest.raises(WrongTypeError, match="triage rules data must be a mapping"):
            load_triage_rules(data)
    with pytest.raises(WrongTypeError, match="takes a RuleClassifier"):
        dump_triage_rules({"rules": []})  # type: ignore[arg-type]
    assert issubclass(WrongTypeError, SlakitError)
    assert issubclass(WrongTypeError, TypeError)


def test_another_format_is_refused_alone() -> None:
    # Nothing else is read: under another format the other keys may mean something else.
    with pytest.raises(TriageConfigError) as caught:
        load_triage_rules({"format": "slakit.sla-policies/1", "policies": [], "rules": 5})
    assert caught.value.problems == (
        "format: expected 'slakit.triage-rules/1', got 'slakit.sla-policies/1'",
    )


def base() -> dict[str, Any]:
    """A valid stored classifier with one rule of every data kind; cases break parts of it."""
    return dump_triage_rules(RuleClassifier(
        every_rule_type(), mode=MatchMode.SCORE, fallback_category="other", max_raise=2
    ))


Mutation = Callable[[dict[str, Any]], None]


def rule(index: int, **changes: object) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        for key, value in changes.items():
            if value is DROP:
                del data["rules"][index][key]
            else:
                data["rules"][index][key] = value
    return mutate


def top(**changes: object) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        for key, value in changes.items():
            if value is DROP:
                del data[key]
            else:
                data[key] = value
    return mutate


DROP = object()

# Rule places in base(): 0 channel, 1 keyword, 2 keyword (body), 3 keyword, 4 tier, 5 tier,
# 6 category, 7 amount, 8 amount, 9 matrix, 10 peak, 11 peak.
ERROR_CASES: dict[str, tuple[list[Mutation], list[str]]] = {
    "top-level keys and settings": (
        [top(colour="red", mode="best", fallback_priority="medium", fallback_category=3,
             max_raise=-1)],
        ["colour: unknown key", "mode: expected one of 'first', 'score'",
         "fallback_priority: 'medium' is not a priority", "fallback_category: expected a non-empty",
         "max_raise: must be 0 or more"],
    ),
    "setting types": (
        [top(max_raise=True, fallback_priority="", mode=1)],
        ["mode: expected one of", "fallback_priority: expected a non-empty string",
         "max_raise: expected an integer, got bool"],
    ),
    "priorities": (
        [top(priorities=["urgent", "urgent", 3, " "])],
        ["priorities[1]: 'urgent' appears more than once", "priorities[2]: expected a non-empty",
         "priorities[3]: expected a non-empty"],
    ),
    "priorities not a list, rules not a list": (
        [top(priorities="urgent,normal", rules={"kind": "keyword"})],
        ["priorities: expected a non-empty list", "rules: expected a list of rules"],
    ),
    "no rules at all": (
        [top(rules=DROP, format=DROP, max_raise="1")],
        ["max_raise: expected an integer", "rules: missing"],
    ),
    "empty rules": (
        [top(rules=[], mode="FIRST")],
        ["mode: expected one of", "rules: empty"],
    ),
    "rules that are not tables or lack a kind": (
        [lambda d: d["rules"].extend([7, {"name": "x"}, {"kind": "keywords", "name": "y"},
                                      {"kind": None}])],
        ["rules[12]: expected a table", "rules[13].kind: missing", "rules[14].kind: unknown rule kind",
         "rules[15].kind: unknown rule kind None"],
    ),
    "a misspelt key never drops part of a rule": (
        [rule(1, priorty="urgent"), rule(4, tier=["gold"]), rule(9, wieght=2), rule(10, timezon="UTC")],
        ["rules[1].priorty: unknown key; a keyword rule takes kind, name, keywords",
         "rules[4].tier: unknown key; a customer tier rule takes",
         "rules[9].wieght: unknown key; an impact x urgency matrix takes",
         "rules[10].timezon: unknown key; a peak raise takes"],
    ),
    "missing required keys": (
        [rule(0, channels=DROP), rule(1, name=DROP), rule(7, at_least=DROP), rule(9, table=DROP),
         rule(10, first_day=DROP, last_day=DROP)],
        ["rules[0].channels: missing; a channel rule needs name, channels",
         "rules[1].name: missing; a keyword rule needs name, keywords",
         "rules[7].at_least: missing", "rules[9].table: missing",
         "rules[10].first_day: missing", "rules[10].last_day: missing"],
    ),
    "keyword lists": (
        [rule(1, keywords="支付"), rule(2, keywords=[]),
         rule(3, keywords=["ok", 5, " * ", "", "支" * 101, "付" * 100],
              fields=["subject", "title"])],
        ["rules[1].keywords: expected a list of strings, got str", "rules[2].keywords: empty",
         "rules[3].keywords[1]: expected a string, got int 5",
         "rules[3].keywords[2]: keyword ' * ' is empty once normalised",
         "rules[3].keywords[3]: keyword '' is empty once normalised",
         "rules[3].keywords[4]: keyword '支支支支支支支支支支支支支支支支支支支支'... has 101 "
         "characters once normalised; a keyword has at most 100",
         "rules[3].fields[1]: 'title' is not 'subject' or 'body'"],
    ),
    "value lists": (
        [rule(0, channels=["hotline", None]), rule(4, tiers=["  "]), rule(6, categories="billing"),
         rule(5, tiers=[])],
        ["rules[0].channels[1]: expected a string, got NoneType", "rules[4].tiers[0]: '  ' is empty",
         "rules[5].tiers: empty", "rules[6].categories: expected a list of strings"],
    ),
    "effects": (
        [rule(0, priority="P0", weight=0), rule(1, category="", root_cause=["x"], raise_by=1.5),
         rule(2, weight=float("nan")), rule(3, weight=True, name=5)],
        ["rules[0].priority: 'P0' is not a priority; the priorities are 'urgent'",
         "rules[0].weight: expected a finite number above 0, got int 0",
         "rules[1].category: expected a non-empty string", "rules[1].root_cause: expected a non-empty",
         "rules[1].raise_by: expected an integer, got float 1.5",
         "rules[2].weight: expected a finite number above 0, got float nan",
         "rules[3].name: expected a non-empty string, got int 5",
         "rules[3].weight: expected a finite number above 0, got bool True"],
    ),
    "rules with no effect": (
        [rule(4, raise_by=DROP), rule(6, category=DROP, priority=DROP), rule(7, raise_by=0)],
        ["rules[4]: has no effect", "rules[6]: has no effect", "rules[7]: has no effect"],
    ),
    "duplicate names": (
        [rule(3, name="pay"), rule(9, name="hotline"), rule(11, name="pay")],
        ["rules[3].name: 'pay' is also the name of rules[1]",
         "rules[9].name: 'hotline' is also the name of rules[0]",
         "rules[11].name: 'pay' is also the name of rules[1]"],
    ),
    "amounts": (
        [rule(7, at_least=9999.99), rule(8, at_least="ten"),
         lambda d: d["rules"].extend([
             {"kind": "amount", "name": "nan", "at_least": "NaN", "raise_by": 1},
             {"kind": "amount", "name": "inf", "at_least": "-Infinity", "raise_by": 1},
             {"kind": "amount", "name": "bool", "at_least": True, "raise_by": 1},
         ])],
        ["rules[7].at_least: write the amount as a string, e.g. '9999.99'",
         "rules[8].at_least: expected a decimal amount such as '10000', got str 'ten'",
         "rules[12].at_least: expected a decimal amount", "rules[13].at_least: expected a decimal",
         "rules[14].at_least: expected a decimal amount such as '10000', got bool True"],
    ),
    "matrix cells": (
        [rule(9, weight=-1, table=[
            {"impact": 1, "urgency": 1, "priority": "urgent"},
            {"impact": 0, "urgency": "2", "priority": "p9"},
            {"impact": 1, "urgency": 1, "priority": "normal"},
            {"impact": 2, "urgency": 2, "priority": "normal", "note": "x"},
            {"impact": 3},
            [1, 1, "urgent"],
        ])],
        ["rules[9].weight: expected a finite number above 0",
         "rules[9].table[1].impact: must be 1 or more, got 0",
         "rules[9].table[1].urgency: expected an integer, got str '2'",
         "rules[9].table[1].priority: 'p9' is not a priority",
         "rules[9].table[2]: impact 1 x urgency 1 is already in the table",
         "rules[9].table[3].note: unknown key; a matrix cell takes impact, urgency, priority",
         "rules[9].table[4].urgency: missing", "rules[9].table[4].priority: missing",
         "rules[9].table[5]: expected a table with impact, urgency and priority, got list"],
    ),
    "matrix tables": (
        [rule(9, table={"1,1": "urgent"}), lambda d: d["rules"].append(
            {"kind": "impact_urgency", "name": "empty", "table": []})],
        ["rules[9].table: expected a non-empty list of cells", "rules[12].table: expected a non-empty"],
    ),
    "peaks": (
        [rule(10, first_day="2025-11-31", raise_by=0, timezone="Mars/Olympus"),
         rule(11, last_day="2025-07-01", timezone=""),
         lambda d: d["rules"].append({"kind": "peak", "name": "times", "raise_by": "1",
                                      "first_day": datetime(2025, 1, 1, tzinfo=timezone.utc),
                                      "last_day": 20250102})],
        ["rules[10].first_day: expected an ISO 8601 date such as '2025-11-11', got str '2025-11-31'",
         "rules[10].raise_by: 0 has no effect",
         "rules[10].timezone: expected an IANA time zone such as 'Asia/Shanghai', got 'Mars/Olympus'",
         "rules[11].last_day: 2025-07-01 is before first_day 2025-08-01",
         "rules[11].timezone: expected an IANA time zone",
         "rules[12].first_day: expected an ISO 8601 date such as '2025-11-11', got datetime",
         "rules[12].last_day: expected an ISO 8601 date such as '2025-11-11', got int 20250102",
         "rules[12].raise_by: expected an integer, got str '1'"],
    ),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_loading_lists_every_problem_with_its_path(case: str) -> None:
    mutations, expected = ERROR_CASES[case]
    data = base()
    load_triage_rules(copy.deepcopy(data))  # valid before the mutations
    for mutate in mutations:
        mutate(data)
    with pytest.raises(TriageConfigError) as caught:
        load_triage_rules(data)
    problems = caught.value.problems
    assert len(expected) >= 2, "each case reports several problems together"
    unmatched = [p for p in problems if not any(p.startswith(e) for e in expected)]
    missing = [e for e in expected if not any(p.startswith(e) for p in problems)]
    assert (unmatched, missing) == ([], [])
    assert len(problems) == len(expected)
    assert str(caught.value).startswith(f"invalid triage rules data ({len(expected)} problems):")
    assert isinstance(caught.value, SlakitError)
    assert isinstance(caught.value, ValueError)


def test_an_invalid_scale_skips_the_priority_checks_it_cannot_make() -> None:
    data = base()
    data["priorities"] = []
    data["rules"][0]["priority"] = "anything"
    with pytest.raises(TriageConfigError) as caught:
        load_triage_rules(data)
    assert caught.value.problems == (
        "priorities: expected a non-empty list of names, highest first, got list []",
    )


def test_priorities_on_a_custom_scale_are_checked_against_it() -> None:
    data: dict[str, Any] = {"priorities": ["p1", "p2"], "fallback_priority": "p2", "rules": [
        {"kind": "keyword", "name": "a", "keywords": ["x"], "priority": "urgent"},
        {"kind": "impact_urgency", "table": [{"impact": 1, "urgency": 1, "priority": "p3"}]},
    ]}
    with pytest.raises(TriageConfigError) as caught:
        load_triage_rules(data)
    assert caught.value.problems == (
        "rules[0].priority: 'urgent' is not a priority; the priorities are 'p1', 'p2' (highest first)",
        "rules[1].table[0].priority: 'p3' is not a priority; the priorities are 'p1', 'p2' "
        "(highest first)",
    )


def test_the_functions_are_public() -> None:
    for name in ("load_triage_rules", "dump_triage_rules"):
        assert name in slakit.__all__
        assert name in slakit.triage.__all__
    assert slakit.load_triage_rules is load_triage_rules
    assert re.search(r"Raises:", load_triage_rules.__doc__ or "")
