"""The documentation site builds with ``mkdocs build --strict``, offline, and renders the API.

One build (a few seconds) is shared by every test here. ``--strict`` turns every warning into
a failure: a broken link or anchor, a page missing from the nav, a docstring whose "Args:"
name parameters the signature lacks.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")
pytest.importorskip("material")
pytest.importorskip("mkdocstrings_handlers.python")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict",
         "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    # Not --quiet: it hides warnings from the --strict count.
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return out


def _page(site: Path, name: str) -> str:
    path = site / name / "index.html" if name else site / "index.html"
    return path.read_text(encoding="utf-8")


def test_every_nav_page_is_built(site: Path) -> None:
    for name in ["", "getting-started", "concepts/clocks", "howto/schedule-wakeups",
                 "reference/calendar", "reference/errors"]:
        assert "<h1" in _page(site, name), name


def test_nothing_is_fetched_from_the_network(site: Path) -> None:
    html = _page(site, "")
    assert "fonts.googleapis.com" not in html
    assert "fonts.gstatic.com" not in html


def test_api_reference_renders_public_names(site: Path) -> None:
    calendar = _page(site, "reference/calendar")
    for name in ["BusinessCalendar", "AlwaysOpen", "intersection", "Period"]:
        assert f'id="slakit.calendar.{name}"' in calendar
    sla = _page(site, "reference/sla")
    assert 'id="slakit.sla.next_wake_at"' in sla
    errors = _page(site, "reference/errors")
    assert 'id="slakit.SlakitError"' in errors


def test_attrs_classes_get_their_init_signature(site: Path) -> None:
    # griffe does not see attrs' generated __init__; docs/reference/_griffe_slakit.py adds it.
    policies = _page(site, "reference/policies")
    start = policies.index('id="slakit.policies.MetricDefinition"')
    signature = re.sub(r"<[^>]+>", "", policies[start:start + 6000])
    for parameter in ["name:", "starts:", "stops:", "repeats:", "pausable:"]:
        assert parameter in signature


def test_docstring_doctests_and_roles_are_rendered(site: Path) -> None:
    for name in ["calendar", "workflow", "storage", "policies", "sla", "triage", "replay"]:
        html = _page(site, f"reference/{name}")
        assert "<blockquote>" not in html, name  # ">>>" left as Markdown becomes nested quotes
        assert ":class:`" not in html, name  # Sphinx roles become cross-references
