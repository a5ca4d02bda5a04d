"""The page date: the rules in order, and inference that never invents precision."""

from newsarchive.dates import cn_number, infer_date, page_date
from newsarchive.model import PageMeta


def test_override_beats_everything() -> None:
    meta = PageMeta(date="2021-12-09", date_override=True)
    when = page_date(meta, "《人民日报》（2025年01月15日第 11 版）")
    assert (when.date, when.source) == ("2021-12-09", "override")


def test_path_beats_printed_date() -> None:
    when = page_date(
        PageMeta(newspaper="太原日报", date="2021-12"), "《人民日报》（2025年01月15日）"
    )
    assert (when.date, when.source, when.newspaper) == ("2021-12", "path", "太原日报")


def test_masthead_gives_date_paper_and_page() -> None:
    when = page_date(PageMeta(), "《人民日报》（2025年01月15日第 11 版）\n\n正文。")
    assert (when.date, when.source, when.newspaper, when.page_no) == (
        "2025-01-15",
        "explicit",
        "人民日报",
        11,
    )


def test_top_dateline_without_brackets() -> None:
    when = page_date(PageMeta(), "人民日报 1953年3月14日 星期六\n正文。")
    assert (when.date, when.newspaper) == ("1953-03-14", "人民日报")


def test_issue_example_december_2021() -> None:
    """`12月8日`, plans for `2022年度`, a deadline `2021年12月13日` still ahead."""
    text = (
        "12月8日，省政府新闻办举行新闻发布会。省能源局就2022年度煤炭中长期合同签订作出安排。"
        "汇总工作于2021年12月13日24时结束。"
    )
    assert infer_date(text) == "2021-12"
    assert page_date(PageMeta(), text).source == "inferred"


def test_past_event_later_in_the_year_means_next_year() -> None:
    """A January page reporting a find of `2022年4月26日` is from January 2023."""
    text = "1月4日，市医保中心传来消息。刘秀兰于2022年4月26日在医院附近捡到一名女婴。"
    assert infer_date(text) == "2023-01"


def test_future_date_far_ahead_is_not_past_evidence() -> None:
    text = "1月4日，我市召开会议，要求到2025年6月30日前完成改造。"
    assert infer_date(text) != "2026-01"  # a deadline is not an event already past
    assert infer_date("3月11日，会议召开。计划于2026年10月建成。2025年是关键一年。") == "2025-03"


def test_chinese_numerals() -> None:
    assert cn_number("二十九") == 29 and cn_number("十") == 10 and cn_number("八") == 8
    assert infer_date("大会由一九五三年三月九日下午三时开始。三月九日，全场肃立。") == "1953-03"


def test_no_evidence_no_date() -> None:
    assert infer_date("市民在公园晨练，一派充满朝气的景象。") is None
    assert page_date(PageMeta(), "没有日期。").source == "none"


def test_only_a_year_gives_only_a_year() -> None:
    assert infer_date("2021年是“十四五”开局之年。") is None  # a year alone is not evidence of when
    assert infer_date("张维于2021年6月25日捡到一名女婴。") == "2021"
