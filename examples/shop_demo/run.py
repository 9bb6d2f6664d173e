"""A Chinese shop's after-sales desk, end to end, on GENERATED data (not a real shop's log).

Run: ``python examples/shop_demo/run.py [--out DIR]`` (default ``out/shop``), or
``python3 dev.py demo --shop``. Everything below is made up by this script from a fixed seed,
so every run writes the same files:

1. **Generate** six weeks of customer messages (20 October - 30 November 2025, Shanghai),
   written in Chinese from a few templates, with a sales peak around 11.11 (Singles' Day):
   more tickets from 1 to 12 November, and slower replies while the desk is swamped.
2. **Triage** each message with slakit's shipped example rules (``default_classifier``):
   priority and category, with the rule that decided.
3. **Assign** it to a team and agent (logistics questions to 物流组, the rest to 售后一组 or
   售后二组), and write the ticket's events (opened, assigned, replies, waiting on the
   customer, resolved, rated, closed) as canonical slakit JSON Lines:
   ``generated_shop_events.jsonl``.
4. **Replay** them with ``slakit replay`` through ``examples/sla_policies.toml``: 7x24,
   7x12 and office (CN holidays) calendars, the 11.11 peak window's tighter targets, and the
   escalation ladder. Out come the per-ticket lines, the JSON report and the HTML report.

The desk is clearly labelled as generated everywhere: the file names, the first line printed,
and the log name the report shows.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from slakit.cli import main as slakit_main
from slakit.triage import TriageInput, default_classifier
from slakit.workflow import (
    AgentReplied,
    CustomerReplied,
    Event,
    StatusChanged,
    TicketAssigned,
    TicketClosed,
    TicketOpened,
    TicketRated,
    TicketResolved,
    event_to_json,
)

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "examples" / "sla_policies.toml"
SH = ZoneInfo("Asia/Shanghai")
FIRST_DAY, LAST_DAY = date(2025, 10, 20), date(2025, 11, 30)
PEAK = (date(2025, 11, 1), date(2025, 11, 12))  # the policy's "11.11" peak window
NOW = datetime(2025, 12, 1, 12, 0, tzinfo=SH)
SEED = 20251111
LABEL = "GENERATED DATA (生成的演示数据): a made-up shop desk, not a real log"

# Triage's ladder -> the SLA policies' ladder (the host joins the two).
SLA_PRIORITY = {"urgent": "urgent", "important": "important", "normal": "normal",
                "suggestion": "low"}  # fmt: skip

MESSAGES = [  # (weight, subject, body): what customers of a shop write
    (10, "快递三天没动", "我的包裹物流信息一直不更新，什么时候能到？"),
    (8, "物流太慢了", "下单一周了还没收到货，请帮忙催一下快递。"),
    (9, "申请退货", "衣服尺码不合适，想退货退款。"),
    (6, "换货", "鞋子大了一码，能换小一码吗？"),
    (7, "商品有质量问题", "收到的杯子有裂缝，要求换新。"),
    (5, "账号登录不了", "忘记密码，手机号也换了，登录不了。"),
    (6, "发票", "请帮我开具增值税发票。"),
    (2, "支付接口报错", "顾客都无法付款，请尽快处理！"),
    (1, "网站打不开", "店铺后台一直 502，所有订单都看不到。"),
    (3, "功能建议", "希望增加批量导出订单的功能。"),
]
TEAMS = {"售后一组": ("李娜", "王芳"), "售后二组": ("张伟", "刘洋"), "物流组": ("陈静", "杨磊")}
CUSTOMERS = [(f"c{n:03d}", "vip" if n % 9 == 0 else None) for n in range(1, 121)]


def tickets_per_day(day: date) -> int:
    """6 a day; 4x during the 11.11 peak window and 8x on 11.11 itself."""
    if day == date(2025, 11, 11):
        return 48
    return 24 if PEAK[0] <= day <= PEAK[1] else 6


def desk_time(at: datetime, delay: timedelta) -> datetime:
    """``delay`` of agent work after ``at``, agents working 09:00-21:00 every day."""
    t = at.astimezone(SH)
    if t.hour >= 21:
        t = (t + timedelta(days=1)).replace(hour=9, minute=0, second=0)
    elif t.hour < 9:
        t = t.replace(hour=9, minute=0, second=0)
    end = t + delay
    while end.hour >= 21 or end.date() != t.date():
        spill = end - t.replace(hour=21, minute=0, second=0)
        t = (t + timedelta(days=1)).replace(hour=9, minute=0, second=0)
        end = t + spill
    return end


def generate(rng: random.Random) -> Iterator[tuple[Event, ...]]:
    """The events of every generated ticket, ticket by ticket, in time order per ticket."""
    classifier = default_classifier()
    weights = [w for w, _, _ in MESSAGES]
    n, day = 0, FIRST_DAY
    while day <= LAST_DAY:
        peak = PEAK[0] <= day <= PEAK[1]
        for _ in range(tickets_per_day(day)):
            n += 1
            _, subject, body = rng.choices(MESSAGES, weights)[0]
            customer, tier = rng.choice(CUSTOMERS)
            opened_at = datetime(day.year, day.month, day.day, tzinfo=SH) + timedelta(
                minutes=rng.randrange(7 * 60, 24 * 60))
            decision = classifier.classify(TriageInput(subject, body, customer_tier=tier,
                                                       at=opened_at))
            category = decision.category or "suggestion"
            team = "物流组" if category == "logistics" else rng.choice(("售后一组", "售后二组"))
            yield tuple(ticket_events(f"SHOP-{n:05d}", rng, opened_at, peak, subject, body,
                                      customer, tier, SLA_PRIORITY[decision.priority],
                                      category, team))
        day += timedelta(days=1)


def ticket_events(tid: str, rng: random.Random, at: datetime, peak: bool, subject: str,
                  body: str, customer: str, tier: str | None, priority: str, category: str,
                  team: str) -> Iterator[Event]:
    seq = iter(range(1, 100))

    def eid() -> str:
        return f"{tid}-{next(seq)}"

    slow = 3.0 if peak else 1.0
    channel = rng.choices(("web", "app", "hotline"), (6, 3, 1))[0]
    yield TicketOpened(ticket=tid, at=at, event_id=eid(), priority=priority, category=category,
                       channel=channel, customer=customer, customer_tier=tier, subject=subject,
                       body=body)
    yield TicketAssigned(ticket=tid, at=at + timedelta(minutes=1), event_id=eid(),
                         assignee=rng.choice(TEAMS[team]), group=team)
    oncall = priority == "urgent"  # urgent tickets are worked around the clock
    first = timedelta(minutes=rng.expovariate(1 / (25 * slow)) + 2)
    t = at + first if oncall else desk_time(at, first)
    if t > NOW:
        return
    yield AgentReplied(ticket=tid, at=t, event_id=eid())
    if rng.random() < 0.3:  # the agent asks the customer for a photo or an order number
        yield StatusChanged(ticket=tid, at=t + timedelta(minutes=1), event_id=eid(),
                            to="waiting_on_customer")
        t += timedelta(hours=rng.expovariate(1 / 10) + 0.2)
        if t > NOW:
            return
        yield CustomerReplied(ticket=tid, at=t, event_id=eid())
    work = {"urgent": 2.5, "important": 6.0, "normal": 14.0, "low": 30.0}[priority] * slow
    fix = timedelta(hours=rng.expovariate(1 / work) + 0.25)
    t = t + fix if oncall else desk_time(t, fix)
    if t > NOW:
        return
    yield TicketResolved(ticket=tid, at=t, event_id=eid(), resolution_code=category)
    if rng.random() < 0.6:
        late = 1 if peak else 0
        score = max(1, min(5, round(rng.gauss(4.3 - late, 0.8))))
        yield TicketRated(ticket=tid, at=t + timedelta(hours=2), event_id=eid(),
                          response_speed=max(1, score - late), resolution=score, attitude=score)
    if t + timedelta(days=3) <= NOW:
        yield TicketClosed(ticket=tid, at=t + timedelta(days=3), event_id=eid(), auto=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "shop")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    events = out / "generated_shop_events.jsonl"
    tickets = 0
    with events.open("w", encoding="utf-8") as f:
        for ticket in generate(random.Random(SEED)):
            tickets += 1
            f.writelines(event_to_json(e) + "\n" for e in ticket)
    print(LABEL)
    print(f"{tickets} generated tickets, {FIRST_DAY} to {LAST_DAY} (Asia/Shanghai): {events}")
    code = slakit_main(["replay", str(events), "--policy", str(POLICY), "--now", NOW.isoformat(),
                        "--out", str(out / "generated_shop_tickets.jsonl"),
                        "--report", str(out / "generated_shop_report.json"),
                        "--html", str(out / "generated_shop_report.html")])
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
