"""Byline shapes and the names in them: roles and credits are dropped, people kept.

Segmentation uses the shapes to see where an article ends (a byline closes
it); enrichment uses `bylines_of` to list the people credited.
"""

from __future__ import annotations

import re

from .searchtext import HAN as ANY_HAN
from .textutil import to_simplified

HAN = r"\u4e00-\u9fff"
_NAME = rf"[{HAN}·]{{2,4}}"
ROLE = (
    r"(?:本报|本社|新华社|人民日报|中新社)?(?:特派|特约|驻\S{1,4})?(?:见习|实习)?"
    r"(?:记者|通讯员|摄影记者|摄影|评论员|撰稿|编辑)"
)
# A whole line that is a byline.
BYLINE_LINE = re.compile(
    rf"^(?:{ROLE}\s*(?:{_NAME}[\s、，,]*)+)+(?:\s*图片由.*提供)?\s*(?:摄|撰)?$"
    rf"|^(?:本报|本社)?评论员$|^[（(]\s*{_NAME}(?:\s+{_NAME})*\s*[)）]$"
    rf"|^{_NAME}\s*(?:摄|撰)$|^.{{2,30}}供稿$"
    r"|^[（(](?:新华社|中新社|本报|新华社稿|本报讯)[)）]$"
)
AGENCIES = {"新华社", "中新社", "本报", "新华社稿", "本报讯"}
# Common surnames: a bare two-to-four character line or a paragraph-final (姓名)
# counts as a name only when it starts with one, so (试行) or (草案) never do.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
    "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟"
    "殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游"
    "辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫"
    "费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明"
    "佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝"
    "区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普"
    "阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾"
    "茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由弓"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐")
NOT_NAMES = {"本报", "本社", "记者", "通讯员", "评论员", "摄影", "见习", "实习", "特约", "编辑"}

# A paragraph that ends with a credit: "…。(李晓井)", "…” 记者 弓凤飞", "…牛利敏 摄".
_TRAIL_PAREN = re.compile(rf"[（(]\s*({_NAME}(?:\s+{_NAME})*)\s*[)）]\s*$")
_TRAIL_ROLE = re.compile(rf"(?:^|[\s”。！？」）)])((?:{ROLE}\s*{_NAME}\s*)+(?:摄|撰)?)\s*$")
_TRAIL_PHOTO = re.compile(rf"(?:^|[\s。”])((?:{ROLE}\s*)?{_NAME})\s*(?:摄|撰)\s*$")
_LEAD = re.compile(
    r"^(?:本报讯|本报\S{0,10}电|【[^】]{2,30}】|[（(]?新华社\S{0,12}电[)）]?)\s*[（(]([^）)]{2,40})[）)]"
)
_LEAD_AGENCY = re.compile(
    rf"^(?:【[^】]{{2,30}}】|新华社\S{{0,12}}电)\s*((?:{ROLE})\s*{_NAME}?)(?:报导|报道|电)"
)


def is_name(word: str) -> bool:
    """A plausible personal name: 2-4 Han characters starting with a common surname."""
    if not re.fullmatch(rf"[{HAN}·]{{2,4}}", word) or word in NOT_NAMES:
        return False
    simple = to_simplified(word)
    return simple[0] in SURNAMES or simple.startswith(COMPOUND_SURNAMES)


def _same_length_simplified(text: str) -> str:
    """Simplified form for matching; the original when conversion changes its length."""
    simple = to_simplified(text)
    return simple if len(simple) == len(text) else text


# What a credit can end with: a name (Han or ·), 摄/撰/供稿, a bracket; a byline line
# also a list separator. Most paragraphs end with 。, and this test lets them skip the
# OpenCC conversion and the regexes below: 3% of a full build's CPU before it.
_HAN_ANY = re.compile(f"[{ANY_HAN}]")


def _may_end_credit(text: str, marks: str) -> bool:
    last = text[-1:]
    return bool(last) and (last in marks or _HAN_ANY.match(last) is not None)


def trailing_credit(paragraph: str) -> str | None:
    """The credit a paragraph ends with, if any (it closes an article), as printed."""
    original = paragraph.rstrip()
    if not _may_end_credit(original, "·)）"):
        return None
    text = _same_length_simplified(original)
    found = _trailing_credit(text)
    return original[len(text) - len(found) :] if found else None


def _trailing_credit(text: str) -> str | None:
    if text.endswith("供稿") and len(text) <= 40:
        return text
    if (match := _TRAIL_PAREN.search(text)) and all(is_name(n) for n in match.group(1).split()):
        return match.group(0)
    if match := _TRAIL_ROLE.search(text):
        return match.group(1)
    if match := _TRAIL_PHOTO.search(text):
        return match.group(1) + text[match.end(1) :]
    return None


def is_byline_line(line: str) -> bool:
    """A whole line that credits people (and nothing else)."""
    line = line.strip()
    if not _may_end_credit(line, "·)）、，,"):
        return False
    line = _same_length_simplified(line)
    if not BYLINE_LINE.match(line):
        return False
    paren = re.fullmatch(r"[（(]\s*(.+?)\s*[)）]", line)
    if paren and paren.group(1) in AGENCIES:
        return True
    if paren:
        return all(is_name(n) for n in paren.group(1).split())
    if re.fullmatch(r"(?:本报|本社)?评论员|.{2,30}供稿|[（(].+[)）]", line):
        return True
    names = names_in(line)
    return bool(names) and all(is_name(n) for n in names)


def names_in(line: str) -> list[str]:
    """People named in one credit (`本报记者 臧力卿 曹飞` → 臧力卿, 曹飞), as printed."""
    original = line.strip().strip("（()）").strip()
    text = _same_length_simplified(original)
    if re.fullmatch(r"(?:本报|本社)?评论员", text):
        return ["本报评论员"]
    if text in AGENCIES:
        return []
    if text.endswith("供稿"):
        return [original[: -len("供稿")].strip()]

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))

    for pattern in (r"图片由.*?提供", r"(?:报导|报道)$", r"\s*(?:摄|撰)$", ROLE):
        text = re.sub(pattern, blank, text)
    out: list[str] = []
    for match in re.finditer(r"[^\s、，,]+", text):
        chunk = match.group(0)
        if chunk not in NOT_NAMES and re.fullmatch(rf"[{HAN}·]{{2,4}}", chunk):
            out.append(original[match.start() : match.end()])
    return out


def bylines_of(paragraphs: tuple[str, ...], lines: tuple[str, ...]) -> tuple[str, ...]:
    """Names credited: byline lines, a 本报讯（记者 …） lead, a paragraph-final credit."""
    found: list[str] = []
    for line in lines:
        found.extend(names_in(line))
    body = [p for p in paragraphs if not p.startswith("## ") and p not in lines]
    if body:
        printed = re.sub(r"^[（(]\s*(?:上接|接上)[^)）]*[)）]\s*", "", body[0])[:80]
        first = _same_length_simplified(printed)
        if match := _LEAD.search(first):
            inner = printed[match.start(1) : match.end(1)]
            if re.search(ROLE, match.group(1)) or all(is_name(n) for n in inner.split()):
                found.extend(names_in(inner))
        elif match := _LEAD_AGENCY.search(first):
            found.extend(names_in(printed[match.start(1) : match.end(1)]))
        if credit := trailing_credit(body[-1]):
            found.extend(names_in(credit))
    unique: list[str] = []
    for name in found:
        if name not in unique:
            unique.append(name)
    return tuple(unique)


__all__ = ["BYLINE_LINE", "bylines_of", "is_byline_line", "names_in", "trailing_credit"]
