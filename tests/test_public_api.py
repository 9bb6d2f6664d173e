"""The public API: one import path, errors in one hierarchy, no test-only imports."""

import subprocess
import sys

import slakit


def test_every_public_name_is_importable_from_slakit() -> None:
    for name in slakit.__all__:
        assert hasattr(slakit, name), name


def test_errors_share_one_base_and_a_builtin() -> None:
    for name in slakit.__all__:
        obj = getattr(slakit, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, slakit.SlakitError), name
            # ImportError: an optional dependency (an extra) is not installed.
            assert obj is slakit.SlakitError or issubclass(
                obj, ValueError | TypeError | LookupError | ImportError), name


def test_importing_slakit_does_not_import_test_tools() -> None:
    code = "import sys, slakit; print(sorted(m for m in ('hypothesis', 'pytest') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_library_raises_only_its_own_error_classes() -> None:
    """A bare built-in raise would escape `except slakit.SlakitError`."""
    import ast
    from pathlib import Path

    src = Path(slakit.__file__).parent
    bare = {"ValueError", "TypeError", "KeyError", "LookupError", "RuntimeError", "Exception"}
    # _strptime's ValueError mirrors datetime.strptime and is caught by its only caller.
    allowed = {("replay/_times.py", "ValueError")}
    found = []
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = getattr(node.exc.func, "id", None)
                where = (path.relative_to(src).as_posix(), name)
                if name in bare and where not in allowed:
                    found.append(f"{where[0]}:{node.lineno} raises {name}")
    assert found == []


def test_the_facade_is_the_union_of_the_subpackages() -> None:
    """slakit re-exports each subpackage's __all__ and nothing else (no second copy)."""
    from slakit import _errors

    expected = ["__version__", *_errors.__all__]
    for package in slakit._SUBPACKAGES:
        expected += package.__all__
    assert slakit.__all__ == expected
    assert len(set(expected)) == len(expected), "two subpackages export the same name"
    for package in (_errors, *slakit._SUBPACKAGES):
        for name in package.__all__:
            assert getattr(slakit, name) is getattr(package, name), (package.__name__, name)


def test_every_subpackage_is_in_the_facade_but_the_tools() -> None:
    import pkgutil

    found = {m.name for m in pkgutil.iter_modules(slakit.__path__) if not m.name.startswith("_")}
    assert found - {p.__name__.rpartition(".")[2] for p in slakit._SUBPACKAGES} == {
        "cli", "testing", "contrib"}  # contrib: framework recipes, imported only by the host


def test_a_subpackage_name_is_the_subpackage() -> None:
    """`import slakit.replay as r` used to give the workflow function that shadowed it."""
    import slakit.replay as r

    assert r.TicketLog is slakit.TicketLog
    for package in slakit._SUBPACKAGES:
        assert getattr(slakit, package.__name__.rpartition(".")[2]) is package


def test_documented_old_names_warn_and_resolve_to_the_new_ones() -> None:
    import pytest

    import slakit.triage
    import slakit.workflow

    with pytest.warns(DeprecationWarning, match="slakit.assignment.AssignmentPlan"):
        assert slakit.triage.AssignmentPlan is slakit.AssignmentPlan
    with pytest.warns(DeprecationWarning, match="slakit.text.normalise_text"):
        assert slakit.triage.normalise_text is slakit.normalise_text
    with pytest.warns(DeprecationWarning, match="slakit.workflow.apply_all"):
        assert slakit.workflow.replay is slakit.apply_all
    import slakit.plans

    with pytest.warns(DeprecationWarning, match="slakit.plans.apply_plan_events"):
        assert slakit.plans.replay_plans is slakit.plans.apply_plan_events
    assert "replay_plans" not in slakit.plans.__all__
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        slakit.triage.nothing  # noqa: B018
    for old in ("replay", "Agent", "normalise_text"):
        assert old not in slakit.workflow.__all__
        assert old not in slakit.triage.__all__


def test_the_engine_keeps_its_old_method_name_with_a_warning() -> None:
    from datetime import datetime, timezone

    import pytest

    engine = slakit.SlaEngine(slakit.PolicySet([], fallback=None))
    events = [slakit.TicketOpened(
        ticket="T", at=datetime(2025, 1, 6, 9, tzinfo=timezone.utc), event_id="1",
        priority="high", category=None, channel="chat", customer="c", customer_tier=None)]
    with pytest.warns(DeprecationWarning, match="SlaEngine.apply_all"):
        old = engine.replay(events)
    assert old == engine.apply_all(events)


def test_clock_results_keep_their_old_state_attribute_with_a_warning() -> None:
    from datetime import datetime, timedelta, timezone

    import pytest

    t0 = datetime(2025, 6, 2, 9, tzinfo=timezone.utc)
    policy = slakit.SlaPolicy("p", "1", targets=[slakit.MetricTarget(
        "first_response", "high", timedelta(minutes=30),
        slakit.NamedCalendar("24x7", slakit.AlwaysOpen()))])
    engine = slakit.SlaEngine(slakit.PolicySet([], fallback=policy, priorities=("high",)))
    _, state = engine.apply_all([slakit.TicketOpened(
        ticket="T", at=t0, event_id="1", priority="high", category=None, channel="chat",
        customer="c", customer_tier=None)])
    (result,) = state.at(t0)
    assert result.status == "running"
    with pytest.warns(DeprecationWarning, match="ClockResult.status"):
        assert result.state == "running"


def test_importing_slakit_needs_no_extra_and_imports_none() -> None:
    """``import slakit`` and the star imports work without SQLAlchemy and do not import it
    (it used to: the facade's star import asked for SQLAlchemyStore, so a plain install could
    not import slakit at all); the names needing it are imported on first use and say which
    extra to install."""
    code = """
import sys
sys.modules["sqlalchemy"] = None  # as if not installed
import slakit
from slakit import *
from slakit.storage import *
assert "SQLiteStore" in dir(slakit) and SQLiteStore is slakit.SQLiteStore
try:
    slakit.SQLAlchemyStore
except slakit.MissingExtraError as exc:
    print("refused:", "pip install 'slakit[sqlalchemy]'" in str(exc))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "refused: True"
    code = "import sys, slakit; print('sqlalchemy' in sys.modules, slakit.SQLAlchemyStore.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False SQLAlchemyStore"


def test_a_missing_name_is_an_attribute_error() -> None:
    import pytest

    with pytest.raises(AttributeError, match="module 'slakit' has no attribute 'Nope'"):
        slakit.Nope  # noqa: B018
