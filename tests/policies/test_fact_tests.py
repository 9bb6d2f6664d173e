"""Conditions on any fact (issue 14, item 2): semantics, data form, listed problems."""

from __future__ import annotations

import json
import tomllib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slakit.policies import (
    PolicyDataError,
    PolicySet,
    SlaPolicy,
    TicketFacts,
    category_is,
    condition_from_data,
    dump_policies,
    fact,
    load_policies,
)
from slakit.sla import SlaEngine, SlaInputError
from slakit.workflow import FactsChanged, TicketOpened
from tests.sla.sla_testkit import OFFICE, H, sh, targets

FIELDS = {"order_value": "number", "vip": "bool", "promised": "date", "sku": "string"}


def facts(**custom: object) -> TicketFacts:
    return TicketFacts("normal", category="payment", tags={"refund"}, group="l2",
                       custom=custom)  # type: ignore[arg-type]


@pytest.mark.parametrize(("condition", "expected"), [
    (fact("order_value").gt(300), True),
    (fact("order_value").ge(350), True),
    (fact("order_value").lt(350), False),
    (fact("order_value").le(350.0), True),
    (fact("order_value").eq(350), True),
    (fact("order_value").in_(100, 350), True),
    (fact("order_value").not_in(100, 350), False),
    (fact("vip").eq(True), False),  # absent
    (fact("vip").ne(True), True),   # absent: not equal
    (fact("vip").absent(), True),
    (fact("promised").lt(date(2025, 10, 2)), True),
    (fact("promised").gt(date(2025, 10, 1)), False),
    (fact("sku").not_in("A-1"), True),  # absent
    (fact("sku").in_("A-1"), False),
    (fact("category").eq("payment"), True),
    (fact("category").ne("payment"), False),
    (fact("channel").absent(), True),
    (fact("group").in_("l1", "l2"), True),
    (fact("tags").contains("refund"), True),
    (fact("tags").contains("vip"), False),
    (fact("tags").present(), True),
    (fact("organisation").present(), False),
    (~fact("order_value").gt(300) | fact("tags").contains("refund"), True),
])
def test_fact_tests_on_a_ticket(condition: object, expected: bool) -> None:
    f = facts(order_value=350, promised=date(2025, 10, 1))
    assert condition(f) is expected  # type: ignore[operator]


def test_a_bool_is_not_a_number_and_a_number_not_a_string() -> None:
    assert fact("order_value").eq(1)(facts(order_value=True)) is False
    assert fact("sku").eq("1")(facts(sku=1)) is False
    assert fact("order_value").gt(0)(facts(order_value="5")) is False


def test_repr_reads_like_the_code() -> None:
    c = fact("promised").lt(date(2025, 10, 1)) & fact("sku").in_("A", "B") & ~fact("vip").present()
    assert repr(c) == ('fact("promised").lt(datetime.date(2025, 10, 1)) & fact("sku").in_("A", '
                       '"B") & ~fact("vip").present()')


def test_data_form_exact_and_round_trips_through_json() -> None:
    c = fact("promised").lt(date(2025, 10, 1)) | fact("order_value").not_in(1, 2.5)
    data = c.to_data()
    assert data == {"any": [{"fact": "promised", "lt": {"date": "2025-10-01"}},
                            {"fact": "order_value", "not_in": [1, 2.5]}]}
    assert condition_from_data(json.loads(json.dumps(data))) == c


def test_toml_dates_are_read_as_dates() -> None:
    data = tomllib.loads('when = { fact = "promised", ge = 2025-10-01 }')
    assert condition_from_data(data["when"]) == fact("promised").ge(date(2025, 10, 1))


LITERALS = st.one_of(st.integers(-5, 5), st.floats(-5, 5, allow_nan=False), st.booleans(),
                     st.text(min_size=1, max_size=4), st.dates())


@given(st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge"]), LITERALS)
def test_any_fact_test_round_trips(op: str, value: object) -> None:
    c = getattr(fact("x"), op)(value)
    assert condition_from_data(json.loads(json.dumps(c.to_data()))) == c


@pytest.mark.parametrize(("data", "message"), [
    ({"fact": "x"}, "one operator"),
    ({"fact": "x", "gt": 1, "lt": 3}, "one operator"),
    ({"fact": "x", "between": [1, 2]}, "one operator"),
    ({"fact": "x", "present": False}, "write present = true"),
    ({"fact": "x", "in": []}, "non-empty list"),
    ({"fact": "x", "eq": [1]}, "expected a string, number, bool"),
    ({"fact": "x", "eq": {"date": "2025-13-01"}}, "expected a string, number, bool"),
    ({"fact": "", "eq": 1}, "one operator"),
])
def test_bad_fact_test_data_is_refused_with_its_path(data: object, message: str) -> None:
    with pytest.raises(PolicyDataError, match=message) as info:
        condition_from_data({"all": [data]})
    assert "when.all[0]" in str(info.value)


def test_every_problem_of_the_fact_tests_is_listed_when_the_set_is_built() -> None:
    bad = SlaPolicy("bad", "1", fact("colour").eq("red") & fact("order_value").gt("300")
                    & fact("sku").lt("B") & fact("category").contains("x")
                    & fact("vip").eq(1))
    with pytest.raises(PolicyDataError) as info:
        PolicySet([bad], fields={**FIELDS, "tags": "string", "size": "length"})
    assert info.value.problems == (
        "fields.size: unknown type 'length'; use one of string, number, bool, date",
        "fields: 'tags' cannot be a custom field name (built-in fields: priority, category, "
        "channel, customer_tier, group, organisation, tags)",
        "policy 'bad': fact(\"colour\").eq(\"red\") names unknown field 'colour'; built-in "
        "fields are priority, category, channel, customer_tier, group, organisation, tags; "
        "declare custom ones in the policy set's fields (declared: ['order_value', 'promised', "
        "'size', 'sku', 'vip'])",
        "policy 'bad': fact(\"order_value\").gt(\"300\") compares number field 'order_value' "
        "with string '300'; write a number value",
        "policy 'bad': fact(\"sku\").lt(\"B\"): lt does not apply to string field 'sku'; use "
        "one of eq, ne, in, not_in, present, absent",
        "policy 'bad': fact(\"category\").contains(\"x\"): contains does not apply to string "
        "field 'category'; use one of eq, ne, in, not_in, present, absent",
        "policy 'bad': fact(\"vip\").eq(1) compares bool field 'vip' with number 1; write a "
        "bool value",
    )


def test_reachability_covers_number_thresholds() -> None:
    cal_targets = targets("normal", OFFICE, first_response=H)
    big = SlaPolicy("big", "1", fact("order_value").gt(300), cal_targets)
    medium = SlaPolicy("medium", "1", fact("order_value").gt(100), cal_targets)
    fallback = SlaPolicy("default", "1", targets=cal_targets)
    ps = PolicySet([big, medium], fallback, priorities=["normal"], fields=FIELDS)
    assert ps.problems() == ()
    swapped = PolicySet([medium, big], fallback, priorities=["normal"], fields=FIELDS)
    assert swapped.problems() == (
        'policy \'big\' can never be chosen: its conditions fact("order_value").gt(300) match '
        "nothing not already matched by an earlier policy",)


def test_fields_round_trip_through_the_policy_file() -> None:
    cal_targets = targets("normal", OFFICE, first_response=H)
    ps = PolicySet([SlaPolicy("big", "1", fact("promised").lt(date(2025, 10, 1))
                              & category_is("payment"), cal_targets)],
                   SlaPolicy("default", "1", targets=cal_targets), priorities=["normal"],
                   fields=FIELDS)
    data = dump_policies(ps)
    assert data["fields"] == FIELDS
    assert load_policies(json.loads(json.dumps(data))) == ps


def test_the_engine_refuses_a_custom_value_of_the_wrong_type() -> None:
    ps = PolicySet([], SlaPolicy("default", "1", targets=targets("normal", OFFICE,
                                                                 first_response=H)),
                   fields=FIELDS)
    eng = SlaEngine(ps)
    opened = TicketOpened(ticket="T", at=sh(3, 3, 9), event_id="1", priority="normal",
                          category=None, channel=None, customer=None, customer_tier=None)
    ticket, state = eng.apply_all([opened])
    bad = FactsChanged(ticket="T", at=sh(3, 3, 10), event_id="2", set={"order_value": "350"})
    from slakit.workflow import apply
    with pytest.raises(SlaInputError, match="custom field 'order_value' is declared number but "
                       "the ticket has string '350'"):
        eng.advance(state, bad, apply(ticket, bad))
    assert state.facts.custom == ()
