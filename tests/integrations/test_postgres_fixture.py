"""The throwaway PostgreSQL cluster behind the contract tests: found, started, or explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.storage import storage_testkit as store_testkit
from tests.storage.storage_testkit import PostgresUnavailable, throwaway_postgres


def test_without_server_binaries_the_reason_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(store_testkit, "DEBIAN_POSTGRES", tmp_path / "nothing-here")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PostgresUnavailable, match=r"not installed .*run \.ci/postgres\.sh"), \
            throwaway_postgres():
        pass


def test_the_newest_installed_version_is_chosen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for version in ("9", "15", "13"):
        (tmp_path / version / "bin").mkdir(parents=True)
        (tmp_path / version / "bin" / "initdb").touch()
    monkeypatch.setattr(store_testkit, "DEBIAN_POSTGRES", tmp_path)
    assert store_testkit._postgres_bindir() == tmp_path / "15" / "bin"
