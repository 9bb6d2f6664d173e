"""The example triage policy that ships with slakit: a shop / SaaS after-sales desk.

Rules are read in order (first-match mode), strongest first:

1. emergency hotline -> urgent
2. urgent signals: payment interface failures, lost or corrupted order data, site or system
   unreachable, oversold stock
3. important signals: commission / settlement errors, logistics sync delays, coupon
   miscalculation
4. root-cause signals (system fault: system bug, third-party interface, configuration error)
5. categories: product quality, after-sales service, logistics, payment, account, system fault
6. suggestion: feature requests; normal: how-to questions and configuration advice
7. raises: VIP customer tiers, large orders (>= 10,000), and any peak windows given

With ``max_raise=1``, so a VIP's large order during a peak still moves up one level only.
Anything else falls back to ``normal``. Copy and edit these lists for your own desk: they are
plain data, and :func:`default_rules` returns them as a tuple you can slice and extend.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from slakit.policies._itil_matrix import ImpactUrgencyMatrix
from slakit.policies._triage_classifier import RuleClassifier
from slakit.policies._triage_peak import DatedWindow, PeakRaise
from slakit.policies._triage_priority import PriorityScale
from slakit.policies._triage_rule_base import TriageRule
from slakit.policies._triage_rules import (
    AmountRule,
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


def _urgent_rules() -> tuple[TriageRule, ...]:
    return (
        KeywordRule("payment-interface-failure", (
            "支付接口", "支付通道", "支付网关", "收款接口", "付款接口", "支付系统故障", "收银台打不开",
            "无法支付", "无法付款", "付不了款", "都付不了", "支付全部失败", "支付一直失败",
            "金流", "payment interface", "payment gateway", "payment api", "payment provider",
            "payments are failing", "payments failing", "payments fail*", "checkout is down",
            "checkout down", "checkout broken", "cannot pay", "can't pay", "unable to pay",
            "nobody can pay", "no one can pay",
        ), priority="urgent", category=_C.PAYMENT),
        KeywordRule("order-data-lost", (
            "订单数据丢失", "订单丢失", "订单不见了", "订单消失", "订单数据错乱", "订单数据异常",
            "订单数据损坏", "数据丢失", "数据错乱", "数据损坏", "丢单",
            "order data lost", "order data is lost", "lost order*", "orders lost",
            "orders disappeared", "orders have disappeared", "orders are missing",
            "missing orders", "orders vanished", "order data corrupt*", "corrupted order*",
            "corrupt order data", "data loss", "data corrupt*",
        ), priority="urgent", category=_C.SYSTEM_FAULT),
        KeywordRule("site-unreachable", (
            "网站打不开", "网站无法访问", "网站访问不了", "网站挂了", "网站崩溃", "网站宕机",
            "系统打不开", "系统无法访问", "系统挂了", "系统崩溃", "系统瘫痪", "系统宕机", "宕机",
            "后台打不开", "后台无法访问", "服务器挂了", "服务不可用", "页面全部打不开",
            "site down", "site is down", "website down", "website is down", "system down",
            "system is down", "server down", "server is down", "unreachable", "not reachable",
            "cannot access the site", "can't access the site", "cannot reach", "outage",
            "502 bad gateway", "503 service unavailable", "service unavailable",
        ), priority="urgent", category=_C.SYSTEM_FAULT),
        KeywordRule("oversold-in-sale", (
            "超卖", "超售", "库存变成负数", "库存为负", "库存负数", "卖超了",
            "oversold", "oversell*", "negative stock", "negative inventory", "stock went negative",
            "sold more than we have", "sold more than in stock",
        ), priority="urgent", category=_C.SYSTEM_FAULT),
    )


def _important_rules() -> tuple[TriageRule, ...]:
    return (
        KeywordRule("commission-settlement-error", (
            "佣金", "分佣", "返佣", "结算错误", "结算金额不对", "结算有误", "结算金额错误", "结算异常",
            "对账不平", "对账差异", "分账错误", "提现金额不对",
            "commission", "settlement", "payout is wrong", "wrong payout", "payout missing",
            "payout amount", "reconciliation mismatch",
        ), priority="important", category=_C.PAYMENT),
        KeywordRule("logistics-sync-delay", (
            "物流信息不更新", "物流信息没更新", "物流不同步", "物流同步", "物流信息延迟", "物流未更新",
            "物流状态不更新", "单号没有同步", "单号未同步", "运单号同步", "发货状态不同步",
            "轨迹不更新", "物流轨迹没有",
            "tracking not updat*", "tracking has not updated", "tracking hasn't updated",
            "tracking number not sync*", "tracking numbers not sync*", "logistics sync",
            "shipment status not updat*", "shipping status not updat*", "sync delay*",
            "not synced to the carrier", "tracking info delayed",
        ), priority="important", category=_C.LOGISTICS),
        KeywordRule("coupon-miscalculation", (
            "优惠券计算错误", "优惠券金额不对", "优惠券没有生效", "优惠券没生效", "优惠券抵扣错误",
            "优惠没有生效", "满减没生效", "满减没有生效", "满减计算错误", "折扣计算错误",
            "折扣不对", "优惠金额不对", "优惠计算错误", "多扣了优惠",
            "coupon miscalculat*", "coupon calculat*", "coupon not appl*", "coupon didn't apply",
            "coupon did not apply", "coupon discount wrong", "wrong discount",
            "discount calculated wrong*", "discount miscalculat*", "discount is wrong",
            "discount not appl*",
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
            "支付", "付款", "扣款", "扣费", "重复扣", "发票", "账单", "收款",
            "payment", "paid", "pay", "charged", "charge", "billing", "invoice", "credit card",
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
    )


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
