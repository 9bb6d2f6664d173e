"""The shipped default policy on the wording that used to mislead it (written for this test).

Urgent and important keywords are problem phrases (a topic plus a failure word), so:

* how-to questions and good-news messages that only name a topic (payment gateway, oversold
  stock, commission, coupons, logistics sync) are not escalated: they fall to the how-to rule
  or the fallback, with the topic's category where one fits;
* the ways people say the site or checkout is down ("Site's down!", "结账页面打不开") are urgent;
* Taiwan / Hong Kong wording (當機, 介面, 資料, 資訊, 逾時, 進不去) is understood;
* tickets mixing Chinese and English are read in both.

Each row: subject, body, expected priority, category (None: no category rule fires), root cause.
test_default_rules.py runs these rows with its own table, through the same test.
"""

from __future__ import annotations

from slakit.text._normalise import normalise_text
from slakit.text._t2s import TRADITIONAL
from slakit.triage import KeywordRule, default_rules

URG, IMP, NOR = "urgent", "important", "normal"
LOG, PAY, SF = "logistics", "payment", "system_fault"
BUG, API = "system_bug", "third_party_interface"

WORDING_CASES: list[tuple[str, str, str, str | None, str | None]] = [
    # --- how-to questions that name an urgent or important topic: normal
    ("如何防止超卖？", "", NOR, None, None),
    ("怎么避免秒杀活动超卖", "大促前想设置一下库存，请问有什么办法？", NOR, None, None),
    ("How do I prevent overselling during a flash sale?", "", NOR, None, None),
    ("支付接口怎么接入？", "", NOR, PAY, None),
    ("How do I configure the payment gateway?", "", NOR, PAY, None),
    ("Adding a payment provider", "How do I connect a second payment gateway?", NOR, PAY, None),
    ("付款介面如何串接？", "請問金流要怎麼設定？", NOR, PAY, None),
    ("怎么设置结账页面", "想在结账页面加个备注栏。", NOR, PAY, None),
    ("What is your commission rate?", "", NOR, PAY, None),
    ("佣金怎么计算？", "请问推广佣金是按什么比例算的？", NOR, PAY, None),
    ("如何设置分佣比例", "想给分销员设置两级分佣。", NOR, PAY, None),
    ("How are commissions calculated?", "Where can I see the settlement schedule?", NOR, PAY, None),
    ("結算週期是多久？", "請問佣金什麼時候結算？", NOR, PAY, None),
    ("如何设置物流同步", "怎么把快递单号自动同步到平台？", NOR, LOG, None),
    ("How do I enable tracking sync?", "Where do I connect the logistics sync?", NOR, LOG, None),
    ("优惠券可以叠加使用吗？", "请问满减和优惠券能不能一起用？", NOR, None, None),
    ("Can coupons be combined?", "How do I set up a promo code for new users?", NOR, None, None),
    # A how-to question that reports a failure is still the failure.
    ("How do I fix the payment gateway error?", "Every checkout shows it since 9am.", URG, PAY, None),
    # --- good news and thanks: not escalated
    ("The payment gateway works again, thanks!", "", NOR, PAY, None),
    ("支付接口已经恢复正常了，谢谢", "", NOR, PAY, None),
    ("金流恢復正常", "剛剛測試可以付款了，感謝。", NOR, PAY, None),
    ("Tracking is updating again", "Thanks, the tracking numbers synced this morning.", NOR, LOG, None),
    ("Commission paid, thanks", "We received this month's commission.", NOR, PAY, None),
    ("优惠券已经可以用了", "谢谢客服，满减也生效了。", NOR, None, None),
    ("Site is back up", "Our store loads fine again, thank you.", NOR, None, None),
    # --- the site or checkout is down: urgent
    ("Site's down!", "", URG, SF, None),
    ("site went down", "The whole site went down at 3 pm.", URG, SF, None),
    ("Our website’s down", "", URG, SF, None),
    ("Store is down", "Nobody can open the store front.", URG, SF, None),
    ("结账页面打不开", "顾客点去结算一直转圈。", URG, PAY, None),
    ("Checkout page won't load", "Customers get a blank screen.", URG, PAY, None),
    ("收银台白屏", "顾客进入收银台后白屏。", URG, PAY, BUG),
    ("Our payment provider is down", "", URG, PAY, None),
    ("We oversold 40 units", "", URG, SF, None),
    ("Stock is negative after the sale", "", URG, SF, None),
    # --- important problems, English phrasings
    ("Commissions are wrong this month", "", IMP, PAY, None),
    ("Payout is missing", "", IMP, PAY, None),
    ("Discount code not working", "新人折扣码用不了", IMP, PAY, None),
    ("Tracking number didn't sync", "物流单号没同步到平台", IMP, LOG, None),
    # --- Taiwan / Hong Kong wording
    ("系統當機", "整個後台都不能用。", URG, SF, None),
    ("伺服器當機", "網站連不上。", URG, SF, None),
    ("後台進不去", "", URG, SF, None),
    ("網站無法連線", "", URG, SF, None),
    ("付款介面故障", "客人刷卡都失敗。", URG, PAY, None),
    ("金流逾時", "付款一直轉圈然後逾時。", URG, PAY, None),
    ("無法結帳", "客人說按了結帳沒反應。", URG, PAY, None),
    ("訂單資料遺失", "昨天的訂單都不見了。", URG, SF, None),
    ("超賣了", "限時搶購商品賣超了。", URG, SF, None),
    ("物流資訊不更新", "出貨三天了還查不到。", IMP, LOG, None),
    ("傭金計算錯誤", "這個月的分潤少了。", IMP, PAY, None),
    ("結算金額有誤", "", IMP, PAY, None),
    ("優惠券沒有生效", "結帳時折扣沒有算進去。", IMP, PAY, None),
    ("折價券無法使用", "", IMP, PAY, None),
    # --- Chinese and English mixed
    ("APP打不开，checkout page won't load", "", URG, PAY, None),
    ("PayPal付款接口报错", "", URG, PAY, API),
    ("后台显示502 Bad Gateway", "", URG, SF, None),
    ("订单数据丢失 after the migration", "", URG, SF, None),
    ("VIP客户反馈 commission is wrong", "佣金少了", IMP, PAY, None),
    ("Shopify店铺的物流信息不更新", "", IMP, LOG, None),
    ("How do I 设置优惠券？", "", NOR, None, None),
]


def test_the_wording_table_covers_every_kind() -> None:
    chinese = [c for c in WORDING_CASES if any("\u4e00" <= ch <= "\u9fff" for ch in c[0] + c[1])]
    regional = [c for c in chinese if any(ch in TRADITIONAL for ch in c[0] + c[1])]
    mixed = [c for c in chinese if any("a" <= ch <= "z" for ch in (c[0] + c[1]).lower())]
    assert len(WORDING_CASES) >= 50
    assert len(chinese) >= 25
    assert len(WORDING_CASES) - len(chinese) >= 20
    assert len(regional) >= 15
    assert len(mixed) >= 8
    assert sum(c[2] == NOR for c in WORDING_CASES) >= 20


STRONG_RULES = (
    "payment-interface-failure",
    "order-data-lost",
    "site-unreachable",
    "oversold-in-sale",
    "commission-settlement-error",
    "logistics-sync-delay",
    "coupon-miscalculation",
)
# Topics that questions and thanks mention as often as failure reports do.
BARE_TOPICS = (
    "支付接口", "支付通道", "支付网关", "付款接口", "收款接口", "付款介面", "金流", "结账页面",
    "payment gateway", "payment interface", "payment api", "payment provider", "checkout",
    "超卖", "超售", "丢单", "oversell*", "overselling", "negative stock", "negative inventory",
    "佣金", "分佣", "返佣", "结算", "commission", "settlement", "payout", "payout amount",
    "物流同步", "运单号同步", "logistics sync", "tracking",
    "优惠券", "满减", "coupon", "coupon calculat*", "discount",
)  # fmt: skip


def test_urgent_and_important_keywords_are_not_bare_topics() -> None:
    rules = {r.name: r for r in default_rules() if isinstance(r, KeywordRule)}
    assert set(STRONG_RULES) <= set(rules)
    bare = {normalise_text(t) for t in BARE_TOPICS}
    found = {(name, k) for name in STRONG_RULES for k in rules[name].keywords if k in bare}
    assert not found


def test_keywords_are_written_as_they_are_matched() -> None:
    # Regional words are written in their normalised (simplified) form, so the keyword an
    # explanation names is the text it matched; and no list repeats itself.
    for rule in default_rules():
        if isinstance(rule, KeywordRule):
            assert [k for k in rule.keywords if normalise_text(k) != k] == [], rule.name
            assert len(set(rule.keywords)) == len(rule.keywords), rule.name
