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


def test_page_004_columns_out_of_order_are_rejoined() -> None:
    """`专业护` + `理技能` rejoins `护理`; `职业态度革` + `新技术` rejoins `革新`."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "raw" / "004_e0aca1a44daf8f47.txt").read_text(
        encoding="utf-8"
    )
    segments, _ = segment_text(text)
    body = {s.title: "\n".join(s.paragraphs) for s in segments}
    assert "职业态度革新技术" in body["新中国首位女采煤队队长——苏景云"]
    continuation = next(s for s in segments if s.continued_from == "第一版")
    joined = "\n".join(continuation.paragraphs)
    assert "专业护理技能" in joined and joined.rstrip().endswith("(薄红贞)")
    assert "## 提高服务质量 老年生活有温度有品质" in continuation.paragraphs
    report = next(s for s in segments if s.title == "政府工作報告")
    assert report.dropped, "the sentences OCR printed twice are dropped and recorded"


def test_caption_after_picture_gap_and_banner() -> None:
    text = (
        "市人社局聚力经济工作\n\n本报讯 市人社局表示，要稳就业。(李晓井)\n\n"
        "深入学习宣传贯彻市委经济工作会议精神\n\n\n\n"
        "图为1月4日，市民正在选购商品。牛利敏 摄\n\n"
        "265个病种分级诊疗暂停执行\n\n本报讯 1月4日，市医保中心传来消息。(刘涛)\n"
    )
    segments, leftovers = segment_text(text)
    assert [s.title for s in segments] == [
        "市人社局聚力经济工作",
        None,
        "265个病种分级诊疗暂停执行",
    ]
    assert segments[0].column == "深入学习宣传贯彻市委经济工作会议精神"
    assert segments[1].photo
    assert not leftovers


def test_multiline_headline_in_single_newline_layout() -> None:
    text = (
        "首都各界人民举行追悼大会\n毛主席亲临大会\n"
        "【新华社北京九日电】本社记者李庄报导：首都各界人民今天举行追悼大会。\n"
        "全国各地同时举行追悼\n【新华社十日电】全国各大城市都举行了追悼大会。\n"
    )
    segments, _ = segment_text(text)
    assert [(s.kicker, s.title) for s in segments] == [
        ("首都各界人民举行追悼大会", "毛主席亲临大会"),
        (None, "全国各地同时举行追悼"),
    ]


def test_marked_page_subheadings_and_notices() -> None:
    text = (
        "# 我省落实民生实事\n\n正文第一段。\n\n## ◆快递进村\n\n正文第二段。\n\n记者 尹哲\n\n"
        "## 停水通知\n\n兹因道路工程停水。\n\n太原供水集团有限公司  \n2023年8月29日\n\n"
        "## 停水通知\n\n兹因管线施工停水。\n"
    )
    segments, _ = segment_text(text)
    assert [s.title for s in segments] == ["我省落实民生实事", "停水通知", "停水通知"]
    assert "## ◆快递进村" in segments[0].paragraphs
    assert "太原供水集团有限公司" in segments[1].paragraphs


def test_ocr_duplicate_sentence_dropped_once() -> None:
    sentence = "开展大规模职业技能提升培训行动，增加紧缺技能人才供给。"
    segments, _ = segment_text(f"标题\n\n第一段。{sentence}\n\n第二段。{sentence}\n")
    assert "\n".join(segments[0].paragraphs).count(sentence) == 1
    assert segments[0].dropped == (sentence,)
