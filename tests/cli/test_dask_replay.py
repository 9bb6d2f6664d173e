"""The Dask path gives exactly the sequential replay's results."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from slakit.cli import InputError, Source, run_replay
from slakit.cli.dask_replay import replay_with_dask

DATA = Path(__file__).resolve().parent.parent / "data"
POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "uci_weekdays.toml"
NOW = datetime(2017, 3, 1, tzinfo=timezone.utc)


def test_dask_bag_over_partitions_equals_the_sequential_replay() -> None:
    source = Source.open(DATA / "replay" / "uci_slice.csv.gz", None, "uci", "UTC")
    sequential: list[dict[str, Any]] = []
    distributed: list[dict[str, Any]] = []
    report_seq = run_replay(source, POLICY, NOW, on_record=sequential.append)
    # 37 tickets a partition: 11 partitions, in rounds of 2 (the last one short).
    report_dask = replay_with_dask(source, POLICY, NOW, workers=2, partition_size=37,
                                   scheduler="processes", on_record=distributed.append)
    assert len(sequential) == 399
    assert json.dumps(distributed) == json.dumps(sequential)
    assert json.dumps(report_dask, sort_keys=True) == json.dumps(report_seq, sort_keys=True)


def test_the_driver_holds_a_bounded_number_of_tickets(monkeypatch: pytest.MonkeyPatch) -> None:
    import slakit.cli.dask_replay as module

    source = Source.open(DATA / "replay" / "uci_slice.csv.gz", None, "uci", "UTC")
    read, folded, most = [0], [0], [0]
    original = module._partitions

    def counting(src: Source, size: int) -> Iterator[list[Any]]:
        for part in original(src, size):
            read[0] += len(part)
            most[0] = max(most[0], read[0] - folded[0])
            yield part

    def record(_: dict[str, Any]) -> None:
        folded[0] += 1

    monkeypatch.setattr(module, "_partitions", counting)
    report = replay_with_dask(source, POLICY, NOW, workers=2, partition_size=25,
                              scheduler="threads", on_record=record)
    assert (read[0], folded[0] + report["tickets"]["rejected"]) == (400, 400)
    # Read but not yet folded (rejections are folded without a record): never more than
    # two rounds of `workers` partitions, the one being judged and the one read ahead.
    assert 50 < most[0] <= 2 * 2 * 25 + report["tickets"]["rejected"]


def test_bad_sizes_are_refused() -> None:
    source = Source.open(DATA / "replay" / "uci_slice.csv.gz", None, "uci", "UTC")
    with pytest.raises(InputError, match="must be at least 1"):
        replay_with_dask(source, POLICY, NOW, workers=0)
