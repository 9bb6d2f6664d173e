"""One replay run: read a log, judge every ticket, feed the report; sequential or in parallel.

Design rules:

* Tickets stream through: the log is read one ticket at a time (for grouped logs), judged,
  written and forgotten, so memory follows the open tickets, not the log.
* A ticket that cannot be replayed is rejected with its file, line and reason and counted
  in the report; with ``strict`` the run stops at the first one instead. Nothing is dropped
  silently.
* ``jobs > 1`` sends tickets to worker processes in order-preserving chunks; each worker
  judges with the same function, so results are identical to a sequential run.
"""

from __future__ import annotations

import json
import multiprocessing
import tomllib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from slakit._errors import SlakitError
from slakit._message import Catalogue, Message, joined, message_of
from slakit._zone import read_zone
from slakit.cli._due_count import fast_repeats
from slakit.cli._outcome import judge_ticket
from slakit.policies import PolicySet, load_policies
from slakit.replay import (
    LogMapping,
    Rejected,
    TicketLog,
    TicketRows,
    convert_all,
    convert_ticket,
    group_by_ticket,
    load_preset,
    read_canonical,
    read_rows,
)
from slakit.sla import SlaEngine


class InputError(SlakitError, ValueError):
    """A command-line input (policy, mapping, log) cannot be used."""


class StrictStop(SlakitError, ValueError):
    """``--strict`` met its first rejected ticket or line."""

    def __init__(self, rejected: Rejected) -> None:
        self.rejected = rejected
        super().__init__(rejected.describe())

    def message(self, catalogue: Catalogue | None = None) -> str:
        """The rejection, its reason in ``catalogue``'s language (``str(self)`` when ``None``)."""
        return str(self) if catalogue is None else self.rejected.describe(catalogue)


def load_policy_file(path: Path) -> PolicySet:
    """A policy set from a TOML or JSON file (the documented ``slakit.sla-policies/1`` form)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise InputError(Message("cannot read policy file {path}: {reason}", path=path,
                                 reason=exc)) from None
    except RecursionError:  # the parsers recurse per nesting level
        raise InputError(Message("cannot read policy file {path}: nested deeper than the parser "
                                 "can follow; a policy file needs at most 64 levels",
                                 path=path)) from None
    return load_policies(data)


def load_checked_policy(path: Path, allow_fast_repeats: bool = False) -> PolicySet:
    """:func:`load_policy_file`, refusing sub-minute repeats unless they are allowed."""
    policies = load_policy_file(path)
    fast = [] if allow_fast_repeats else fast_repeats(policies)
    if fast:
        raise InputError(Message(
            "{path}: escalation rules repeat more often than every minute ({rules}); each "
            "occurrence is counted for every ticket, so this is usually a typo (PT1S for PT1M); "
            "fix the interval, or pass --allow-fast-repeats if it is meant",
            path=path, rules=joined(fast, "; ")))
    return policies


@attrs.frozen
class Source:
    """Where the tickets come from: a log file and how to read it."""

    path: Path
    mapping: LogMapping | None  # None: canonical slakit JSON Lines events
    zone: ZoneInfo | None = None

    @classmethod
    def open(cls, path: Path, mapping: str | None, preset: str | None,
             zone: str | None) -> Source:
        """Validate the source options (file exists, mapping readable, zone known)."""
        if not path.exists():
            raise InputError(Message("log file {path} does not exist", path=path))
        if mapping and preset:
            raise InputError(Message("give either --mapping or --preset, not both"))
        spec = LogMapping.load(mapping) if mapping else load_preset(preset) if preset else None
        tz = None
        if zone:
            tz = read_zone(zone)
            if tz is None:
                raise InputError(Message("--timezone: unknown zone {zone!r}; use an IANA name "
                                         "such as 'Europe/Rome'", zone=zone))
        if tz is not None and spec is not None and spec.timezone is not None and (
                spec.timezone.key != tz.key):
            what = (Message("preset {name}", name=preset) if preset
                    else Message("mapping {name}", name=mapping))
            raise InputError(Message(
                "--timezone {zone} conflicts with {what}, whose naive times are {local} local "
                "time; drop --timezone (or copy the mapping and change its time.timezone if the "
                "log really is in another zone)", zone=zone, what=what, local=spec.timezone.key))
        return cls(path, spec, tz)

    def groups(self) -> Iterator[TicketRows | Rejected]:
        """The rows of each ticket of a mapped log (lines naming no ticket come alone)."""
        m = self.mapping
        if m is None:
            raise InputError(Message("a canonical event log has no rows to group; use tickets()"))
        rows = read_rows(self.path, m.format, m.columns, m.ticket)
        return group_by_ticket(rows, m.ticket, self.path, grouped=m.grouped)

    def tickets(self) -> Iterator[TicketLog | Rejected]:
        """Every ticket of the log, converted to events, or rejected with a reason."""
        if self.mapping is None:
            return read_canonical(self.path)
        return convert_all(self.groups(), self.mapping, str(self.path), self.zone)


def judge_or_reject(log: TicketLog, engine: SlaEngine, now: datetime) -> dict[str, Any] | Rejected:
    """Judge a ticket; a ticket the workflow or the engine refuses becomes a rejection."""
    try:
        return judge_ticket(log, engine, now)
    except SlakitError as exc:
        return Rejected(log.ticket, log.file, log.first_line, message_of(exc))


# -- parallel judging ------------------------------------------------------------------

_WORKER: tuple[SlaEngine, datetime, Source] | None = None


def _init_worker(policy_path: str, now: datetime, source: Source) -> None:
    global _WORKER
    _WORKER = (SlaEngine(load_policy_file(Path(policy_path))), now, source)


def _judge_in_worker(
    item: TicketRows | TicketLog | Rejected,
) -> dict[str, Any] | Rejected:
    if isinstance(item, Rejected):
        return item
    assert _WORKER is not None
    engine, now, source = _WORKER
    if isinstance(item, TicketRows):
        assert source.mapping is not None
        log = convert_ticket(item, source.mapping, str(source.path), source.zone)
        if isinstance(log, Rejected):
            return log
        return judge_or_reject(log, engine, now)
    return judge_or_reject(item, engine, now)


def judged(source: Source, policy_path: Path, engine: SlaEngine, now: datetime,
           jobs: int = 1) -> Iterator[dict[str, Any] | Rejected]:
    """Per-ticket records (or rejections), in log order.

    With ``jobs > 1`` the main process only reads and groups rows; workers convert each
    ticket to events and judge it (the same two functions as a sequential run), so the
    results are identical and both halves of the work are spread.
    """
    if jobs <= 1:
        for item in source.tickets():
            yield item if isinstance(item, Rejected) else judge_or_reject(item, engine, now)
        return
    work: Iterator[TicketRows | TicketLog | Rejected]
    work = (map(without_states, source.tickets()) if source.mapping is None
            else source.groups())
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(jobs, initializer=_init_worker,
                  initargs=(str(policy_path), now, source)) as pool:
        yield from pool.imap(_judge_in_worker, work, chunksize=64)


def without_states(item: TicketLog | Rejected) -> TicketLog | Rejected:
    """A ticket without its cached workflow states, to send to another process.

    The states are a cache (the worker folds the events again, with identical results), and
    a workflow state need not pickle (its ``custom`` mapping is read-only).
    """
    if isinstance(item, TicketLog) and item.states is not None:
        return attrs.evolve(item, states=None)
    return item


def run_replay(
    source: Source,
    policy_path: Path,
    now: datetime,
    *,
    jobs: int = 1,
    strict: bool = False,
    on_record: Callable[[dict[str, Any]], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    allow_fast_repeats: bool = False,
) -> dict[str, Any]:
    """Replay a whole log and return its report (``on_record`` sees each ticket record).

    Raises:
        InputError: the policy has escalation rules repeating more often than every minute
            and ``allow_fast_repeats`` is false.
    """
    engine = SlaEngine(load_checked_policy(policy_path, allow_fast_repeats))
    items = judged(source, policy_path, engine, now, jobs)
    return fold_report(items, source, policy_path, now, strict=strict, on_record=on_record,
                       on_progress=on_progress, policies=engine.policies)


def fold_report(
    items: Iterable[dict[str, Any] | Rejected],
    source: Source,
    policy_path: Path,
    now: datetime,
    *,
    strict: bool = False,
    on_record: Callable[[dict[str, Any]], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    policies: PolicySet | None = None,
) -> dict[str, Any]:
    """Fold per-ticket records and rejections, in log order, into the report.

    ``policies`` (read from ``policy_path`` when not given) orders the priorities and names
    the targets, calendars and desk zone the report shows.
    """
    from slakit.cli._report import ReportBuilder

    builder = ReportBuilder(policies if policies is not None else load_policy_file(policy_path))
    for n, item in enumerate(items, start=1):
        if isinstance(item, Rejected):
            if strict:
                raise StrictStop(item)
            builder.reject(item)
        else:
            if strict and item.get("no_clock"):
                file, _, line = item["source"].rpartition(":")
                raise StrictStop(Rejected(item["ticket"], file, int(line), Message(
                    "no SLA clock: {reason}", reason=item["no_clock"])))
            builder.add(item)
            if on_record is not None:
                on_record(item)
        if on_progress is not None:
            on_progress(n)
    return builder.build(
        log=str(source.path),
        mapping=source.mapping.name if source.mapping else "canonical",
        policy=str(policy_path),
        now=now.isoformat(),
    )
