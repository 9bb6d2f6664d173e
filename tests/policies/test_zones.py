"""Per-ticket time zones: a calendar that follows the ticket reads its hours in the ticket's zone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from slakit import (
    AlwaysOpen,
    BusinessCalendar,
    MetricTarget,
    NamedCalendar,
    PolicyDataError,
    PolicySet,
    SlaEngine,
    SlaPolicy,
    TicketOpened,
    ZoneChain,
    always,
    dump_policies,
    evaluate_sla,
    load_policies,
)

UTC = timezone.utc
BERLIN, SHANGHAI = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Shanghai")
CHAIN = ZoneChain(
    customer_zones={"c-sh": "Asia/Shanghai"},
    organisation_of={"c-acme": "acme"},
    organisation_zones={"acme": "America/New_York"},
    team_zones={"apac": "Asia/Tokyo"},
    default="Europe/London",
)


@pytest.mark.parametrize(("customer", "group", "zone", "source"), [
    ("c-sh", "apac", "Asia/Shanghai", "customer"),
    ("c-acme", "apac", "America/New_York", "organisation"),
    ("c-unknown", "apac", "Asia/Tokyo", "team"),
    (None, None, "Europe/London", "default"),
])
def test_the_chain_takes_the_first_link_that_knows(
    customer: str | None, group: str | None, zone: str, source: str
) -> None:
    assert CHAIN.resolve(customer=customer, group=group) == (ZoneInfo(zone), source)


def test_an_empty_chain_resolves_nothing_and_bad_zones_are_listed() -> None:
    assert ZoneChain().resolve(customer="c", group="g") == (None, None)
    with pytest.raises(PolicyDataError) as err:
        ZoneChain(customer_zones={"a": "Mars/Base", "b": "Moon/Base"})
    assert len(err.value.problems) == 2


def policy(follows: bool) -> PolicySet:
    office = NamedCalendar("office", BusinessCalendar.weekdays("09:00", "18:00", timezone=BERLIN),
                           follows_ticket_zone=follows)
    target = MetricTarget("first_response", "normal", timedelta(hours=1), office)
    return PolicySet([SlaPolicy("p", "1", always(), [target])], priorities=["normal"])


def first_response_due(policies: PolicySet, chain: ZoneChain | None) -> datetime | None:
    opened = TicketOpened(ticket="T", at=datetime(2025, 1, 6, 8, 0, tzinfo=SHANGHAI),
                          event_id="e1", priority="normal", category=None, channel="web",
                          customer="c-sh", customer_tier=None)
    engine = SlaEngine(policies, zones=chain)
    (result,) = evaluate_sla([opened], engine, opened.at)
    return result.due_at


def test_office_hours_mean_the_customers_office_hours() -> None:
    # Opened Mon 08:00 in Shanghai. In Shanghai the office opens at 09:00: due 10:00 there.
    assert first_response_due(policy(True), CHAIN) == datetime(2025, 1, 6, 10, 0,
                                                                 tzinfo=SHANGHAI)
    # Without the chain, or for a calendar that does not follow the ticket, Berlin hours:
    # open 09:00 Berlin (16:00 Shanghai), due 10:00 Berlin.
    berlin_due = datetime(2025, 1, 6, 10, 0, tzinfo=BERLIN)
    assert first_response_due(policy(True), None) == berlin_due
    assert first_response_due(policy(False), CHAIN) == berlin_due


def test_zone_following_calendars_round_trip_through_policy_data() -> None:
    data = dump_policies(policy(True))
    assert data["calendars"]["office"]["zone"] == "ticket"
    again = load_policies(data)
    assert first_response_due(again, CHAIN) == datetime(2025, 1, 6, 10, 0, tzinfo=SHANGHAI)


def test_calendars_move_between_zones_and_are_cached() -> None:
    office = BusinessCalendar.weekdays("09:00", "18:00", timezone=BERLIN, country="DE")
    moved = office.in_zone("Asia/Shanghai")
    assert moved is office.in_zone(SHANGHAI)
    assert office.in_zone("Europe/Berlin") is office
    assert moved.to_mapping() == {**office.to_mapping(), "timezone": "Asia/Shanghai"}
    t = datetime(2025, 1, 6, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, 02:00 in Berlin
    assert moved.is_open(t)
    assert not office.is_open(t)
    both = (office & AlwaysOpen("UTC")).in_zone("Asia/Shanghai")
    assert both.zone == SHANGHAI
    assert both.is_open(t)
