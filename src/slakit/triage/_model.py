"""Plugging a host's own classifier (a trained model, a remote service) in beside the rules.

A model is just another rule: :class:`ModelRule` wraps anything with a ``predict`` method
(:class:`TicketModel`). Its place in the rule list sets the combination: last in first-match
mode means "rules first, model second"; first means "model first, rules as the safety net";
in score mode its weight times its confidence competes with the rules' weights. With
``only_when_undecided=True`` the model is not even asked when a rule placed before it already
proposed a priority: a model that costs a network call is paid for only where rules are silent.

Design rules:

* A prediction is checked when it is made (:class:`ModelPrediction` validates itself), so a
  NaN confidence can never slip past ``min_confidence`` or weigh on a score.
* What the model returns is checked too: anything but a prediction or ``None`` is a
  :class:`ModelOutputError` naming the rule. Exceptions the model raises propagate unchanged:
  a broken model is a host bug to see, not ticket content to absorb.
"""

from __future__ import annotations

import math
from typing import Protocol, runtime_checkable

import attrs

from slakit._errors import SlakitError
from slakit._message import Message
from slakit.triage._errors import TriageConfigError
from slakit.triage._input import PreparedTicket, TriageInput, shown
from slakit.triage._rule_base import RuleMatch, is_weight


class ModelOutputError(SlakitError, TypeError):
    """A :class:`TicketModel` returned something other than a :class:`ModelPrediction` or None."""


class ModelPredictionError(SlakitError, ValueError):
    """A :class:`ModelPrediction` was built with values no classifier can use."""


def _is_probability(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and 0.0 <= value <= 1.0)


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

    def __attrs_post_init__(self) -> None:
        problems = [
            f"{name} must be a str or None, got {shown(value)}"
            for name, value in (("priority", self.priority), ("category", self.category),
                                ("root_cause", self.root_cause))
            if value is not None and not isinstance(value, str)
        ]
        if not _is_probability(self.confidence):
            problems.append(Message("confidence must be a number in [0, 1], got {confidence}",
                                    confidence=shown(self.confidence)))
        if not isinstance(self.reason, str):
            problems.append(Message("reason must be a str, got {reason}", reason=shown(self.reason)))
        if problems:
            raise ModelPredictionError(
                "invalid model prediction: " + "; ".join(problems)
                + " (fix the model's output; return None for no opinion)"
            )


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
        only_when_undecided: ask the model only if no rule placed before this one proposed a
            priority for the ticket (it then does not match and is not called).
    """

    name: str
    model: TicketModel
    min_confidence: float = 0.0
    weight: float = 1.0
    only_when_undecided: bool = False

    def __attrs_post_init__(self) -> None:
        problems = []
        if not isinstance(self.name, str) or not self.name.strip():
            problems.append(Message("rule name {name!r} must be a non-empty string", name=self.name))
        if not callable(getattr(self.model, "predict", None)):
            problems.append(Message("model {model!r} has no predict(ticket) method", model=self.model))
        if not _is_probability(self.min_confidence):
            problems.append(Message("min_confidence must be a number in [0, 1], got {min_confidence!r}",
                                    min_confidence=self.min_confidence))
        if not is_weight(self.weight):
            problems.append(Message("weight must be a finite number > 0, got {weight!r}",
                                    weight=self.weight))
        if not isinstance(self.only_when_undecided, bool):
            problems.append(Message("only_when_undecided must be a bool, got {only_when_undecided!r}",
                                    only_when_undecided=self.only_when_undecided))
        if problems:
            raise TriageConfigError(Message("model rule"), problems)

    @property
    def mentioned_priorities(self) -> tuple[str, ...]:
        """None known up front; unknown predicted priorities are dropped with a note."""
        return ()

    def evaluate(self, ticket: PreparedTicket) -> RuleMatch | None:
        """The model's prediction as a match, or ``None`` if absent or not confident enough."""
        prediction = self.model.predict(ticket.ticket)
        if prediction is None:
            return None
        if not isinstance(prediction, ModelPrediction):
            raise ModelOutputError(
                Message("the model of rule {name!r} returned {prediction}; predict() must return a "
                        "ModelPrediction, or None for no opinion", name=self.name,
                        prediction=shown(prediction))
            )
        if prediction.confidence < self.min_confidence:
            return None
        if (prediction.priority, prediction.category, prediction.root_cause) == (None,) * 3:
            return None
        reason = f"model predicted with confidence {prediction.confidence:.2f}"
        if prediction.reason:
            # One line: an explanation prints one line per rule.
            reason += ": " + " ".join(prediction.reason.split())
        return RuleMatch(
            self.name,
            reason,
            priority=prediction.priority,
            category=prediction.category,
            root_cause=prediction.root_cause,
            weight=self.weight * prediction.confidence,
        )
