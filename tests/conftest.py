"""Fixtures shared by the test packages: a PostgreSQL server for the session, or a skip
(tests/storage/storage_testkit.py starts a throwaway cluster from the installed binaries)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.storage.storage_testkit import (
    POSTGRES_URL_VARIABLE,
    REQUIRE_POSTGRES_VARIABLE,
    PostgresUnavailable,
    throwaway_postgres,
)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for this test session, or a skip saying why there is none."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (extra: postgres)")
    if os.environ.get(POSTGRES_URL_VARIABLE):
        yield os.environ[POSTGRES_URL_VARIABLE]
        return
    try:
        with throwaway_postgres() as url:
            yield url
    except PostgresUnavailable as exc:
        if os.environ.get(REQUIRE_POSTGRES_VARIABLE) == "1":
            pytest.fail(f"PostgreSQL unavailable but {REQUIRE_POSTGRES_VARIABLE}=1: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
