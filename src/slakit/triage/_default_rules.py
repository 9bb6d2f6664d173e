"""The example triage policy that ships with slakit: a shop / SaaS after-sales desk.

Rules are read in order (first-match mode), strongest first:

1. emergency hotline -> urgent
2. urgent signals: payment interface failures, lost or corrupted order data, site or system
   unreachable, oversold stock
3. important signals: commission / settlement errors, logistics sync delays, coupon
   miscalculation
4. root-cause signals (system fault: system bug, third-party interface, configuration error)
5. categories: product quality, after-sales service, logistics, payment, account, system fault,
   from the text first, then from the category the customer reported (``TriageInput.category``)
6. suggestion: feature requests; normal: how-to questions and configuration advice
7. raises: VIP customer tiers, large orders (>= 10,000), and any peak windows given

With ``max_raise=1``, so a VIP's large order during a peak still moves up one level only.
Anything else falls back to ``normal``.

The urgent and important keywords are problem phrases, not bare topics: a topic followed by a
failure word ("支付接口报错", "payment gateway is down"), in simplified Chinese, regional
(Taiwan / Hong Kong) wording and English, most of them spelt out by :func:`_each` from a short
list of topics and one of failure words. So a how-to question or a good-news message that only
mentions a topic ("支付接口怎么接入？", "the payment gateway works again") falls through to the
how-to rule or the fallback. Keywords cannot see negation: a message that quotes a failure
phrase ("支付接口故障已恢复") still matches it.

Copy and edit these lists for your own desk: they are plain data, and :func:`default_rules`
returns them as a tuple you can slice and extend.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from slakit.triage._classifier import RuleClassifier
from slakit.triage._itil_matrix import ImpactUrgencyMatrix
from slakit.triage._peak import DatedWindow, PeakRaise
from slakit.triage._priority import PriorityScale
from slakit.triage._rule_base import TriageRule
from slakit.triage._rules import (
    AmountRule,
    CategoryRule,
    ChannelRule,
    CustomerTierRule,
    KeywordRule,
)


class TicketCategory(enum.StrEnum):
    """Categories used by the default policy (plain strings: compare with ``"payment"``)."""

    PRODUCT_QUALITY = "product_quality"
    LOGISTICS = "logistics"
    PAYMENT = "payment"
    ACCOUNT = "account"
    AFTER_SALES = "after_sales"
    SYSTEM_FAULT = "system_fault"


class RootCause(enum.StrEnum):
    """Root causes of system faults used by the default policy."""

    SYSTEM_BUG = "system_bug"
    THIRD_PARTY_INTERFACE = "third_party_interface"
    CONFIGURATION_ERROR = "configuration_error"


_C, _R = TicketCategory, RootCause


def _each(topics: tuple[str, ...], problems: tuple[str, ...]) -> tuple[str, ...]:
    """Every topic followed by every problem: Chinese joined as is, English with a space.

    >>> _each(("支付接口", "金流"), ("故障", "异常"))
    ('支付接口故障', '支付接口异常', '金流故障', '金流异常')
    >>> _each(("checkout",), ("is down", "won't load"))
    ('checkout is down', "checkout won't load")
    """
    return tuple(f"{t} {p}" if t.isascii() else t + p for t in topics for p in problems)


# Problem words that follow a topic in the urgent and important rules. Keywords are normalised
# like the text, so regional (Taiwan / Hong Kong) wording is written as normalise_text gives
# it: 當機 -> 当机, 逾時 -> 逾时, 無法連線 -> 无法连线; words the character table leaves alone
# (介面, 伺服器) are listed as written.
_ZH_BROKEN = ("故障", "异常", "报错", "出错", "错误", "挂了", "出问题", "不可用", "超时", "逾时")
_ZH_UNREACHABLE = (
    "打不开", "无法访问", "访问不了", "进不去", "连不上", "无法连线", "挂了", "崩了",
    "崩溃", "瘫痪", "当机",
)  # fmt: skip
_EN_BROKEN = (
    "down", "is down", "fail*", "is failing", "error*", "returning error*", "returns error*",
    "not working", "is not working", "isn't working", "timing out", "outage",
)  # fmt: skip
_EN_UNREACHABLE = (
    "down", "is down", "'s down", "went down", "is offline", "not loading", "isn't loading",
    "won't load", "crashed",
)  # fmt: skip


def _urgent_rules() -> tuple[TriageRule, ...]:
    return (
        KeywordRule("payment-interface-failure", (
            *_each(
                ("支付接口", "支付通道", "支付网关", "支付系统", "付款接口", "收款接口", "支付介面",
                 "付款介面", "金流"),
                _ZH_BROKEN,
            ),
            *_each(("收银台", "结账页面", "结账页", "结算页面"), ("打不开", "无法打开", "白屏")),
            "无法支付", "无法付款", "付不了款", "都付不了", "无法结账", "结不了账",
            "支付全部失败", "支付一直失败", "付款全部失败", "付款都失败", "付款一直失败",
            *_each(("payment gateway", "payment provider", "payment system"), _EN_BROKEN),
            "payment api error*", "payment api fail*", "payment api is down",
            "payment interface error*", "payment interface fail*", "payment interface is down",
            *_each(
                ("checkout", "checkout page"),
                ("down", "is down", "broken", "is broken", "not loading", "isn't loading", "won't load"),
            ),
            "payments are failing", "payments failing", "payments fail*", "cannot pay", "can't pay",
            "unable to pay", "nobody can pay", "no one can pay",
        ), priority="urgent", category=_C.PAYMENT),
        KeywordRule("order-data-lost", (
            *_each(
                ("订单", "订单数据", "订单资料", "数据", "资料"),
                ("丢失", "遗失", "不见了", "消失", "错乱", "损坏", "损毁"),
            ),
            "订单数据异常", "订单资料异常", "丢单了", "出现丢单",
            "order data lost", "order data is lost", "lost orders", "we lost order*",
            "orders lost", "orders were lost", "orders disappeared", "orders have disappeared",
            "orders are missing", "missing orders", "orders vanished", "order data corrupt*",
            "corrupted order*", "corrupt order data", "data loss", "data corrupt*",
            "lost our data", "data was lost", "data is lost",
        ), priority="urgent", category=_C.SYSTEM_FAULT),
        KeywordRule("site-unreachable", (
            *_each(("网站", "系统", "服务器", "伺服器", "后台", "店铺"), _ZH_UNREACHABLE),
            "宕机", "服务不可用", "页面全部打不开",
            *_each(("site", "website", "store", "server", "system"), _EN_UNREACHABLE),
            "admin panel is down", "admin panel down", "admin panel not loading",
            "admin panel won't load", "unreachable", "not reachable", "cannot access the site",
            "can't access the site", "cannot reach the site", "can't reach the site", "outage",
            "502 bad gateway", "503 service unavailable", "service unavailable",
        ), priority="urgent", category=_C.SYSTEM_FAULT),
        KeywordRule("oversold-in-sale", (
            "超卖了", "出现超卖", "出现了超卖", "发生超卖", "秒杀超卖", "秒杀商品超卖", "超售了", "卖超了",
            "库存变成负数", "库存变负", "库存为负",
            "oversold", "are overselling", "we're overselling", "is overselling",
            "stock went negative", "stock is negative", "inventory went negative",
            "inventory is negative", "sold more than we have", "sold more than in stock",
        ), priority="urgent", category=_C.SYSTEM_FAULT),
    )


def _important_rules() -> tuple[TriageRule, ...]:
    return (
        KeywordRule("commission-settlement-error", (
            *_each(
                ("佣金", "分佣", "返佣", "分润", "结算", "结算金额", "分账"),
                ("错误", "错了", "不对", "有误", "算错", "计算错误", "少了", "异常", "对不上", "没到账"),
            ),
            "提现金额不对", "对账不平", "对账差异", "对账有误", "对不上账",
            *_each(
                ("commission", "settlement", "payout"),
                ("is wrong", "wrong", "is incorrect", "incorrect", "error*", "miscalculat*",
                 "is missing", "missing", "not paid", "mismatch*", "does not match", "doesn't match",
                 "is double counted"),
            ),
            *_each(
                ("commissions", "settlements", "payouts"),
                ("are wrong", "are incorrect", "are missing", "do not match", "don't match"),
            ),
            "wrong commission*", "incorrect commission*", "missing commission*",
            "wrong settlement*", "wrong payout*", "missing payout*", "reconciliation mismatch",
        ), priority="important", category=_C.PAYMENT),
        KeywordRule("logistics-sync-delay", (
            *_each(
                ("物流信息", "物流资讯", "物流状态", "轨迹", "发货状态"),
                ("不更新", "没更新", "没有更新", "未更新", "不同步", "没同步", "没有同步", "未同步",
                 "同步失败", "同步延迟"),
            ),
            "物流信息延迟", "物流资讯延迟", "物流不同步", "单号没有同步", "单号未同步", "单号没同步",
            "单号同步失败",
            *_each(
                ("tracking", "tracking info", "shipment status", "shipping status"),
                ("not updat*", "isn't updating", "is not updating", "hasn't updated",
                 "has not updated", "hasn't been updated", "not sync*", "didn't sync"),
            ),
            "tracking number not sync*", "tracking numbers not sync*",
            "tracking numbers aren't syncing", "tracking number didn't sync",
            "logistics sync fail*", "logistics sync error*", "logistics not sync*",
            "sync delay*", "not synced to the carrier", "tracking info delayed",
        ), priority="important", category=_C.LOGISTICS),
        KeywordRule("coupon-miscalculation", (
            *_each(
                ("优惠券", "优惠码", "折价券", "折扣码", "满减", "折扣", "优惠"),
                ("计算错误", "算错", "金额不对", "不对", "有误", "抵扣错误", "没有生效", "没生效",
                 "未生效", "不生效", "无法使用", "用不了"),
            ),
            "多扣了优惠",
            *_each(
                ("coupon", "discount", "discount code", "promo code", "voucher"),
                ("miscalculat*", "calculated wrong*", "not appl*", "wasn't applied", "didn't apply",
                 "did not apply", "not working", "isn't working", "doesn't work", "is wrong"),
            ),
            "coupon code not working", "coupon code isn't working", "coupon code doesn't work",
            "wrong discount", "wrong coupon",
        ), priority="important", category=_C.PAYMENT),
    )


def _root_cause_rules() -> tuple[TriageRule, ...]:
    return (
        KeywordRule("third-party-interface", (
            "第三方接口", "第三方", "接口报错", "接口超时", "接口异常", "回调失败", "回调",
            "third party", "third-party", "3rd party", "api error", "api timeout", "webhook",
            "callback", "upstream provider",
        ), category=_C.SYSTEM_FAULT, root_cause=_R.THIRD_PARTY_INTERFACE),
        KeywordRule("configuration-error", (
            "配置错误", "配置有误", "配置不对", "配置错了", "设置错误", "设置错了", "参数错误",
            "misconfigur*", "wrong setting*", "configuration error", "config error",
            "incorrect configuration", "wrong configuration",
        ), category=_C.SYSTEM_FAULT, root_cause=_R.CONFIGURATION_ERROR),
        KeywordRule("system-bug", (
            "bug", "程序错误", "代码错误", "报错", "闪退", "崩溃", "白屏", "卡死", "系统异常", "错误代码",
            "exception", "stack trace", "crash*", "error 500", "500 error",
            "internal server error", "null pointer",
        ), category=_C.SYSTEM_FAULT, root_cause=_R.SYSTEM_BUG),
    )


def _category_rules() -> tuple[TriageRule, ...]:
    return (
        KeywordRule("product-quality", (
            "质量问题", "质量差", "质量太差", "破损", "坏了", "瑕疵", "异味", "假货", "掉色", "开线",
            "次品", "残次", "不能用", "漏水",
            "defective", "broken", "damaged", "poor quality", "quality issue", "quality problem",
            "fake", "counterfeit", "stopped working", "faulty", "scratched",
        ), category=_C.PRODUCT_QUALITY),
        KeywordRule("after-sales-service", (
            "退货", "换货", "退款", "售后", "维修", "保修", "退换", "三包",
            "return", "returns", "refund*", "exchange", "warranty", "repair", "rma",
        ), category=_C.AFTER_SALES),
        KeywordRule("logistics", (
            "物流", "快递", "发货", "配送", "没收到货", "还没收到", "运单", "包裹", "签收", "派送",
            "shipping", "shipment", "delivery", "delivered", "tracking", "courier", "parcel",
            "package", "not arrived", "hasn't arrived",
        ), category=_C.LOGISTICS),
        KeywordRule("payment", (
            "支付", "付款", "结账", "扣款", "扣费", "重复扣", "发票", "账单", "收款", "金流", "佣金", "分佣",
            "返佣", "分润", "结算", "提现",
            "payment", "paid", "pay", "charged", "charge", "billing", "invoice", "credit card",
            "commission", "commissions", "settlement", "settlements", "payout", "payouts",
        ), category=_C.PAYMENT),
        KeywordRule("account", (
            "登录", "登陆", "密码", "账号", "账户", "注册", "验证码", "绑定手机", "实名认证", "子账号",
            "login", "log in", "sign in", "password", "account", "2fa", "verification code",
            "locked out", "sign up", "username",
        ), category=_C.ACCOUNT),
        KeywordRule("system-fault", (
            "系统", "打不开", "加载不出来", "无法加载", "页面错误", "出错",
            "error", "not loading", "blank page", "timeout", "timed out", "does not load",
        ), category=_C.SYSTEM_FAULT),
        # The category the customer picked in a form, read after the text: what the ticket
        # says outranks a drop-down chosen in passing, but a silent text keeps the choice.
        *(CategoryRule(f"reported-{category.value.replace('_', '-')}",
                       (category.value, *labels), category=category)
          for category, labels in _REPORTED_LABELS.items()),
    )


# How hosts and customers commonly label each category in a form (compared after
# normalisation, so case and full-width forms do not matter).
_REPORTED_LABELS: dict[TicketCategory, tuple[str, ...]] = {
    _C.PRODUCT_QUALITY: ("product quality", "quality", "质量", "商品质量", "产品质量"),
    _C.LOGISTICS: ("shipping", "delivery", "物流", "快递", "配送"),
    _C.PAYMENT: ("billing", "支付", "付款", "账单"),
    _C.ACCOUNT: ("login", "账号", "账户"),
    _C.AFTER_SALES: ("after-sales", "after sales", "returns", "售后", "退换货"),
    _C.SYSTEM_FAULT: ("system fault", "technical", "bug", "系统故障", "技术问题"),
}


def _normal_and_suggestion_rules() -> tuple[TriageRule, ...]:
    return (
        KeywordRule("feature-request", (
            "建议增加", "希望增加", "希望能增加", "能否增加", "能不能增加", "能不能加", "新增功能",
            "功能建议", "需求建议", "希望支持", "建议支持", "希望可以支持", "希望能支持", "建议优化",
            "feature request", "would be nice", "would be great if", "it would be great",
            "please add", "could you add", "can you add", "suggest adding", "wish list",
            "enhancement", "nice to have",
        ), priority="suggestion"),
        KeywordRule("how-to-question", (
            "如何", "怎么", "怎样", "请问", "教程", "在哪里", "在哪", "操作步骤", "能否告知",
            "how do i", "how to", "how can i", "how should i", "where can i", "where do i",
            "is it possible to", "tutorial", "guide", "instructions",
        ), priority="normal"),
        KeywordRule("configuration-advice", (
            "配置建议", "设置建议", "推荐配置", "最佳实践", "推荐设置", "怎么配置比较好",
            "best practice*", "recommended setting*", "recommend* configuration",
            "configuration advice", "which setting*", "advice on",
        ), priority="normal"),
    )


def default_rules(peaks: Iterable[PeakRaise | DatedWindow] = ()) -> tuple[TriageRule, ...]:
    """The shipped example rules, in evaluation order, followed by ``peaks``.

    Args:
        peaks: peaks that raise priorities one level (e.g. a shopping festival): ``PeakRaise``
            values, or SLA ``PeakWindow`` values (read with ``PeakRaise.from_window``).
    """
    return (
        ChannelRule(
            "emergency-hotline",
            ("hotline", "emergency hotline", "emergency_hotline", "紧急热线", "紧急电话"),
            priority="urgent",
        ),
        *_urgent_rules(),
        *_important_rules(),
        *_root_cause_rules(),
        *_category_rules(),
        *_normal_and_suggestion_rules(),
        CustomerTierRule("vip-customer", ("vip", "svip", "key account", "大客户"), raise_by=1),
        AmountRule("large-order", 10_000, raise_by=1),
        *(p if isinstance(p, PeakRaise) else PeakRaise.from_window(p) for p in peaks),
    )


def default_classifier(peaks: Iterable[PeakRaise | DatedWindow] = ()) -> RuleClassifier:
    """The shipped example policy: :func:`default_rules`, first match, fallback ``normal``.

    >>> decision = default_classifier().classify({"subject": "支付接口报错，顾客无法付款"})
    >>> decision.priority, decision.category, decision.root_cause
    ('urgent', 'payment', 'third_party_interface')
    """
    return RuleClassifier(
        default_rules(peaks),
        scale=PriorityScale.default(),
        fallback_priority="normal",
        max_raise=1,
    )


def itil_classifier() -> RuleClassifier:
    """An IT desk: the standard ITIL impact x urgency matrix on ``critical..low``.

    Tickets without a readable impact and urgency fall back to ``moderate``.
    """
    return RuleClassifier(
        (ImpactUrgencyMatrix.itil(),),
        scale=PriorityScale.itil(),
        fallback_priority="moderate",
    )
