"""A decision's sentence: worded from per-language templates looked up once, with times
written by plain int formatting, it is the sentence the catalogue and strftime give."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.desk._decision import LANGUAGES, Decision, Language, _actions_text, _sentence
from slakit.i18n import metric_label, translator
from slakit.policies import EscalationAction, notify, reassign
from slakit.sla import EscalationDecision
from tests.desk.desk_testkit import T0


def _by_strftime(tenant: str, d: EscalationDecision, deadline: datetime | None,
                 late_by: timedelta | None, language: Language) -> str:
    """The sentence as it was first written: a catalogue lookup per piece, strftime times."""
    tr = translator(language)
    _ = tr.gettext
    if late_by is not None:
        state = (_("late by {late}").format(late=_minutes(late_by)) if late_by
                 else _("late"))
    elif deadline is not None:
        state = _("due at {deadline}").format(deadline=f"{deadline:%m-%d %H:%M}")
    else:
        state = _("reminder")
    return _("Ticket {ticket} ({tenant}): {reason} at {when}; {actions}.").format(
        ticket=d.ticket, tenant=tenant, reason=d.reason, when=f"{d.fire_at:%Y-%m-%d %H:%M}",
        actions=_actions_text(language, d.actions), metric=metric_label(tr, d.metric),
        state=state, level=_("(level {level})").format(level=d.level) if d.level else "")


def _minutes(d: timedelta) -> str:
    hours, minutes = divmod(int(d.total_seconds() // 60), 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


_zones = st.one_of(st.just(timezone.utc),
                   st.builds(lambda m: timezone(timedelta(minutes=m)), st.integers(-720, 840)))
_times = st.datetimes(timezones=_zones)
_actions = st.sampled_from([(notify("lead"),), (notify("a", "b"), reassign("l2")),
                            (EscalationAction("raise_priority", ("urgent",)),)])


@settings(max_examples=300, deadline=None)
@given(fire_at=_times, deadline=st.one_of(st.none(), _times),
       late_by=st.one_of(st.none(), st.just(timedelta(0)),
                         st.timedeltas(timedelta(0), timedelta(days=400))),
       level=st.integers(0, 3), metric=st.sampled_from(["first_response", "resolution", "x_y"]),
       tenant=st.sampled_from(["shop", "店铺A"]), actions=_actions,
       language=st.sampled_from(LANGUAGES))
def test_the_sentence_is_the_catalogue_and_strftime_one(
    fire_at: datetime, deadline: datetime | None, late_by: timedelta | None, level: int,
    metric: str, tenant: str, actions: tuple[EscalationAction, ...], language: Language,
) -> None:
    d = EscalationDecision(f"T-1/{metric}/1/r/1", "T-1", metric, 1, "r", level, 1, fire_at,
                           actions, "a reason", "urgent", "p", "1")
    assert _sentence(tenant, d, deadline, late_by, language) == _by_strftime(
        tenant, d, deadline, late_by, language)


def test_a_year_before_1000_is_written_as_strftime_writes_it() -> None:
    t = datetime(987, 6, 5, 4, 3, tzinfo=timezone.utc)
    d = EscalationDecision("k", "T-1", "resolution", 1, "r", 0, 1, t, (notify("a"),), "why",
                           "urgent", None, None)
    assert " at 987-06-05 04:03; " in _sentence("shop", d, t, None, "en")
    assert _sentence("shop", d, t, None, "en") == _by_strftime("shop", d, t, None, "en")


def test_a_decision_carries_the_sentence() -> None:
    d = EscalationDecision("T-1/first_response/1/late/2/1", "T-1", "first_response", 1,
                           "late/2", 2, 1, T0 + timedelta(minutes=60), (notify("director"),),
                           "first response breached its target", "urgent", "chat", "1")
    decision = Decision.of("shop", d, None, T0 + timedelta(hours=2), "zh-CN")
    assert decision.text == "工单 T-1（shop）：首次响应触发提醒（第2级），2025-06-02 10:00；通知 director。"
