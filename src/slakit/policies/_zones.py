"""Per-ticket time zones: whose office hours does "office hours" mean?

A target's calendar can follow the ticket (``NamedCalendar(..., follows_ticket_zone=True)``,
``zone = "ticket"`` in policy data): its weekly hours, holidays and exceptions are then read
on the wall clock of the ticket's zone. The zone is resolved by a documented chain, first
hit wins:

1. the customer's own zone;
2. the zone of the customer's organisation;
3. the zone of the team (the ticket's group) working it;
4. the chain's default;
5. otherwise the calendar's own zone.

The chain is plain data the host fills from its own records; slakit never guesses a zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

import attrs

from slakit._message import Message
from slakit._zone import read_zone
from slakit.policies._errors import PolicyDataError

ZoneSource = Literal["customer", "organisation", "team", "default"]


class _TicketLike(Protocol):
    @property
    def customer(self) -> str | None: ...

    @property
    def group(self) -> str | None: ...


def _zones(value: Mapping[str, str]) -> dict[str, ZoneInfo]:
    out: dict[str, ZoneInfo] = {}
    problems: list[str] = []
    for key, name in value.items():
        zone = read_zone(name)
        if zone is None:
            problems.append(Message("zone of {key!r}: unknown zone {name!r}; use an IANA name", key=key,
                                    name=name))
        else:
            out[key] = zone
    if problems:
        raise PolicyDataError(problems)
    return out


def _optional_zone(value: str | None) -> ZoneInfo | None:
    return None if value is None else _zones({"default": value})["default"]


@attrs.frozen
class ZoneChain:
    """Resolves a ticket's zone: customer, then organisation, then team, then default.

    Example:
        >>> chain = ZoneChain(customer_zones={"c-1": "Europe/Berlin"},
        ...                   organisation_of={"c-2": "acme"},
        ...                   organisation_zones={"acme": "America/New_York"},
        ...                   team_zones={"apac": "Asia/Shanghai"}, default="UTC")
        >>> chain.resolve(customer="c-2", group="apac")
        (zoneinfo.ZoneInfo(key='America/New_York'), 'organisation')
        >>> chain.resolve(customer="c-9", group=None)
        (zoneinfo.ZoneInfo(key='UTC'), 'default')
    """

    customer_zones: Mapping[str, ZoneInfo] = attrs.field(factory=dict, converter=_zones)
    organisation_of: Mapping[str, str] = attrs.field(factory=dict)
    organisation_zones: Mapping[str, ZoneInfo] = attrs.field(factory=dict, converter=_zones)
    team_zones: Mapping[str, ZoneInfo] = attrs.field(factory=dict, converter=_zones)
    default: ZoneInfo | None = attrs.field(default=None, converter=_optional_zone)

    def resolve(
        self, *, customer: str | None, group: str | None
    ) -> tuple[ZoneInfo | None, ZoneSource | None]:
        """The ticket's zone and which link of the chain gave it (None, None: no link)."""
        if customer is not None:
            zone = self.customer_zones.get(customer)
            if zone is not None:
                return zone, "customer"
            organisation = self.organisation_of.get(customer)
            zone = None if organisation is None else self.organisation_zones.get(organisation)
            if zone is not None:
                return zone, "organisation"
        if group is not None:
            zone = self.team_zones.get(group)
            if zone is not None:
                return zone, "team"
        if self.default is not None:
            return self.default, "default"
        return None, None

    def zone_of(self, ticket: _TicketLike) -> ZoneInfo | None:
        """The zone for a ticket state (its ``customer`` and ``group``), or None."""
        return self.resolve(customer=ticket.customer, group=ticket.group)[0]
