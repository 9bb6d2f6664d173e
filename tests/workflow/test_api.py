from __future__ import annotations

import slakit.storage
import slakit.workflow


def test_public_names_exist_and_are_sorted() -> None:
    for module in (slakit.workflow, slakit.storage):
        assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))
        for name in module.__all__:
            assert hasattr(module, name), name


def test_vocabulary_names_for_other_packages() -> None:
    # Names other slakit packages code against (briefs/events.md).
    for name in ["Event", "TicketState", "Workflow", "DEFAULT_WORKFLOW", "apply", "apply_all",
                 "InvalidTransition", "TicketOpened", "TicketRated"]:
        assert name in slakit.workflow.__all__
    assert slakit.workflow.DEFAULT_WORKFLOW.pausing_statuses == frozenset(
        {"waiting_on_customer", "waiting_on_third_party"}
    )
