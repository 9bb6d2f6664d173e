"""slakit.testing is optional: slakit never imports it, and it says how to get Hypothesis."""

from __future__ import annotations

import subprocess
import sys

import slakit
import slakit.testing
from slakit import SlakitError
from slakit.testing import InvariantViolation, MissingTestDependencyError

WITHOUT_HYPOTHESIS = """
import sys
sys.modules["hypothesis"] = None  # as if it were not installed
import slakit
try:
    import slakit.testing
except ImportError as exc:
    from slakit import SlakitError
    print(type(exc).__name__, isinstance(exc, SlakitError), exc.name)
    print(exc)
else:
    print("imported")
"""


def test_without_hypothesis_the_import_fails_with_the_fix() -> None:
    out = subprocess.run([sys.executable, "-c", WITHOUT_HYPOTHESIS], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert out[0] == "MissingTestDependencyError True hypothesis"
    assert "pip install hypothesis" in out[1]


def test_the_missing_dependency_error_is_an_import_error_and_a_slakit_error() -> None:
    assert issubclass(MissingTestDependencyError, ImportError)
    assert issubclass(MissingTestDependencyError, SlakitError)
    assert MissingTestDependencyError().name == "hypothesis"


def test_slakit_does_not_reexport_or_import_the_testing_package() -> None:
    assert not set(slakit.testing.__all__) & set(slakit.__all__)
    code = "import sys, slakit; print('slakit.testing' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_public_name_resolves_and_violations_are_assertion_errors() -> None:
    for name in slakit.testing.__all__:
        assert hasattr(slakit.testing, name), name
    assert issubclass(InvariantViolation, AssertionError)
    assert issubclass(InvariantViolation, SlakitError)
    for name in slakit.testing.__all__:
        obj = getattr(slakit.testing, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, SlakitError), name
