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
