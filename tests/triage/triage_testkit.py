"""Shared Hypothesis strategies for the triage and assignment tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Fragments that fire the default rules, so generated texts hit matches, not only fallbacks.
FRAGMENTS = (
    "支付接口", "無法付款", "订单数据丢失", "网站打不开", "超卖", "佣金", "物流信息不更新",
    "优惠券计算错误", "希望增加", "如何", "配置建议", "退款", "快递", "密码", "闪退", "第三方",
    "payment gateway", "can't pay", "lost orders", "site is down", "oversold", "commission",
    "tracking not updated", "coupon not applied", "feature request", "how do i", "refund",
    "ＰＡＹＭＥＮＴ", "Crashed", "misconfigured", "VIP", "\u3000", "\n", "！", "，",
)  # fmt: skip

ALPHABETS = st.sampled_from(
    [
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0x300, max_codepoint=0x36F),  # combining marks
    ]
)


@st.composite
def ticket_texts(draw: st.DrawFn, max_pieces: int = 12) -> str:
    """Mixed-script text: random characters from several alphabets and rule fragments."""
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(FRAGMENTS),
                ALPHABETS.flatmap(lambda alphabet: st.text(alphabet, max_size=12)),
            ),
            max_size=max_pieces,
        )
    )
    return "".join(pieces)


channels = st.one_of(
    st.none(), st.sampled_from(["hotline", "email", "Emergency Hotline", "紧急热线"]), st.text()
)
tiers = st.one_of(st.none(), st.sampled_from(["vip", "VIP", "svip", "standard"]), st.text())
