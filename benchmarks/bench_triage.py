"""Triage benchmark: classification throughput, huge-text scaling, full UCI agreement.

Run: .venv/bin/python benchmarks/bench_triage.py [--quick]

Prints plain tables. Speed is measured here, never asserted in tests. Single process, single
thread (one core). The UCI section runs when ../shared/data is present beside the project.
"""

from __future__ import annotations

import csv
import gzip
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path

from slakit.assignment import (
    Agent,
    AssignmentPlan,
    AssignmentRequest,
    DedicatedAdvisor,
    LeastLoaded,
    SkillMatch,
)
from slakit.text._t2s import SIMPLIFIED, TRADITIONAL
from slakit.triage import (
    MatchMode,
    RuleClassifier,
    TriageInput,
    default_classifier,
    default_rules,
    itil_classifier,
)

ROOT = Path(__file__).resolve().parent.parent
UCI = ROOT.parent / "shared" / "data" / "uci_incident_event_log" / "incident_event_log.csv.gz"

# Ticket-like filler sentences that fire no rule, and the phrases that do. A generated ticket
# is filler with one or two trigger phrases mixed in ("realistic"), or nothing but triggers
# ("dense", a worst case where many keywords pass the gates and need a substring search).
ZH_FILLER = [
    "您好，我们店铺今天上午开始出现一些情况，", "顾客反映下单后页面一直显示处理中，",
    "麻烦帮忙看一下是什么原因，", "我们已经重新打开过后台但是没有用，",
    "订单号是二零二五一一一一零零八八，", "这个情况已经持续了大概两个小时，",
    "我们这边的同事也试过换浏览器，", "顾客那边比较着急，一直在催，", "谢谢你们的帮助！",
]  # fmt: skip
ZH_TRIGGERS = [
    "物流信息不更新，", "支付接口报错，", "请问怎么设置满减优惠券，", "希望增加批量导出功能，",
    "商品收到后发现有破损，", "七天无理由退款什么时候到账，", "忘记登录密码了，",
]  # fmt: skip
EN_FILLER = [
    "Hello team, since this morning we have noticed something odd with our store. ",
    "Customers tell us that the order page keeps spinning after they submit. ",
    "We already reopened the admin panel but nothing changed. ",
    "The order number is 20251111008 and the customer is waiting. ",
    "This has been going on for about two hours now. ", "Thanks a lot for your help! ",
    "Our colleagues tried another browser as well. ",
]  # fmt: skip
EN_TRIGGERS = [
    "Tracking not updated for three days. ", "The payment gateway returns errors. ",
    "How do I set up a coupon? ", "It would be great if you added an export. ",
    "The item arrived damaged. ", "I requested a refund last week. ", "I forgot my password. ",
]  # fmt: skip


def make_text(rng: random.Random, pieces: list[str], size: int) -> str:
    out: list[str] = []
    length = 0
    while length < size:
        piece = rng.choice(pieces)
        out.append(piece)
        length += len(piece)
    return "".join(out)[:size]


# Traditional Chinese tickets (Taiwan, Hong Kong) are the Chinese ones written with the
# traditional characters of slakit's own table: every character the table knows is changed.
TO_TRADITIONAL = str.maketrans(SIMPLIFIED, TRADITIONAL)


def tickets(kind: str, count: int, dense: bool = False, size: int = 500) -> list[TriageInput]:
    if kind == "zh-hant":
        return [
            TriageInput(t.subject.translate(TO_TRADITIONAL), t.body.translate(TO_TRADITIONAL),
                        customer_tier=t.customer_tier)
            for t in tickets("zh", count, dense, size)
        ]
    rng = random.Random(42)
    result = []
    for _ in range(count):
        language = rng.choice(["zh", "en"]) if kind == "mixed" else kind
        filler, triggers = (ZH_FILLER, ZH_TRIGGERS) if language == "zh" else (EN_FILLER, EN_TRIGGERS)
        if kind == "mixed":
            filler = ZH_FILLER + EN_FILLER
        if dense:
            body = make_text(rng, triggers, size - 40)
        else:
            picked = rng.sample(triggers, rng.randint(1, 2))
            body = make_text(rng, filler, size - 40 - sum(map(len, picked)))
            cut = rng.randrange(len(body))
            body = body[:cut] + picked[0] + body[cut:] + "".join(picked[1:])
        subject = make_text(rng, triggers if dense else filler, 40)
        result.append(TriageInput(subject, body, customer_tier=rng.choice([None, "vip"])))
    return result


def rate(fn: Callable[[], object], items: int, repeat: int = 5) -> float:
    # CPU time of this process, best of several runs: other processes on a shared machine
    # inflate wall-clock time but not the work done here.
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return items / best


def classify_all(classifier: RuleClassifier, batch: list[TriageInput]) -> None:
    for ticket in batch:
        classifier.classify(ticket)


def bench_throughput(count: int) -> None:
    first = default_classifier()
    score = RuleClassifier(default_rules(), mode=MatchMode.SCORE, max_raise=1)
    print(f"\nDefault rules, 500-character tickets, {count} per run, best of 5, CPU time")
    print(f"{'texts':<10}{'keywords':<10}{'mode':<8}{'tickets/s':>12}{'us/ticket':>12}")
    for kind in ("en", "zh", "zh-hant", "mixed"):
        for dense in (False, True):
            batch = tickets(kind, count, dense)
            for name, classifier in (("first", first), ("score", score)):
                per_second = rate(partial(classify_all, classifier, batch), count)
                density = "dense" if dense else "1-2"
                print(f"{kind:<10}{density:<10}{name:<8}{per_second:>12,.0f}"
                      f"{1e6 / per_second:>12.1f}")  # fmt: skip


def bench_huge() -> None:
    classifier = default_classifier()
    rng = random.Random(7)
    print("\nHuge texts (one ticket each; linear time means ms/MB stays flat)")
    print(f"{'texts':<10}{'size':>10}{'ms':>10}{'ms/MB':>10}")
    for kind, pieces in (("en", EN_FILLER), ("zh", ZH_FILLER), ("mixed", ZH_FILLER + EN_TRIGGERS)):
        for size in (10_000, 100_000, 1_000_000):
            ticket = TriageInput("", make_text(rng, pieces, size))
            seconds = 1 / rate(partial(classify_all, classifier, [ticket]), 1)
            print(f"{kind:<10}{size:>10,}{seconds * 1e3:>10.1f}{seconds * 1e3 / size * 1e6:>10.1f}")


def bench_assignment(count: int) -> None:
    start = datetime(2025, 6, 2, 1, tzinfo=timezone.utc)
    agents = [
        Agent(f"agent{i:03d}", skills={"payment" if i % 3 else "logistics"}, load=i % 7)
        for i in range(50)
    ]
    plan = AssignmentPlan(
        (DedicatedAdvisor(), SkillMatch({"payment": {"payment"}}), LeastLoaded())
    )
    requests = [
        AssignmentRequest(start + timedelta(minutes=i), advisor_id=f"agent{i % 80:03d}",
                          category="payment")
        for i in range(count)
    ]  # fmt: skip
    per_second = rate(lambda: [plan.assign(r, agents) for r in requests], count)
    print(f"\nAssignment: advisor -> skills -> least loaded over 50 agents: {per_second:,.0f}/s")


def bench_uci() -> None:
    if not UCI.exists():
        print(f"\nUCI agreement: skipped ({UCI} not found)")
        return
    classifier = itil_classifier()
    agree = total = 0
    disagreements: Counter[tuple[str, str, str]] = Counter()
    start = time.perf_counter()
    with gzip.open(UCI, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            decision = classifier.classify(
                TriageInput.from_mapping({"impact": row["impact"], "urgency": row["urgency"]})
            )
            total += 1
            recorded = int(row["priority"].split(" - ")[0])
            if not decision.priority_fallback and classifier.scale.number(decision.priority) == recorded:
                agree += 1
            else:
                disagreements[(row["impact"], row["urgency"], row["priority"])] += 1
    seconds = time.perf_counter() - start
    print(f"\nUCI incident log, ITIL matrix vs recorded priority: {agree:,}/{total:,} rows "
          f"= {100 * agree / total:.3f}% agreement ({seconds:.1f} s incl. CSV parsing)")  # fmt: skip
    for key, n in disagreements.most_common(5):
        print(f"  disagreement {key}: {n}")


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"Python {sys.version.split()[0]}")
    bench_throughput(1_000 if quick else 5_000)
    bench_huge()
    bench_assignment(2_000 if quick else 10_000)
    bench_uci()


if __name__ == "__main__":
    main()
