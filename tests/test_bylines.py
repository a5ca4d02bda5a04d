"""Names from bylines, wherever they are printed; roles are not names."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive import bylines
from newsarchive.bylines import bylines_of, is_byline_line, names_in, trailing_credit


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("本报记者 臧力卿 曹飞 董芳", ["臧力卿", "曹飞", "董芳"]),
        ("记者 申波 通讯员 闫勇男 图片由受访者提供", ["申波", "闫勇男"]),
        ("(胡平)", ["胡平"]),
        ("本报评论员", ["本报评论员"]),
        ("牛利敏 摄", ["牛利敏"]),
        ("市委党史研究室(市地方志研究室)供稿", ["市委党史研究室(市地方志研究室)"]),
        ("本報記者 陳大明 通訊員 劉小華", ["陳大明", "劉小華"]),
        ("（新华社）", []),
    ],
)
def test_byline_lines(line: str, names: list[str]) -> None:
    assert is_byline_line(line)
    assert names_in(line) == names


@pytest.mark.parametrize(
    "line", ["评论员观察", "(试行)", "(草案)", "保基本兜底线", "九大领域28项指标"]
)
def test_not_byline_lines(line: str) -> None:
    assert not is_byline_line(line)


@pytest.mark.parametrize(
    ("paragraph", "credit"),
    [
        ("医保支付比例不降低。(刘涛)", "(刘涛)"),
        ("大有可为。” 记者 弓凤飞", "记者 弓凤飞"),
        ("市民正在选购心仪的商品。牛利敏 摄", "牛利敏 摄"),
        ("确保生命安全。本报记者 于宏撰", "本报记者 于宏撰"),
        ("分别进行了现场述职。(刘阳 王馨昱)", "(刘阳 王馨昱)"),
        ("出台办法(试行)", None),
        ("馆藏文物18198件(套)", None),
    ],
)
def test_trailing_credit(paragraph: str, credit: str | None) -> None:
    assert trailing_credit(paragraph) == credit


def test_lead_and_trailing_credits() -> None:
    body = ("本报讯（记者 吴华 见习记者 张晶）我市各银行高度重视。", "全力配合。")
    assert bylines_of(body, ()) == ("吴华", "张晶")
    agency = ("【新华社北京十四日电】本社记者陈沂报导：昨天。",)
    assert bylines_of(agency, ()) == ("陈沂",)
    assert bylines_of(("正文。", "结尾。(李晓井)"), ()) == ("李晓井",)


def test_notice_placer_is_not_a_byline() -> None:
    body = ("张维于2021年6月25日捡到一名女婴。", "知情者联系张先生，电话13834643601。")
    assert bylines_of(body, ()) == ()


CREDIT_TEXT = st.text(
    st.one_of(
        st.sampled_from(list("王李张刘记者本报通讯员摄撰供稿评论员新华社電報記者")),
        st.sampled_from(list("·、，,。”！（）() \u3000\t")),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4E2F),
        st.characters(min_codepoint=0x3400, max_codepoint=0x3410),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    ),
    max_size=30,
)
CREDITS = ["（王明）", "记者 张三", "李四 摄", "本報記者 陳大明"]
CREDITS += ["（新华社）", "某某供稿", "记者 张三、"]


@settings(max_examples=400)
@given(st.builds(str.__add__, CREDIT_TEXT, st.sampled_from([*CREDITS, ""])))
def test_the_last_character_test_only_skips_what_could_not_match(text: str) -> None:
    """`_may_end_credit` lets most paragraphs skip OpenCC and the regexes; with it always
    true (the regexes alone decide) every answer must be the same."""
    fast = (bylines.trailing_credit(text), bylines.is_byline_line(text))
    original = bylines._may_end_credit
    bylines._may_end_credit = lambda _text, _marks: True
    try:
        slow = (bylines.trailing_credit(text), bylines.is_byline_line(text))
    finally:
        bylines._may_end_credit = original
    assert fast == slow
