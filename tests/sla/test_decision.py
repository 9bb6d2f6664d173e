"""Escalation reasons: the cached template gives the general sentence, in every language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from slakit.i18n import SUPPORTED_LANGUAGES, metric_label, translator
from slakit.policies import EscalationRule as Rule
from slakit.policies import Trigger, after_breach, at_fraction, before_due, every, notify
from slakit.policies import on_breach as breach
from slakit.sla._cycle import new_cycle
from slakit.sla._decision import reason, sentence

T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)
POSITIVE = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=40))

triggers = st.one_of(
    st.floats(0.01, 3.0).map(at_fraction),
    POSITIVE.map(before_due),
    st.just(breach()),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)).map(after_breach),
    st.builds(lambda d, b, n: every(d, after_breach=b, limit=n), POSITIVE, st.booleans(),
              st.none() | st.integers(1, 9)),
)
# Built-in metric names (translated), and free ones: braces must come out as they are.
metrics = st.sampled_from(["first_response", "resolution", "periodic_update"]) | st.text(
    st.sampled_from("ab{}_:!0 "), min_size=1, max_size=12)


def _general(rule: Rule, metric: str, number: int, target: timedelta, k: int, lang: str) -> str:
    tr = translator(lang)
    trig = rule.trigger
    return sentence(tr, trig, rule.level, metric=metric_label(tr, metric), cycle=number,
                    target=target, fraction=f"{trig.fraction:.0%}", offset=trig.offset, n=k)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SUPPORTED_LANGUAGES), triggers, st.integers(0, 4), metrics,
       st.integers(1, 30), POSITIVE, st.integers(1, 50))
def test_the_cached_template_gives_the_general_sentence(
    lang: str, trig: Trigger, level: int, metric: str, number: int, target: timedelta, k: int
) -> None:
    rule = Rule("r", metric, trig, [notify("lead")], level=level)
    c = new_cycle(metric, number, T0, True, "high", ("p", "1"), target, None)
    # Twice: the first call makes the template, the second reads it from the translator.
    assert reason(rule, c, k, translator(lang)) == _general(rule, metric, number, target, k, lang)
    assert reason(rule, c, k, translator(lang)) == _general(rule, metric, number, target, k, lang)


def test_sentences_exactly() -> None:
    rule = Rule("r", "first_response", at_fraction(0.5), [notify("lead")])
    c = new_cycle("first_response", 1, T0, True, "high", None, timedelta(hours=2), None)
    assert reason(rule, c, 1, translator("en")) == (
        "first_response (cycle 1, target 2:00:00) reached 50% of its target")
    ladder = Rule("r", "resolution", after_breach(timedelta(hours=1)), [notify("x")], level=2)
    c = new_cycle("resolution", 3, T0, True, "high", None, timedelta(hours=8), None)
    assert reason(ladder, c, 1, translator("en")) == (
        "resolution (cycle 3, target 8:00:00) breached its target and is 1:00:00 past it "
        "(level 2)")
    assert reason(ladder, c, 1, translator("zh-CN")) == _general(
        ladder, "resolution", 3, timedelta(hours=8), 1, "zh-CN")
    assert "{" not in reason(ladder, c, 1, translator("zh-CN"))

