"""The shipped default policy on realistic tickets, written for this test (Chinese and English).

Each row: subject, body, expected priority, expected category (None: no category rule fires),
expected root cause. Extra facts (channel, tier, amount) are in the second table.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from slakit.triage import TriageInput, default_classifier
from tests.triage.test_default_rules_wording import WORDING_CASES

CLASSIFIER = default_classifier()

URG, IMP, NOR, SUG = "urgent", "important", "normal", "suggestion"
PQ, LOG, PAY, ACC, AS, SF = (
    "product_quality",
    "logistics",
    "payment",
    "account",
    "after_sales",
    "system_fault",
)
BUG, API, CFG = "system_bug", "third_party_interface", "configuration_error"

TEXT_CASES: list[tuple[str, str, str, str | None, str | None]] = [
    # --- urgent: payment interface failures
    ("支付接口故障", "从上午10点开始所有顾客付款都失败，请紧急处理！", URG, PAY, None),
    ("顾客无法付款", "今天下单的顾客都无法付款，收银台一直转圈。", URG, PAY, None),
    ("支付通道异常", "微信支付通道返回错误码，订单全部卡在待支付。", URG, PAY, None),
    ("Payment gateway returning errors", "Since 9am every checkout fails with code 502.", URG, PAY, None),
    ("Customers can't pay", "Our customers can’t pay at checkout, the button does nothing.", URG, PAY, None),
    ("URGENT: payments failing", "All card payments failed in the last hour.", URG, PAY, None),
    ("金流異常", "客戶反映無法付款，請盡快處理。", URG, PAY, None),
    ("支付接口报错", "调用支付接口返回500，第三方说他们没问题。", URG, PAY, API),
    # --- urgent: corrupted or lost order data
    ("订单数据丢失", "昨晚升级后，前天的订单全部不见了。", URG, SF, None),
    ("订单消失了", "后台看不到昨天下午的订单，顾客说已经付款了。", URG, SF, None),
    ("Orders disappeared after update", "About 200 orders from yesterday are missing.", URG, SF, None),
    ("Order data corrupted", "Order totals show random numbers after the migration.", URG, SF, None),
    ("数据错乱", "订单的收货地址和买家对不上，数据错乱了。", URG, SF, None),
    ("Lost orders", "We lost orders placed between 2 and 3 pm.", URG, SF, None),
    # --- urgent: site or system unreachable
    ("网站打不开了", "店铺首页一直显示502，顾客都进不来。", URG, SF, None),
    ("后台打不开", "商家后台登录后白屏，什么都做不了。", URG, SF, BUG),
    ("Website is down", "Our store has been unreachable for 20 minutes.", URG, SF, None),
    ("Outage?", "Is there an outage? Admin panel times out for everyone.", URG, SF, None),
    ("系統無法訪問", "整個系統無法訪問，請立即處理。", URG, SF, None),
    ("Service unavailable", "All pages return 503 Service Unavailable.", URG, SF, None),
    # --- urgent: oversold stock in a sale
    ("秒杀商品超卖", "双十一秒杀活动库存100件，实际卖出了180件。", URG, SF, None),
    ("库存变成负数", "大促开始后好几个商品库存为负，还在继续下单。", URG, SF, None),
    ("Flash sale oversold", "We oversold the flash sale item by 60 units.", URG, SF, None),
    ("Negative stock during sale", "Stock went negative on three products.", URG, SF, None),
    # --- important: commission / settlement errors
    ("佣金计算错误", "这个月的推广佣金比后台显示的少了300元。", IMP, PAY, None),
    ("结算金额不对", "上周的结算金额和订单对不上，差了两千多。", IMP, PAY, None),
    ("Commission report wrong", "Affiliate commission is double counted this month.", IMP, PAY, None),
    ("Settlement mismatch", "The weekly settlement does not match our orders.", IMP, PAY, None),
    ("对账不平", "平台对账单和我们的流水对账不平。", IMP, PAY, None),
    # --- important: logistics sync delays
    ("物流信息不更新", "发货三天了，物流信息不更新，顾客一直在问。", IMP, LOG, None),
    ("运单号同步失败", "我们填写的快递单号没有同步到平台，单号未同步。", IMP, LOG, None),
    ("Tracking not updating", "Tracking has not updated for 4 days on 30 orders.", IMP, LOG, None),
    ("Tracking numbers not synced", "Tracking numbers not syncing to the marketplace.", IMP, LOG, None),
    ("物流軌跡不更新", "客戶說物流軌跡不更新，請幫忙查一下。", IMP, LOG, None),
    # --- important: coupon miscalculation
    ("优惠券计算错误", "满200减30的优惠券，结算时减了60。", IMP, PAY, None),
    ("满减没生效", "设置了满减活动，但是下单时满减没生效。", IMP, PAY, None),
    ("Coupon not applied", "The 10% coupon is not applied at checkout.", IMP, PAY, None),
    ("Wrong discount", "Customers get a wrong discount when combining two coupons.", IMP, PAY, None),
    # --- suggestion: feature requests
    ("功能建议", "希望增加批量导出订单的功能。", SUG, None, None),
    ("建议支持多语言", "希望可以支持英文界面。", SUG, None, None),
    ("Feature request: dark mode", "It would be great if the dashboard had a dark mode.", SUG, None, None),
    ("Please add CSV export", "Could you add an export button for refunds?", SUG, AS, None),
    ("能不能加个自动回复", "客服工作台能不能加个自动回复？", SUG, None, None),
    # --- normal: how-to questions and configuration advice
    ("如何设置优惠券", "请问怎么设置满减优惠券？", NOR, None, None),
    ("How do I set up a coupon?", "I want to create a 10% off coupon for new customers.", NOR, None, None),
    ("怎么修改店铺名称", "在哪里可以修改店铺名称？", NOR, None, None),
    ("How to add a staff member", "Where can I add a new staff account?", NOR, ACC, None),
    ("配置建议", "我们每天一千单，服务器配置建议是什么？", NOR, None, None),
    ("Best practices for shipping rules", "Any advice on setting shipping zones?", NOR, LOG, None),
    ("如何申请退货", "顾客想退货，应该怎么操作？", NOR, AS, None),
    # --- fallback priority (normal), category by rule
    ("商品有质量问题", "收到的杯子有裂纹，质量太差了。", NOR, PQ, None),
    ("Item arrived damaged", "The lamp arrived damaged and does not turn on.", NOR, PQ, None),
    ("申请退款", "七天无理由退款，什么时候到账？", NOR, AS, None),
    ("Refund status", "I requested a refund last week, any update?", NOR, AS, None),
    ("还没收到货", "下单一周了还没收到货。", NOR, LOG, None),
    ("Where is my package", "My parcel has not arrived yet.", NOR, LOG, None),
    ("重复扣款", "同一个订单被重复扣款两次。", NOR, PAY, None),
    ("Charged twice", "My credit card was charged twice for one order.", NOR, PAY, None),
    ("忘记密码", "忘记登录密码，验证码也收不到。", NOR, ACC, None),
    ("Locked out of my account", "I'm locked out after too many password attempts.", NOR, ACC, None),
    ("APP闪退", "打开app就闪退，换了手机也一样。", NOR, SF, BUG),
    ("Error when saving product", "Internal server error when I save a product.", NOR, SF, BUG),
    ("回调失败", "物流平台的回调失败，第三方接口超时。", NOR, SF, API),
    ("配置错误导致运费不对", "运费模板配置错误，偏远地区没加价。", NOR, SF, CFG),
    ("Shipping rates misconfigured", "Our tax settings look misconfigured.", NOR, SF, CFG),
    # --- nothing matches: fallback for both
    ("你好", "在吗？", NOR, None, None),
    ("Hello", "Thanks for the quick help yesterday!", NOR, None, None),
    ("", "", NOR, None, None),
    # --- normalisation: full-width, case, traditional
    ("ＰＡＹＭＥＮＴ　ＧＡＴＥＷＡＹ　ＤＯＷＮ", "", URG, PAY, None),
    ("網站打不開了！！", "", URG, SF, None),
    ("How Do I Change My Password?", "", NOR, ACC, None),
]


@pytest.mark.parametrize(
    ("subject", "body", "priority", "category", "root_cause"),
    TEXT_CASES + WORDING_CASES,
    ids=[f"{i:02d}-{c[0][:12] or 'empty'}" for i, c in enumerate(TEXT_CASES + WORDING_CASES)],
)
def test_default_rules_on_realistic_tickets(
    subject: str, body: str, priority: str, category: str | None, root_cause: str | None
) -> None:
    decision = CLASSIFIER.classify(TriageInput(subject, body))
    assert (decision.priority, decision.category, decision.root_cause) == (
        priority,
        category,
        root_cause,
    ), decision.explain()


def test_the_table_is_big_and_bilingual() -> None:
    chinese = [c for c in TEXT_CASES if any("\u4e00" <= ch <= "\u9fff" for ch in c[0] + c[1])]
    assert len(TEXT_CASES) >= 60
    assert len(chinese) >= 30
    assert len(TEXT_CASES) - len(chinese) >= 25


FACT_CASES: list[tuple[dict[str, object], str, str, tuple[str, ...]]] = [
    # (facts, base priority, final priority, rules that raised)
    ({"subject": "在吗", "channel": "hotline"}, URG, URG, ()),
    ({"subject": "hello", "channel": "Emergency Hotline"}, URG, URG, ()),
    ({"subject": "在吗", "channel": "紧急热线"}, URG, URG, ()),
    ({"subject": "在吗", "channel": "email"}, NOR, NOR, ()),
    ({"subject": "怎么设置优惠券", "customer_tier": "VIP"}, NOR, IMP, ("vip-customer",)),
    ({"subject": "佣金不对", "customer_tier": "vip"}, IMP, URG, ("vip-customer",)),
    ({"subject": "网站打不开", "customer_tier": "VIP"}, URG, URG, ("vip-customer",)),
    ({"subject": "功能建议：希望增加导出", "customer_tier": "ＶＩＰ"}, SUG, NOR, ("vip-customer",)),
    ({"subject": "退款", "amount": Decimal("12000")}, NOR, IMP, ("large-order",)),
    ({"subject": "退款", "amount": Decimal("9999.99")}, NOR, NOR, ()),
    # VIP and a large order together still move one level: the policy caps raises at 1.
    (
        {"subject": "退款", "amount": Decimal("50000"), "customer_tier": "svip"},
        NOR,
        IMP,
        ("vip-customer", "large-order"),
    ),
]


@pytest.mark.parametrize(("facts", "base", "final", "raisers"), FACT_CASES)
def test_default_channel_tier_and_amount_rules(
    facts: dict[str, object], base: str, final: str, raisers: tuple[str, ...]
) -> None:
    decision = CLASSIFIER.classify(facts)
    assert (decision.base_priority, decision.priority, decision.raise_rules) == (
        base,
        final,
        raisers,
    ), decision.explain()


def test_hotline_explanation_names_the_channel_rule() -> None:
    decision = CLASSIFIER.classify({"subject": "hi", "channel": "hotline"})
    assert decision.priority_rules == ("emergency-hotline",)
    assert decision.explain().splitlines()[0] == (
        "priority urgent: rule 'emergency-hotline' (channel is 'hotline')"
    )


@pytest.mark.parametrize(
    ("facts", "category", "rules"),
    [
        # The text is silent: the reported category (any common label, any case or width) is used.
        ({"subject": "在吗", "category": "物流"}, "logistics", ("reported-logistics",)),
        ({"subject": "hello", "category": "Billing"}, "payment", ("reported-payment",)),
        ({"subject": "hello", "category": "ＡＦＴＥＲ-ＳＡＬＥＳ"}, "after_sales",
         ("reported-after-sales",)),
        ({"subject": "hello", "category": "system_fault"}, "system_fault",
         ("reported-system-fault",)),
        # The text speaks: it outranks the drop-down.
        ({"subject": "快递三天没更新", "category": "支付"}, "logistics", ("logistics",)),
        # An unknown label is no category at all: the fallback, marked.
        ({"subject": "hello", "category": "misc"}, None, ()),
    ],
)
def test_the_reported_category_fills_in_when_the_text_is_silent(
    facts: dict[str, object], category: str | None, rules: tuple[str, ...]
) -> None:
    decision = CLASSIFIER.classify(facts)
    assert (decision.category, decision.category_rules) == (category, rules), decision.explain()
    assert decision.category_fallback == (not rules)
