"""Plugging a host's own classifier (a trained model, a remote service) in beside the rules.

A model is just another rule: :class:`ModelRule` wraps anything with a ``predict`` method
(:class:`TicketModel`). Its place in the rule list sets the combination: last in first-match
mode means "rules first, model second"; first means "model first, rules as the safety net";
in score mode its weight times its confidence competes with the rules' weights.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import attrs

from slakit.policies._triage_errors import TriageConfigError
from slakit.policies._triage_input import PreparedTicket, TriageInput
from slakit.policies._triage_rule_base import RuleMatch


@attrs.frozen
class ModelPrediction:
    """What a model says about a ticket.

    Args:
        priority: the predicted priority (a level of the classifier's scale), if any.
        category: the predicted category, if any.
        root_cause: the predicted root cause, if any.
        confidence: in ``[0, 1]``.
        reason: a short explanation (e.g. the model's version or top features).
    """

    priority: str | None = None
    category: str | None = None
    root_cause: str | None = None
    confidence: float = 1.0
    reason: str = ""


@runtime_checkable
class TicketModel(Protocol):
    """Anything that predicts from a ticket; ``None`` means "no opinion"."""

    def predict(self, ticket: TriageInput) -> ModelPrediction | None:
        """The prediction for ``ticket``."""
        ...


@attrs.frozen
class ModelRule:
    """A :class:`TicketModel` used as a triage rule.

    Predictions below ``min_confidence`` are ignored (the rule does not match). Exceptions
    from the model propagate: a broken model is a host bug to see, not content to absorb.

    Args:
        name: the rule's name.
        model: the model.
        min_confidence: the lowest confidence acted on.
        weight: weight in score mode, multiplied by the prediction's confidence.
    """

    name: str
    model: TicketModel
    min_confidence: float = 0.0
    weight: float = 1.0

    def __attrs_post_init__(self) -> None:
        problems = []
        if not isinstance(self.name, str) or not self.name.strip():
            problems.append(f"rule name {self.name!r} must be a non-empty string")
        if not callable(getattr(self.model, "predict", None)):
            problems.append(f"model {self.model!r} has no predict(ticket) method")
        if not 0.0 <= self.min_confidence <= 1.0:
            problems.append(f"min_confidence must be in [0, 1], got {self.min_confidence!r}")
        if not self.weight > 0:
            problems.append(f"weight must be > 0, got {self.weight!r}")
        if problems:
            raise TriageConfigError("model rule", problems)

    @property
    def mentioned_priorities(self) -> tuple[str, ...]:
        """None known up front; unknown predicted priorities are dropped with a note."""
        return ()

    def evaluate(self, ticket: PreparedTicket) -> RuleMatch | None:
        """The model's prediction as a match, or ``None`` if absent or not confident enough."""
        prediction = self.model.predict(ticket.ticket)
        if prediction is None or prediction.confidence < self.min_confidence:
            return None
        if (prediction.priority, prediction.category, prediction.root_cause) == (None,) * 3:
            return None
        reason = f"model predicted with confidence {prediction.confidence:.2f}"
        if prediction.reason:
            reason += f": {prediction.reason}"
        return RuleMatch(
            self.name,
            reason,
            priority=prediction.priority,
            category=prediction.category,
            root_cause=prediction.root_cause,
            weight=self.weight * prediction.confidence,
        )
