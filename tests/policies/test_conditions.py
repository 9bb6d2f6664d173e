"""SLA conditions: readable reprs, logic, plain-data round trips, refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.policies import (
    Condition,
    PolicyDataError,
    TicketFacts,
    all_,
    always,
    any_,
    category_is,
    channel_is,
    condition_from_data,
    customer_tier_is,
    has_tag,
    never,
    not_,
    priority_is,
)
from slakit.workflow import FactsChanged, TicketOpened, apply

URGENT_HOTLINE = TicketFacts(priority="urgent", channel="hotline", customer_tier="gold",
                             category="payment", tags=frozenset({"vip"}))


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (priority_is("urgent") & channel_is("hotline"),
         'priority_is("urgent") & channel_is("hotline")'),
        (priority_is("urgent") | has_tag("vip", "kol"), 'priority_is("urgent") | has_tag("vip", "kol")'),
        ((priority_is("a") | priority_is("b")) & channel_is("c"),
         '(priority_is("a") | priority_is("b")) & channel_is("c")'),
        (~category_is("suggestion"), '~category_is("suggestion")'),
        (~(priority_is("a") & channel_is("b")), '~(priority_is("a") & channel_is("b"))'),
        (all_(), "always()"),
        (any_(), "never()"),
        (not_(not_(customer_tier_is("gold"))), 'customer_tier_is("gold")'),
        (priority_is("a") & priority_is("b") & priority_is("c"),
         'priority_is("a") & priority_is("b") & priority_is("c")'),
    ],
)
def test_reprs_read_like_the_code(condition: Condition, text: str) -> None:
    assert repr(condition) == text


def test_evaluation_over_ticket_facts() -> None:
    assert (priority_is("urgent") & channel_is("hotline"))(URGENT_HOTLINE)
    assert not (priority_is("urgent") & channel_is("email"))(URGENT_HOTLINE)
    assert (priority_is("low") | has_tag("vip"))(URGENT_HOTLINE)
    assert not (~customer_tier_is("gold"))(URGENT_HOTLINE)
    assert category_is("payment", "order")(URGENT_HOTLINE)
    assert always()(URGENT_HOTLINE)
    assert not never()(URGENT_HOTLINE)
    assert not channel_is("hotline")(TicketFacts(priority="urgent"))


def test_facts_can_be_copied_from_any_object_with_them() -> None:
    assert TicketFacts.of(URGENT_HOTLINE) == URGENT_HOTLINE


_T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)
_short = st.text("abc", min_size=1, max_size=2)


@settings(max_examples=150, deadline=None)
@given(st.none() | _short, st.none() | _short, st.none() | _short, st.frozensets(_short),
       st.dictionaries(st.sampled_from(["group", "organisation", "category", "sev", "vip", "on"]),
                       _short | st.integers(0, 3) | st.booleans() | st.dates(), max_size=4))
def test_facts_of_a_ticket_state_equal_the_constructors(
    category: str | None, channel: str | None, tier: str | None, tags: frozenset[str],
    changes: dict[str, object],
) -> None:
    """TicketFacts.of builds a TicketState's facts from a dict: the same value, field by
    field (types included), as going through __init__ and its converters."""
    ticket = apply(None, TicketOpened(ticket="T-1", at=_T0, event_id="e1", priority="high",
                                      category=category, channel=channel, customer="c",
                                      customer_tier=tier, tags=tags))
    builtin = {"group", "organisation", "category"}
    ticket = apply(ticket, FactsChanged(
        ticket="T-1", at=_T0, event_id="e2", tags_added=["z"],
        set={k: v for k, v in changes.items() if k not in builtin or isinstance(v, str)}))
    general = TicketFacts(priority=ticket.priority, category=ticket.category,
                          channel=ticket.channel, customer_tier=ticket.customer_tier,
                          tags=ticket.tags, group=ticket.group,
                          organisation=ticket.organisation, custom=ticket.custom)
    fast = TicketFacts.of(ticket)
    assert fast == general
    assert hash(fast) == hash(general)
    assert repr(fast) == repr(general)
    assert {k: (type(v), v) for k, v in fast.__dict__.items()} == {
        k: (type(v), v) for k, v in general.__dict__.items()}


@pytest.mark.parametrize(
    "bad", [lambda: priority_is(), lambda: channel_is(""), lambda: has_tag(3)]  # type: ignore[arg-type]
)
def test_empty_or_non_string_values_are_refused(bad: object) -> None:
    with pytest.raises(PolicyDataError):
        bad()  # type: ignore[operator]


def test_combining_a_non_condition_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="takes conditions"):
        all_(priority_is("a"), "urgent")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"priority_is": []}, "expected a string or a list"),
        ({"colour_is": ["red"]}, "unknown condition 'colour_is'"),
        ({"all": {"priority_is": "a"}}, r"when.all: expected a list"),
        ({"a": 1, "b": 2}, "one-key mapping"),
        ({"not": {"nope": 1}}, r"when.not: unknown condition"),
    ],
)
def test_bad_condition_data_names_the_path(data: object, message: str) -> None:
    with pytest.raises(PolicyDataError, match=message):
        condition_from_data(data)


LEAVES = st.one_of(
    st.builds(priority_is, st.sampled_from(["urgent", "normal", "low"])),
    st.builds(channel_is, st.sampled_from(["hotline", "email"])),
    st.builds(customer_tier_is, st.sampled_from(["gold", "silver"])),
    st.builds(category_is, st.sampled_from(["payment", "suggestion"])),
    st.builds(has_tag, st.sampled_from(["vip", "kol"])),
)
CONDITIONS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.builds(lambda a, b: a & b, inner, inner),
        st.builds(lambda a, b: a | b, inner, inner),
        st.builds(lambda a: ~a, inner),
    ),
    max_leaves=8,
)
FACTS = st.builds(
    TicketFacts,
    priority=st.sampled_from(["urgent", "normal", "low"]),
    category=st.sampled_from([None, "payment", "suggestion"]),
    channel=st.sampled_from([None, "hotline", "email"]),
    customer_tier=st.sampled_from([None, "gold", "silver"]),
    tags=st.frozensets(st.sampled_from(["vip", "kol", "x"])),
)


@settings(max_examples=150, deadline=None)
@given(CONDITIONS, FACTS)
def test_data_round_trip_keeps_meaning_and_repr(condition: Condition, facts: TicketFacts) -> None:
    back = condition_from_data(condition.to_data())
    assert back == condition
    assert repr(back) == repr(condition)
    assert back(facts) == condition(facts)
    assert (~condition)(facts) != condition(facts)
