"""The command line on bad and odd inputs: exit codes, messages, and nothing written.

Runs ``slakit.cli.main`` in-process (the same code as the command, without a process per
case). Every damaged input must end in exit 4 with a message naming the file and line,
never a traceback, and leave no output file behind.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from slakit import TicketOpened, event_to_json
from slakit.cli import main

DATA = Path(__file__).resolve().parent.parent / "data"
POLICY = DATA / "cli" / "office_policy.toml"
UCI_POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "uci_weekdays.toml"
NOW = "2026-01-31T00:00:00+00:00"
HEADER = "id,at,state,prio\n"
GOOD = "".join(f"T{i},2025-01-06 09:0{i},New,2\nT{i},2025-01-06 10:0{i},Done,2\n"
               for i in range(1, 4))
MAPPING = ('ticket = "id"\n[time]\ncolumn = "at"\nformat = "%Y-%m-%d %H:%M"\n'
           'timezone = "UTC"\n[status]\ncolumns = ["state"]\n[status.map]\nNew = "new"\n'
           'Done = "resolved"\n[fields.priority]\ncolumn = "prio"\nmap = { "2" = "normal" }\n')


def run(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    path = tmp_path / "desk.toml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def _gz(text: str) -> bytes:
    return gzip.compress(text.encode(), mtime=0)


BIG = HEADER + "".join(f"T{i},2025-01-06 09:00,New,2\n" for i in range(20_000))
FAST_POLICY = POLICY.read_text(encoding="utf-8") + (
    '\n[[fallback.escalations]]\nname = "nag"\nmetric = "resolution"\n'
    'trigger = { every = "PT1S" }\nactions = [{ notify = ["lead"] }]\n')

CORPUS = [
    ("latin1.csv", (HEADER + "T1,2025-01-06 09:00,Résolu,2\n").encode("latin-1"),
     "latin1.csv:2: byte b'\\xe9' is not UTF-8"),
    ("utf16.csv", (HEADER + GOOD).encode("utf-16"), "utf16.csv:1: the log is UTF-16 text"),
    ("binary.csv", HEADER.encode() + b"\x00\x01\x02\x03\n", "binary.csv:2: the line holds NUL"),
    ("truncated.csv.gz", _gz(BIG)[:-2000], "the gzip file ends early"),
    ("corrupt.csv.gz", _gz(BIG)[:40] + b"\xff" * 64 + _gz(BIG)[104:], "gzip data is corrupt"),
    ("notgzip.csv.gz", (HEADER + GOOD).encode(), "notgzip.csv.gz:1: the gzip data is corrupt"),
    ("quote.csv", (HEADER + 'T1,2025-01-06 09:00,"New,2\n' + GOOD).encode(),
     "quote.csv:2: a quoted field opened here is never closed"),
    ("wide.csv", (HEADER + "T1,2025-01-06 09:00,New," + "9" * (csv.field_size_limit() + 1)
                  + "\n").encode(), "wide.csv:2: a field is longer than 131,072 characters"),
]


@pytest.mark.parametrize(("name", "data", "message"), CORPUS, ids=[c[0] for c in CORPUS])
def test_a_damaged_log_exits_4_with_file_line_and_writes_nothing(
    tmp_path: Path, mapping: Path, name: str, data: bytes, message: str
) -> None:
    log = tmp_path / name
    log.write_bytes(data)
    outputs = tmp_path / "out"
    outputs.mkdir()
    code, stdout, stderr = run("replay", log, "--mapping", mapping, "--policy", POLICY, "--now",
                               NOW, "--out", outputs / "t.jsonl", "--report", outputs / "r.json",
                               "--html", outputs / "r.html", "--quiet")
    assert (code, stdout) == (4, "")
    assert message in stderr
    assert "Traceback" not in stderr
    assert list(outputs.iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["--now", "0001-01-01T00:00:00+14:00"], "outside the supported range"),
    (["--now", "9999-12-31T23:59:59-14:00"], "outside the supported range"),
    (["--now", "0001-12-31T23:59:59+00:00"], "0002-01-01T00:00:00Z to 9998-12-31T23:59:59"),
])
def test_now_outside_the_supported_range_is_refused(
    tmp_path: Path, mapping: Path, args: list[str], message: str
) -> None:
    log = tmp_path / "desk.csv"
    log.write_text(HEADER + GOOD, encoding="utf-8")
    code, _, stderr = run("replay", log, "--mapping", mapping, "--policy", POLICY, *args)
    assert (code, message in stderr) == (4, True)


def test_bom_csv_from_excel_replays_like_the_plain_file(tmp_path: Path, mapping: Path) -> None:
    reports = []
    for name, prefix in (("plain.csv", b""), ("excel.csv", b"\xef\xbb\xbf")):
        log = tmp_path / name
        log.write_bytes(prefix + (HEADER + GOOD).encode())
        report = tmp_path / f"{name}.json"
        assert run("replay", log, "--mapping", mapping, "--policy", POLICY, "--now", NOW,
                   "--report", report, "--quiet")[0] == 0
        reports.append(json.loads(report.read_text(encoding="utf-8")))
    assert reports[0]["tickets"] == reports[1]["tickets"]
    assert reports[1]["tickets"]["replayed"] == 3


def test_rejected_counts_tickets_and_names_every_bad_line(tmp_path: Path, mapping: Path) -> None:
    # T2 has two short rows (lines 4 and 6): one rejected ticket naming both. A row with no
    # ticket id is a bad line, counted apart.
    rows = (HEADER + "T1,2025-01-06 09:00,New,2\nT2,2025-01-06 09:00,New,2\nT2,2025-01-06\n"
            "T2,2025-01-06 10:00,Done,2\nT2,x\nT3,2025-01-06 09:00,New,2\n,2025-01-06 09:00,New,2\n")
    log = tmp_path / "desk.csv"
    log.write_text(rows, encoding="utf-8")
    report = tmp_path / "r.json"
    code, stdout, _ = run("replay", log, "--mapping", mapping, "--policy", POLICY, "--now", NOW,
                          "--report", report)
    assert code == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["tickets"]["replayed"], data["tickets"]["rejected"],
            data["tickets"]["bad_lines"]) == (2, 1, 1)
    t2 = next(i for i in data["rejected"]["items"] if i["ticket"] == "T2")
    assert (t2["line"], t2["lines"]) == (4, [4, 6])
    assert "tickets: 2 replayed, 1 rejected, 1 lines naming no ticket" in stdout


def test_tickets_without_a_clock_are_reported_and_strict_fails(tmp_path: Path) -> None:
    # The scenario: the helpdesk preset (priorities normal/important/...) under the
    # UCI policy (critical/high/moderate/low) judged nothing and printed an empty table.
    log = DATA / "replay" / "helpdesk4tu_slice.csv.gz"
    report, html = tmp_path / "r.json", tmp_path / "r.html"
    code, stdout, _ = run("replay", log, "--preset", "helpdesk4tu", "--policy", UCI_POLICY,
                          "--now", "2017-03-01T00:00:00+00:00", "--report", report,
                          "--html", html)
    assert code == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["tickets"]["no_clock"] == data["tickets"]["replayed"] == 300
    reasons = {e["reason"]: e["tickets"] for e in data["no_clock"]}
    ladder = "(critical, high, moderate, low)"
    assert set(reasons) <= {f"priority {p!r} is not in the policy set's priorities {ladder}"
                            for p in ("normal", "important", "urgent", "suggestion")}
    assert sum(reasons.values()) == 300
    assert "warning: 300 of 300 tickets got no SLA clock:" in stdout
    assert "priority 'normal' is not in the policy set's priorities" in stdout
    page = html.read_text(encoding="utf-8")
    assert "<h2>Warning: 300 of 300 tickets got no SLA clock</h2>" in page
    assert '<section class="warning">' in page
    code, _, stderr = run("replay", log, "--preset", "helpdesk4tu", "--policy", UCI_POLICY,
                          "--now", "2017-03-01T00:00:00+00:00", "--strict", "--quiet")
    assert code == 3
    assert "helpdesk4tu_slice.csv.gz:2: ticket Case 1: no SLA clock: priority 'normal'" in stderr


def test_a_timezone_conflicting_with_the_presets_is_refused(tmp_path: Path) -> None:
    log = DATA / "replay" / "helpdesk4tu_slice.csv.gz"
    code, _, stderr = run("replay", log, "--preset", "helpdesk4tu", "--timezone", "UTC",
                          "--policy", UCI_POLICY, "--now", "2017-03-01T00:00:00+00:00")
    assert code == 4
    assert "--timezone UTC conflicts with preset helpdesk4tu" in stderr
    assert "Europe/Rome" in stderr
    same = run("replay", log, "--preset", "helpdesk4tu", "--timezone", "Europe/Rome",
               "--policy", UCI_POLICY, "--now", "2017-03-01T00:00:00+00:00", "--quiet")
    assert same[0] == 0


def test_sub_minute_repeats_are_refused_unless_asked(tmp_path: Path, mapping: Path) -> None:
    policy = tmp_path / "fast.toml"
    policy.write_text(FAST_POLICY, encoding="utf-8")
    log = tmp_path / "desk.csv"
    log.write_text(HEADER + "T1,2026-01-30 09:00,New,2\n", encoding="utf-8")
    code, _, stderr = run("replay", log, "--mapping", mapping, "--policy", policy, "--now", NOW)
    assert code == 4
    assert "rule 'nag': every 0:00:01" in stderr
    assert "--allow-fast-repeats" in stderr
    out = tmp_path / "t.jsonl"
    code, _, _ = run("replay", log, "--mapping", mapping, "--policy", policy, "--now",
                     "2026-01-30T10:00:00+00:00", "--out", out, "--allow-fast-repeats",
                     "--quiet")
    assert code == 0
    (record,) = map(json.loads, out.read_text(encoding="utf-8").splitlines())
    # One business hour of a per-second reminder: 3,600 occurrences, counted not built.
    assert record["escalations"] == 3600


def test_explain_escapes_control_characters_from_ticket_ids(tmp_path: Path) -> None:
    bad_id = "T1\x1b]0;pwned\x07\x1b[2J\u202e"
    log = tmp_path / "events.jsonl"
    opened = TicketOpened(ticket=bad_id, at=datetime(2025, 1, 6, 9, tzinfo=timezone.utc),
                          event_id="e0", priority="normal", category=None, channel=None,
                          customer=None, customer_tier=None)
    log.write_text(event_to_json(opened) + "\n", encoding="utf-8")
    code, stdout, stderr = run("explain", log, bad_id, "--policy", POLICY, "--now", NOW)
    assert code == 0, stderr
    assert "Ticket T1\\u001b]0;pwned\\u0007\\u001b[2J\\u202e: status new" in stdout
    assert not any(ord(c) < 32 and c != "\n" for c in stdout)
    assert "\u202e" not in stdout


# -- Chinese: problems, rejections and no-clock reasons in the run's language ---------------

BAD_POLICY = """\
format = "slakit.sla-policies/1"
version = "1"
priorities = ["urgent", "normal"]
prioritys = 3

[calendars.office]
version = "1"
timezone = "Asia/Shanghai"
weekly = { mon = [["09:00", "18:00"], ["17:00", "20:00"]], tue = [["9 am", "18:00"]] }

[[policies]]
name = "standard"
version = "1"
fallback = "yes"
targets = [
  { metric = "first_response", priority = "urgent", within = "30 minutes", calendar = "office" },
  { metric = "resolution", priority = "urgent", within = "PT4H", calendar = "ofice" },
  { metric = "resolution", priority = "normal", calendar = "office", extra = true },
]

[[policies.escalations]]
name = "late"
metric = "first_response"
trigger = { after_breach = "PT0S", extra = 1 }
actions = [{ notify = "duty_manager" }]
"""
BAD_POLICY_EN = """\
slakit: invalid SLA policy data (10 problems):
  - prioritys: unknown key (did you mean 'priorities'?); the top level takes format, version, \
priorities, calendars, policies, fallback, metrics, fields
  - calendars.office.weekly['mon']: intervals ['09:00', '18:00'] and ['17:00', '20:00'] \
overlap; merge them or fix one end
  - calendars.office.weekly['tue'][0]: cannot read time '9 am'; write it as 'HH:MM' \
(24-hour clock)
  - policies[0].fallback: unknown key; a policy takes name, version, when, targets, \
priority_change, peaks, escalations, metric_settings, effective_from, effective_until
  - policies[0].targets[0].within: expected an ISO 8601 duration such as 'PT30M' or 'P3D', \
a shorthand such as '30m', '4h', '1h30m' or '2d', or working days such as '3wd' or \
'1wd@16:00' (next working day by 16:00), got '30 minutes'
  - policies[0].targets[1].calendar: unknown calendar 'ofice'; define it under 'calendars' \
(known: [])
  - policies[0].targets[2].extra: unknown key; a target takes metric, priority, within, calendar
  - policies[0].targets[2].within: missing; a target needs it
  - policies[0].escalations[0].trigger: expected one of {'fraction': 0.5}, \
{'before_due': 'PT15M'}, {'after_breach': 'PT30M'}, {'every': 'PT30M'}; got \
{'after_breach': 'PT0S', 'extra': 1}
  - policies[0].escalations[0].actions[0]: expected {'notify'|'reassign'|'raise_priority': \
[...]}, got {'notify': 'duty_manager'}
"""
BAD_POLICY_ZH = """\
slakit: SLA 策略数据无效（10 个问题）：
  - prioritys: 未知的键（是否想写 'priorities'？）；顶层可用的键为 format, version, priorities, \
calendars, policies, fallback, metrics, fields
  - calendars.office.weekly['mon']: 时间段 ['09:00', '18:00'] 与 ['17:00', '20:00'] 重叠；\
请合并，或改正其中一端
  - calendars.office.weekly['tue'][0]: 无法读取时间 '9 am'；请写成 'HH:MM'（24 小时制）
  - policies[0].fallback: 未知的键；策略可用的键为 name, version, when, targets, \
priority_change, peaks, escalations, metric_settings, effective_from, effective_until
  - policies[0].targets[0].within: 应为 ISO 8601 时长（例如 'PT30M' 或 'P3D'）、简写（例如 \
'30m'、'4h'、'1h30m' 或 '2d'），或工作日（例如 '3wd'，或 '1wd@16:00' 表示下一个工作日 16:00 前），\
实际是 '30 minutes'
  - policies[0].targets[1].calendar: 未知的日历 'ofice'；请在 'calendars' 下定义它（已定义：[]）
  - policies[0].targets[2].extra: 未知的键；目标可用的键为 metric, priority, within, calendar
  - policies[0].targets[2].within: 缺少此项；目标必须有它
  - policies[0].escalations[0].trigger: 应为 {'fraction': 0.5}、{'before_due': 'PT15M'}、\
{'after_breach': 'PT30M'}、{'every': 'PT30M'} 之一；实际是 {'after_breach': 'PT0S', 'extra': 1}
  - policies[0].escalations[0].actions[0]: 应为 {'notify'|'reassign'|'raise_priority': [...]}，\
实际是 {'notify': 'duty_manager'}
"""


def run_in(environ: dict[str, str], *args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in args], stdout=out, stderr=err, environ=environ)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("how", "expected"), [
    ((["--lang", "zh-CN"], {}), BAD_POLICY_ZH),
    (([], {"LANG": "zh_CN.UTF-8"}), BAD_POLICY_ZH),
    (([], {}), BAD_POLICY_EN),
    ((["--lang", "en"], {"LANG": "zh_CN.UTF-8"}), BAD_POLICY_EN),
])
def test_a_bad_policy_file_lists_every_problem_in_the_runs_language(
        tmp_path: Path, how: tuple[list[str], dict[str, str]], expected: str) -> None:
    options, environ = how
    policy = tmp_path / "bad.toml"
    policy.write_text(BAD_POLICY, encoding="utf-8")
    log = tmp_path / "events.jsonl"
    log.write_text("", encoding="utf-8")
    code, stdout, stderr = run_in(environ, "replay", log, "--policy", policy, *options)
    assert (code, stdout, stderr) == (4, "", expected)


def test_rejections_and_strict_speak_chinese(tmp_path: Path, mapping: Path) -> None:
    rows = (HEADER + "T1,2025-01-06 09:00,New,2\nT2,2025-01-06 09:00,New,2\nT2,2025-01-06\n"
            "T2,2025-01-06 10:00,Done,2\nT2,x\nT3,2025-01-06 09:00,Lost,2\n")
    log = tmp_path / "desk.csv"
    log.write_text(rows, encoding="utf-8")
    report = tmp_path / "r.json"
    code, stdout, _ = run("replay", log, "--mapping", mapping, "--policy", POLICY, "--now", NOW,
                          "--lang", "zh-CN", "--report", report)
    assert code == 0
    assert stdout.split("\n")[-3] == "拒绝：1 2 行有误, 1 未知的状态 'Lost'"
    data = json.loads(report.read_text(encoding="utf-8"))  # the data stays English
    assert data["rejected"]["by_reason"] == {"2 bad lines": 1, "unknown status 'Lost'": 1}
    code, _, stderr = run("replay", log, "--mapping", mapping, "--policy", POLICY, "--now", NOW,
                          "--lang", "zh-CN", "--strict", "--quiet")
    assert code == 3
    assert stderr == (f"slakit: --strict: {log}:4（第 4, 6 行）: 工单 T2：2 行有误："
                      "第 4 行：CSV 行格式错误：有 2 个单元格，表头有 4 个; "
                      "第 6 行：CSV 行格式错误：有 2 个单元格，表头有 4 个\n")


def test_no_clock_reasons_are_said_in_chinese(tmp_path: Path) -> None:
    log = DATA / "replay" / "helpdesk4tu_slice.csv.gz"
    html = tmp_path / "r.html"
    code, stdout, _ = run("replay", log, "--preset", "helpdesk4tu", "--policy", UCI_POLICY,
                          "--now", "2017-03-01T00:00:00+00:00", "--lang", "zh-CN",
                          "--html", html)
    assert code == 0
    assert ("优先级 'normal' 不在策略集的优先级中（critical, high, moderate, low）"
            in stdout)
    assert ("优先级 &#x27;normal&#x27; 不在策略集的优先级中（critical, high, moderate, low）"
            in html.read_text(encoding="utf-8"))


def test_input_errors_speak_chinese(tmp_path: Path) -> None:
    code, _, stderr = run("replay", tmp_path / "missing.csv", "--policy", POLICY,
                          "--lang", "zh-CN")
    assert (code, stderr) == (4, f"slakit: 日志文件 {tmp_path / 'missing.csv'} 不存在\n")
    log = tmp_path / "e.jsonl"
    log.write_text("", encoding="utf-8")
    code, _, stderr = run("replay", log, "--policy", POLICY, "--now", "2025-01-01T00:00",
                          "--lang", "zh-CN")
    assert (code, stderr) == (4, "slakit: --now：'2025-01-01T00:00' 没有 UTC 偏移；请加上，例如 +08:00\n")
