"""Names from byline lines: roles and credits are dropped, people kept."""

from __future__ import annotations

import re

from .segment import BYLINE_LINE

_ROLES = re.compile(
    r"(?:本报|新华社|人民日报)?(?:特约|见习|实习)?(?:记者|通讯员|摄影|撰稿|编辑)"
    r"|图片由.*?提供|本报讯|摄$|\s摄\b"
)
_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}")
_INLINE = re.compile(r"本报讯\s*[（(]\s*([^）)]{2,40})[）)]")
_TRAILING = re.compile(r"[（(]\s*([\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*)\s*[)）]\s*$")
_PHOTO = re.compile(r"([\u4e00-\u9fff·]{2,4})\s*摄\s*$")


def names_in(line: str) -> list[str]:
    """People named in one byline line (`本报记者 臧力卿 曹飞` → 臧力卿, 曹飞)."""
    line = line.strip()
    if line == "本报评论员" or line.endswith("评论员"):
        return ["本报评论员"]
    if line.endswith("供稿"):
        return [line[: -len("供稿")].strip()]
    if match := _TRAILING.fullmatch(line) or _TRAILING.search(line):
        line = match.group(1)
    stripped = _ROLES.sub(" ", line)
    return [n for n in _NAME.findall(stripped) if n not in {"本报", "记者", "通讯员"}]


def bylines_of(paragraphs: tuple[str, ...], lines: tuple[str, ...]) -> tuple[str, ...]:
    """Names credited: byline lines, a 本报讯（记者 …） lead, a trailing （姓名）, a photo."""
    found: list[str] = []
    for line in lines:
        found.extend(names_in(line))
    body = [p for p in paragraphs if not p.startswith("## ")]
    if body:
        if match := _INLINE.search(body[0][:60]):
            found.extend(names_in(match.group(1)))
        last = body[-1]
        if last not in lines:
            if match := _TRAILING.search(last):
                found.extend(names_in(match.group(0)))
            elif match := _PHOTO.search(last):
                found.append(match.group(1))
    unique: list[str] = []
    for name in found:
        if name not in unique:
            unique.append(name)
    return tuple(unique)


__all__ = ["BYLINE_LINE", "bylines_of", "names_in"]
