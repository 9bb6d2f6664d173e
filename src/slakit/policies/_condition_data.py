"""Conditions as plain data: the one reader of the ``when`` forms stored in policy files.

Design rules:

* Every condition writes itself with ``to_data``; :func:`condition_from_data` reads each form
  back (the attribute tests, ``has_tag``, ``all``/``any``/``not``, ``always``/``never`` and
  the typed fact tests of :mod:`slakit.policies._fact_tests`), so a stored policy round-trips.
* A form it does not know is refused with its path and the forms it knows.
"""

from __future__ import annotations

from slakit._message import Message
from slakit._problems import described, did_you_mean, shown
from slakit.policies._conditions import (
    _ATTRIBUTE_FACTORIES,
    Condition,
    _AttributeIs,
    _HasTag,
    all_,
    always,
    any_,
    never,
    not_,
)
from slakit.policies._errors import PolicyDataError
from slakit.policies._fact_tests import fact_test_from_data


def condition_from_data(data: object, path: str = "when") -> Condition:
    """Rebuild a condition from :meth:`Condition.to_data` output.

    Raises:
        PolicyDataError: the data is not a condition; the message names the path.

    >>> condition_from_data({"all": [{"priority_is": ["urgent"]}, {"channel_is": ["hotline"]}]})
    priority_is("urgent") & channel_is("hotline")
    """
    if isinstance(data, dict) and "fact" in data:
        return fact_test_from_data(data, path)
    if not isinstance(data, dict) or len(data) != 1:
        raise PolicyDataError(
            [Message("{path}: a condition is a one-key mapping or a fact test {{'fact': name, <operator>: "
                     "value}}, got {got}", path=path, got=described(data))]
        )
    ((key, value),) = data.items()
    if key in ("all", "any"):
        if not isinstance(value, list):
            raise PolicyDataError([Message("{path}.{key}: expected a list of conditions", path=path,
                                           key=key)])
        parts = [condition_from_data(v, f"{path}.{key}[{i}]") for i, v in enumerate(value)]
        return all_(*parts) if key == "all" else any_(*parts)
    if key == "not":
        return not_(condition_from_data(value, f"{path}.not"))
    if key == "always" and value is True:
        return always()
    if key == "never" and value is True:
        return never()
    factories = {**{v: k for k, v in _ATTRIBUTE_FACTORIES.items()}, "has_tag": "tags"}
    if key in factories:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(
            isinstance(v, str) and v for v in values
        ):
            raise PolicyDataError([Message("{path}.{key}: expected a string or a list of strings",
                                           path=path, key=key)])
        if key == "has_tag":
            return _HasTag(tuple(values))
        return _AttributeIs(factories[key], tuple(values))
    known = sorted([*factories, "all", "any", "not", "always", "never", "fact"])
    raise PolicyDataError(
        [Message("{path}: unknown condition {key}{did_you_mean}; use one of {known}", path=path,
                 key=shown(key), did_you_mean=did_you_mean(key, known), known=known)])
