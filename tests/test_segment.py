"""Splitting page text into articles at headlines."""

from newsarchive.segment import segment_text

PAGE = """
规模以上煤企要拿出八成产能保供

山西明年煤炭重点合同开始签订

为贯彻落实国家发改委关于深入推进煤炭产供储销体系建设，进一步完善煤炭中长期合同制度，省能源局作出安排。

确保重点电煤供应

签订煤炭中长期合同，是保持煤炭稳定可靠供应的重要措施。

记者 岳霞红

寻亲启事

张维于2021年6月25日在太原火车站捡到一名女婴，现登报寻找该女婴家人。
"""


def test_splits_at_headlines_and_keeps_subheadings() -> None:
    segments, leftovers = segment_text(PAGE)
    assert [s.title for s in segments] == ["山西明年煤炭重点合同开始签订", "寻亲启事"]
    assert segments[0].kicker == "规模以上煤企要拿出八成产能保供"
    assert "## 确保重点电煤供应" in segments[0].paragraphs
    assert segments[0].bylines == ("记者 岳霞红",)
    assert not leftovers


def test_rejoins_paragraph_broken_by_column() -> None:
    """Page 001 prints `市委推动太` at the foot of one column and `忻大道` atop the next."""
    text = (
        "标题在此\n\n"
        "推进基础设施互联互通，就是要为城市发展拓展更大空间。基础设施对经济社会发展"
        "具有基础性作用。2022年，市委推动太\n\n"
        "忻大道、龙城大街东延、魏榆路改造建成通车，基础设施加速互联互通迈出坚实步伐。\n"
    )
    segments, _ = segment_text(text)
    assert any("市委推动太忻大道" in p for p in segments[0].paragraphs)


def test_continuation_marker_sets_continued_from() -> None:
    segments, _ = segment_text(
        "吹响冲锋号\n\n(上接第1版)要服务保障好山西综改示范区，做到南北呼应。\n"
    )
    assert segments[0].continued_from == "第1版"
