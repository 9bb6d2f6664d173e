"""Shared set-up for the integration examples.

examples/ is not installed: it is made importable here (the storage contract suite, imported
as ``tests.storage``, also runs against the Django example's store). Django's settings are global to
the process, so they are configured once, here, for every module that needs them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def django_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Django configured on a SQLite file, the example app and slakit.contrib.django migrated."""
    django = pytest.importorskip("django", reason="Django is not installed (extra: django)")
    from django.conf import settings
    from django.core.management import call_command

    path = tmp_path_factory.mktemp("django") / "desk.sqlite3"
    options: dict[str, object] = {"timeout": 30}
    if django.VERSION >= (5, 1):
        # Writers take SQLite's write lock when their transaction starts, so concurrent
        # writers queue instead of failing with "database is locked" on lock upgrade.
        options["transaction_mode"] = "IMMEDIATE"
    if settings.configured:
        pytest.fail("Django was configured before the django_db fixture; configure it only here")
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth",
                        "django.contrib.admin", "examples.django_app", "slakit.contrib.django"],
        # slakit.contrib.django's desk: built by tests/integrations/test_contrib_django.py
        SLAKIT_DESK="tests.integrations.test_contrib_django:build_desk",
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
                               "OPTIONS": options}},
        USE_TZ=True,
        TIME_ZONE="UTC",
    )
    django.setup()
    call_command("migrate", verbosity=0)
    return path
