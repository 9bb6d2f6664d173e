"""The Dask path gives exactly the sequential replay's results."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from slakit.cli import Source, run_replay
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
