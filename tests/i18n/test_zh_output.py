"""The Chinese a shop's support manager reads: exact text of each sentence family."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from slakit import BusinessCalendar
from slakit.cli._explain import explain_lines
from slakit.cli._main import main
from slakit.desk import InMemoryNotifier
from slakit.policies import MetricTarget, NamedCalendar, PolicySet, SlaPolicy
from slakit.reports import fault_report
from slakit.sla import SlaEngine, due_escalations, evaluate_clocks
from slakit.storage import InMemoryStore
from slakit.workflow import AgentReplied, Event, TicketOpened
from tests.cli.test_main import GOOD, HEADER, MAPPING
from tests.cli.test_main import POLICY as OFFICE_POLICY
from tests.desk.desk_testkit import T0, make_desk, opened
from tests.reports.test_fault import EVENTS, OFFICE, POLICY, sh

UTC = ZoneInfo("UTC")
SHANGHAI_DESK = NamedCalendar(
    "office", BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Shanghai"), "2025")
ENGINE = SlaEngine(PolicySet([], fallback=SlaPolicy("standard", "1", targets=[
    MetricTarget("first_response", "normal", timedelta(hours=1), SHANGHAI_DESK),
    MetricTarget("resolution", "normal", timedelta(hours=8), SHANGHAI_DESK),
]), priorities=("normal",)))
# Opened Friday 17:00 Shanghai time (09:00 UTC), answered 30 minutes later.
TICKET: list[Event] = [
    TicketOpened(ticket="T-1", at=datetime(2025, 6, 6, 9, 0, tzinfo=UTC), event_id="1",
                 priority="normal", category="delivery", channel="email", customer="c",
                 customer_tier=None),
    AgentReplied(ticket="T-1", at=datetime(2025, 6, 6, 9, 30, tzinfo=UTC), event_id="2"),
]
NOW = datetime(2025, 6, 9, 3, 0, tzinfo=UTC)  # Monday 11:00 in Shanghai


def _explain(lang: str) -> list[str]:
    ticket, sla = ENGINE.apply_all(TICKET)
    clocks = evaluate_clocks(sla, NOW, explain=True)
    return explain_lines(ticket, clocks, due_escalations(sla, NOW), NOW,
                         sla.choice.describe(lang), lang=lang)


def test_a_clock_explanation_in_chinese() -> None:
    assert _explain("zh-CN")[:9] == [
        "工单 T-1：状态 new，优先级 normal，创建于 周五 2025-06-06 17:00；"
        "策略 'standard' v1（兜底）；计算时间 周一 2025-06-09 11:00",
        "",
        "  首次响应 第1轮：已达标（目标 1:00，工作日历 office v2025；策略 standard v1）",
        "    开始 周五 2025-06-06 17:00，到期 周一 2025-06-09 09:00，结束 周五 2025-06-06 17:30",
        "    已计工作时间 0:30，剩余 0:30，暂停 0:00",
        "    计入（计时期间的工作时间）：1 段，共 0:30",
        "      周五 2025-06-06 17:00 -> 周五 2025-06-06 17:30  (0:30)",
        "",
        "  解决 第1轮：计时中（目标 8:00，工作日历 office v2025；策略 standard v1）",
    ]
    assert _explain("zh-CN")[-2:] == [
        "    不计入（非工作时间：夜间、周末、节假日）：1 段，共 63:00",
        "      周五 2025-06-06 18:00 -> 周一 2025-06-09 09:00  (63:00)",
    ]


def test_the_explanation_shows_every_time_in_the_desk_zone_in_english_too() -> None:
    """The header's opening and `now` were UTC while the clocks were Shanghai time."""
    assert _explain("en")[0] == (
        "Ticket T-1: status new, priority normal, opened Fri 2025-06-06 17:00; "
        "policy 'standard' v1 (fallback); evaluated at Mon 2025-06-09 11:00")


def test_a_decision_sentence_in_chinese() -> None:
    texts = {}
    for language in ("zh", "zh-CN"):
        notifier = InMemoryNotifier()
        desk = make_desk(InMemoryStore(), notifier, language=language)
        desk.record("店铺A", [opened("T-1")], T0)
        desk.wake(T0 + timedelta(minutes=61))
        texts[language] = [d.text for d in notifier.delivered]
    assert texts["zh-CN"] == texts["zh"]
    assert texts["zh-CN"][2] == (
        "工单 T-1（店铺A）：首次响应已超时30m（第2级），2025-06-02 10:00；通知 head_of_support。")


def test_a_fault_report_header_in_chinese() -> None:
    report = fault_report(EVENTS, SlaEngine(POLICY), sh(5, 12), zone="Asia/Shanghai",
                          calendar=OFFICE, lang="zh-CN")
    text = report.to_markdown()
    assert text.splitlines()[:9] == [
        "# 故障分析报告：INC-7", "", "## 概要", "", "|  |  |", "| --- | --- |",
        "| 主题 | 支付失败 \\| payments fail |", "| 优先级 | urgent |", "| 类别 | payment |"]
    assert "| 响应 | 首次响应 #1 | 30 分钟 | 25 分钟 | 已达标 | 2025-03-03 09:30 | " \
           "2025-03-03 09:25 |" in text
    assert "| 2025-03-03 09:20 | 指派给 li（L2） | dispatcher |" in text
    assert "| 2025-03-03 13:00 | 解决 | fix-missed | 0 | 解决（第1轮，目标 4:00:00）已超时 |" in text
    html = report.to_html()
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n'
                           "<title>故障分析报告：INC-7</title>")


def _replay(tmp_path: Path, *options: str, environ: dict[str, str]) -> tuple[int, str, str]:
    log, mapping = tmp_path / "log.csv", tmp_path / "mapping.toml"
    log.write_text(HEADER + GOOD, encoding="utf-8")
    mapping.write_text(MAPPING, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["replay", str(log), "--mapping", str(mapping), "--policy", str(OFFICE_POLICY),
                 "--now", "2026-01-31T00:00:00+00:00", *options],
                stdout=out, stderr=err, environ=environ)
    return code, out.getvalue().replace(str(log), "log.csv"), err.getvalue()


def test_the_cli_summary_in_chinese_from_lang_or_the_locale(tmp_path: Path) -> None:
    expected = "\n".join([
        "slakit 回放 log.csv，计算时间 2026-01-31T00:00:00+00:00",
        "工单：已回放 3 个，拒绝 0 个；事件 6 条",
        "",
        "指标               优先级        已达标   已超时  计时中     达标率   工作时间中位数",
        "首次响应           normal             3        0       0     100.0%           1 小时",
        "首次响应           全部               3        0       0     100.0%           1 小时",
        "解决               normal             3        0       0     100.0%           1 小时",
        "解决               全部               3        0       0     100.0%           1 小时",
    ]) + "\n"
    assert _replay(tmp_path, environ={"LANG": "zh_CN.UTF-8"}) == (0, expected, "")
    assert _replay(tmp_path, "--lang", "zh-CN", environ={"LANG": "en_US.UTF-8"}) == (
        0, expected, "")
    code, out, _ = _replay(tmp_path, "--lang", "en", environ={"LANG": "zh_CN.UTF-8"})
    assert (code, out.splitlines()[1]) == (0, "tickets: 3 replayed, 0 rejected; 6 events")


def test_an_unknown_lang_exits_4_naming_the_supported_ones(tmp_path: Path) -> None:
    code, out, err = _replay(tmp_path, "--lang", "fr", environ={})
    assert (code, out) == (4, "")
    assert err == ("slakit: language 'fr' is not supported; use one of en, zh-CN (locale "
                   "spellings such as 'zh_CN.UTF-8' or 'en_US' work too)\n")


def test_the_html_report_in_chinese_and_its_language_scoped_to_the_render(
        tmp_path: Path) -> None:
    from slakit.cli._labels import label

    page = tmp_path / "report.html"
    code, _, _ = _replay(tmp_path, "--html", str(page), "--quiet", environ={"LANG": "zh_CN"})
    html = page.read_text(encoding="utf-8")
    assert code == 0
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n'
                           "<title>SLA 达标报告: ")
    assert "<h1>SLA 达标报告</h1>" in html
    assert "<h2>目标与工作日历</h2>" in html
    assert "达标率 = 达标数 /（达标数 + 超时数）。" in html
    assert label("title") == "SLA compliance report"   # nothing leaks past the render
    _replay(tmp_path, "--html", str(page), "--quiet", environ={})
    english = page.read_text(encoding="utf-8")
    assert english.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<h1>SLA compliance report</h1>" in english


def test_a_compare_flip_reason_in_chinese_and_english() -> None:
    from slakit.cli._compare import flips

    clock = {"cycle": 1, "status": "met", "target_s": 7200.0, "calendar": "office",
             "due_at": "2025-06-02T11:00:00+08:00", "business_s": 5400.0}
    a = {"ticket": "T-9", "metrics": {"resolution": [clock]}}
    b = {"ticket": "T-9", "metrics": {"resolution": [
        {**clock, "status": "breached", "target_s": 3600.0, "due_at": "2025-06-02T10:00:00+08:00"}]}}
    zh = flips(a, b, lang="zh-CN")[0]
    assert (zh["a"], zh["b"]) == ("met", "breached")     # outcomes stay data
    assert zh["reason"] == (
        "A：目标 2 h（工作日历 office），到期 2025-06-02T11:00:00+08:00，已计 1.5 小时，已达标；"
        "B：目标 1 h（工作日历 office），到期 2025-06-02T10:00:00+08:00，已计 1.5 小时，已超时")
    assert flips(a, b)[0]["reason"] == (
        "A: target 2 h on office, due 2025-06-02T11:00:00+08:00, 1.5 h counted, met; "
        "B: target 1 h on office, due 2025-06-02T10:00:00+08:00, 1.5 h counted, breached")
    assert flips(a, {"ticket": "T-9", "metrics": {}}, lang="zh-CN")[0]["reason"].endswith(
        "B：无计时（该优先级没有目标）")


def test_escalation_reasons_in_both_languages() -> None:
    from slakit.policies import EscalationRule, at_fraction, breach_ladder, notify
    from slakit.sla import due_escalations

    policy = SlaPolicy("standard", "1", targets=[
        MetricTarget("first_response", "normal", timedelta(hours=1), SHANGHAI_DESK)],
        escalations=[
            EscalationRule("half", "first_response", at_fraction(0.5), [notify("lead")]),
            *breach_ladder("late", "first_response", [
                (timedelta(0), [notify("duty")]), (timedelta(minutes=30), [notify("head")])]),
        ])
    engine = SlaEngine(PolicySet([], fallback=policy, priorities=("normal",)))
    _, sla = engine.apply_all(TICKET[:1])
    assert [d.reason for d in due_escalations(sla, NOW, lang="zh-CN")] == [
        "首次响应（第1轮，目标 1:00:00）已用去目标时间的 50%",
        "首次响应（第1轮，目标 1:00:00）已超时（第1级）",
        "首次响应（第1轮，目标 1:00:00）已超时，超出 0:30:00（第2级）",
    ]
    assert [d.reason for d in due_escalations(sla, NOW)] == [
        "first_response (cycle 1, target 1:00:00) reached 50% of its target",
        "first_response (cycle 1, target 1:00:00) breached its target (level 1)",
        "first_response (cycle 1, target 1:00:00) breached its target and is 0:30:00 past it "
        "(level 2)",
    ]
