"""The time between a resolution and a reopen is its own segment, not a pause (issue 14, 7)."""

from __future__ import annotations

from slakit.calendar import Period
from slakit.policies import PolicySet, SlaPolicy
from slakit.sla import SlaEngine
from tests.sla.sla_testkit import C247, Events, H, M, sh, targets


def test_resolved_until_reopened_is_stopped_not_paused() -> None:
    policy = SlaPolicy("p", "1", targets=targets("normal", C247, resolution=8 * H))
    eng = SlaEngine(PolicySet([], fallback=policy, priorities=("normal",)))
    ev = Events()
    events = [ev.opened(sh(3, 3, 9)),
              ev.status(sh(3, 3, 10), "waiting_on_customer"),   # paused 10:00-10:30
              ev.status(sh(3, 3, 10, 30), "in_progress"),
              ev.resolved(sh(3, 3, 11)),                        # stopped 11:00-14:00
              ev.reopened(sh(3, 3, 14))]
    _, st = eng.apply_all(events)
    (r,) = [x for x in st.at(sh(3, 3, 15), explain=True) if x.metric == "resolution"]
    assert (r.elapsed, r.paused_for, r.stopped_for) == (2 * H + 30 * M, 30 * M, 3 * H)
    assert r.explanation is not None
    assert r.explanation.paused == (Period(sh(3, 3, 10), sh(3, 3, 10, 30)),)
    assert r.explanation.stopped == (Period(sh(3, 3, 11), sh(3, 3, 14)),)
    # While it is resolved, the met cycle shows no stop and no pause after 10:30.
    _, met = eng.apply_all(events[:4])
    (m,) = [x for x in met.at(sh(3, 3, 13)) if x.metric == "resolution"]
    assert (m.status, m.paused_for, m.stopped_for) == ("met", 30 * M, 0 * M)
