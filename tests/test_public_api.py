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
            assert obj is slakit.SlakitError or issubclass(obj, ValueError | TypeError | LookupError), name


def test_importing_slakit_does_not_import_test_tools() -> None:
    code = "import sys, slakit; print(sorted(m for m in ('hypothesis', 'pytest') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
