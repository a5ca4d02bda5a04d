#!/usr/bin/env python3
"""Generate deterministic raw newspaper pages (OCR-like text) for the benchmark.

The project ingests raw page text, so a benchmark of the whole pipeline needs raw
pages rather than ready-made articles. The pages are assembled from the real
sample pages: sentences (split on 。！？), headline shapes, bylines, notices and
layout quirks (kickers, ——subtitles, (上接第1版) jumps, column breaks, photo
captions, Markdown subheads), so segmentation meets the same shapes it meets in
production and the bodies keep realistic length and character mix.

    python bench/make_pages.py --pages N --seed S --out DIR [--seeds GLOB]

writes DIR/<newspaper>/<YYYY-MM-DD>/<NN>.txt (one page per file) and
DIR/manifest.json (counts plus, per page, the generated article titles: the
segmentation ground truth).

Page i depends only on (seed, i): the paper-day sequence is fixed by the seed
alone, so the N=1,000 corpus is a prefix of the N=10,000 one.
Stdlib only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import hashlib
import json
import os
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SEEDS = "/work/shared/corpus/*.txt"
# Fallback when the shared corpus is absent: the repository's own sample pages.
FALLBACK_SEEDS = str(Path(__file__).resolve().parent.parent / "raw" / "*.txt")

# (name, first year used, home city). Founding years are approximate; pages are
# dated between max(1950, first year) and 2025.
NEWSPAPERS: list[tuple[str, int, str]] = [
    ("人民日报", 1950, "北京"),
    ("光明日报", 1950, "北京"),
    ("工人日报", 1950, "北京"),
    ("中国青年报", 1951, "北京"),
    ("经济日报", 1983, "北京"),
    ("山西日报", 1950, "太原"),
    ("太原日报", 1950, "太原"),
    ("大同日报", 1950, "大同"),
    ("长治日报", 1950, "长治"),
    ("阳泉日报", 1950, "阳泉"),
    ("山西经济日报", 1994, "太原"),
    ("山西晚报", 1997, "太原"),
]
NATIONAL = {"人民日报", "光明日报", "工人日报", "中国青年报", "经济日报"}
LAST_DAY = dt.date(2025, 12, 31)
# Pages per paper-day: 4, 8, 12 or 16, about 8 on average.
PAGES_PER_DAY = [4, 4, 4, 8, 8, 8, 8, 8, 8, 12, 12, 16]
ARTICLES_PER_PAGE = [3, 4, 5, 5, 6, 6, 6, 6, 7, 7, 8, 9]
BODY_MIN, BODY_MAX = 500, 3000

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董"
    "程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎申郝武乔"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲"
    "飞鹏辉建国志文斌宇浩凯晨欣怡佳琪雪梅丹晶波捷苗卿"
)
STREETS = [
    "迎泽大街",
    "青年路",
    "平阳路",
    "长风街",
    "并州路",
    "建设路",
    "解放路",
    "五一路",
    "府西街",
    "南内环街",
    "新建路",
    "胜利街",
    "漪汾街",
    "滨河东路",
    "体育路",
    "和平路",
]
PLACES = [
    "火车站东广场",
    "人民医院附近",
    "长途汽车站候车厅",
    "公园南门",
    "快速路桥下",
    "客运站广场",
    "农贸市场门口",
    "社区卫生服务中心",
]
ROLES = [
    "省政协委员",
    "市人大代表",
    "省人大代表",
    "全国劳动模范",
    "县委书记",
    "乡村教师",
    "企业负责人",
    "市政协委员",
    "社区党委书记",
]
COLUMNS = [
    "省政府新闻办发布会",
    "省两会专访",
    "民生周刊",
    "要闻",
    "综合新闻",
    "城事",
    "经济观察",
    "理论",
    "副刊",
    "基层传真",
]
UNITS = ["市委党史研究室", "市档案馆", "市文联", "区融媒体中心", "县委宣传部"]
DOCS = ["营业执照副本", "公章一枚", "开户许可证", "税务登记证正本", "道路运输证", "房屋租赁合同"]
WATER_REASONS = ["道路工程", "配合供水管线阀门更换工程", "管网改造施工", "新建管线碰头施工"]
POWER_REASONS = ["线路检修", "配电设备改造", "电网升级改造工程"]

_TERMINATED = re.compile(r"[^。！？]*[。！？][”’」』）)]*")
_CLAUSE_SPLIT = re.compile(r"[，,：:；;、（）()“”‘’《》]")
_MD_PREFIX = re.compile(r"^(?:#+\s*|◆|\*\*)+|\*\*$")
_SENT_PUNCT = re.compile(r"[。！？，,；;：:]")
_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")
_BYLINE = re.compile(r"^(?:本报记者|记者|见习记者|通讯员|本报评论员)")
_LEAD = re.compile(r"^(?:本报讯(?:（[^）]*）)?\s*|\((?:上接)[^)]*\)|（上接[^）]*）)")
_END_NAME = re.compile(r"[(（]([\u4e00-\u9fff]{2,3})[)）]$")
_PHOTO_CREDIT = re.compile(r"([\u4e00-\u9fff]{2,3}) 摄$")
_ROLE_WORDS = {"记者", "本报记者", "通讯员", "见习记者", "本报评论员", "实习生"}
_NOT_SUBHEAD = re.compile(r"启事|通知|通告|声明|人民政府|有限公司")
# Clauses that cannot start or be a headline: Latin, percentages, a dangling particle.
_BAD_CLAUSE = re.compile(r"[A-Za-z%．.]|^[的了而并但及等和与也就都又还]")
_DIGITS = re.compile(r"\d+(?:\.\d+)?(?![\d.年月日时号])")


@dataclass
class Seeds:
    """Text material drawn from the sample pages, plus a few synthesised variants."""

    variants: list[list[str]]  # parallel sentence lists; [0] is the original text
    headlines: list[str]  # 8-28 char headline lines seen in the samples
    clauses: list[str]  # 4-14 char clauses, to synthesise headline shapes
    subheads: list[str]  # short subhead lines
    subtitles: list[str]  # "——…" lines
    kickers: list[str]  # "…——" lines printed above a headline
    names: list[str]  # people named in bylines
    digest: str  # hash of the seed text, so a manifest says what it was built from
    files: list[str] = field(default_factory=list)


def _vary_digits(rng: random.Random, s: str) -> str:
    """Give figures (not dates) new digits: more distinct tokens, same shape."""

    def repl(m: re.Match[str]) -> str:
        digits = [c if c == "." else str(rng.randint(0, 9)) for c in m.group(0)]
        digits[0] = str(rng.randint(1, 9))
        return "".join(digits)

    return _DIGITS.sub(repl, s)


def load_seeds(pattern: str, seed: int, nvariants: int = 4) -> Seeds:
    """Read the sample pages and sort their lines into the material pools."""
    files = sorted(glob.glob(pattern))
    if not files and pattern == DEFAULT_SEEDS:
        files = sorted(glob.glob(FALLBACK_SEEDS))
    if not files:
        sys.exit(f"no seed files match {pattern!r}")
    digest = hashlib.sha256()
    sentences: list[str] = []
    headlines: list[str] = []
    subheads: list[str] = []
    subtitles: list[str] = []
    kickers: list[str] = []
    names: list[str] = []
    for path in files:
        text = Path(path).read_text(encoding="utf-8")
        digest.update(text.encode("utf-8"))
        body: list[str] = []
        for raw in text.splitlines():
            line = _MD_PREFIX.sub("", raw.strip()).strip()
            if not line:
                continue
            if line.startswith("——"):
                subtitles.append(line)
                continue
            if _BYLINE.match(line) and len(line) <= 40:
                names += [t for t in line.split() if _NAME.fullmatch(t) and t not in _ROLE_WORDS]
                continue
            m = _END_NAME.search(line)  # "(胡平)" alone or closing a paragraph
            if m:
                names.append(m.group(1))
                line = line[: m.start()].strip()
            m = _PHOTO_CREDIT.search(line)
            if m:
                names.append(m.group(1))
                line = line[: m.start()].strip()
            line = _LEAD.sub("", line).strip()
            if not line:
                continue
            if len(line) <= 40 and line.endswith("——"):
                kickers.append(line)
                continue
            if len(line) <= 30 and not _SENT_PUNCT.search(line):
                if _NOT_SUBHEAD.search(line):
                    continue
                if 8 <= len(line) <= 28:
                    headlines.append(line)
                elif 4 <= len(line) < 8:
                    subheads.append(line)
                continue
            body.append(line)
        for s in _TERMINATED.findall("".join(body)):
            s = s.strip()
            if 6 <= len(s) <= 220:
                sentences.append(s)
    sentences = list(dict.fromkeys(sentences))
    if len(sentences) < 50:
        sys.exit(f"only {len(sentences)} sentences in {pattern!r}; need more sample text")
    clauses = []
    for s in sentences:
        for c in _CLAUSE_SPLIT.split(s.rstrip("。！？”’」』）)")):
            c = c.strip()
            if 4 <= len(c) <= 14 and not _BAD_CLAUSE.search(c):
                clauses.append(c)
    rng = random.Random(seed)
    variants = [sentences] + [
        [_vary_digits(rng, s) for s in sentences] for _ in range(nvariants - 1)
    ]
    return Seeds(
        variants=variants,
        headlines=list(dict.fromkeys(headlines)),
        clauses=list(dict.fromkeys(clauses)),
        subheads=list(dict.fromkeys(subheads)) or ["一、总体要求"],
        subtitles=list(dict.fromkeys(subtitles)) or ["——深入学习贯彻会议精神"],
        kickers=list(dict.fromkeys(kickers)),
        names=list(dict.fromkeys(n for n in names if len(n) in (2, 3))),
        digest=digest.hexdigest()[:16],
        files=[os.path.basename(f) for f in files],
    )


@dataclass(frozen=True)
class PaperDay:
    """One issue: which paper, which day, how many pages it has."""

    newspaper: str
    city: str
    date: dt.date
    npages: int


def paper_days(seed: int) -> Iterator[PaperDay]:
    """Endless issue sequence fixed by the seed; each depends only on earlier ones."""
    used: set[tuple[str, dt.date]] = set()
    k = 0
    while True:
        rng = random.Random(seed * 7_919 + k)
        name, first, city = NEWSPAPERS[rng.randrange(len(NEWSPAPERS))]
        start = dt.date(max(1950, first), 1, 1)
        span = (LAST_DAY - start).days + 1
        off = rng.randrange(span)
        while (name, start + dt.timedelta(days=off)) in used:
            off = (off + 1) % span
        day = start + dt.timedelta(days=off)
        used.add((name, day))
        yield PaperDay(name, city, day, rng.choice(PAGES_PER_DAY))
        k += 1


class PageWriter:
    """Builds the text of one page from the seed pools, using one RNG."""

    def __init__(self, seeds: Seeds, rng: random.Random, day: PaperDay, page_no: int) -> None:
        self.s = seeds
        self.rng = rng
        self.day = day
        self.page_no = page_no
        self.md = rng.random() < 0.4  # this page's OCR marked headlines with "## "
        self.fullwidth = rng.random() < 0.3  # "（上接第一版）" instead of "(上接第1版)"

    # -- small pieces -------------------------------------------------------------
    def name(self) -> str:
        r = self.rng
        if self.s.names and r.random() < 0.3:
            return r.choice(self.s.names)
        return r.choice(SURNAMES) + "".join(r.sample(GIVEN, r.choice((1, 2, 2))))

    def names(self, lo: int, hi: int) -> str:
        return " ".join(self.name() for _ in range(self.rng.randint(lo, hi)))

    def headline(self) -> str:
        r = self.rng
        if self.s.headlines and r.random() < 0.25:
            return r.choice(self.s.headlines)
        for _ in range(10):
            a = r.choice(self.s.clauses)
            if len(a) >= 8 and r.random() < 0.5:
                return a
            b = r.choice(self.s.clauses)
            t = f"{a} {b}" if r.random() < 0.8 else a + b
            if 8 <= len(t) <= 28:
                return t
        return (r.choice(self.s.clauses) + "的新实践")[:28].ljust(8, "长")

    def subhead(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            return r.choice(self.s.subheads)
        c = r.choice(self.s.clauses)
        return c if len(c) <= 12 else c[:10]

    def heading(self, text: str, level: int = 2) -> str:
        return ("#" * level + " " + text) if self.md else text

    def jump(self) -> str:
        src = self.rng.randint(1, max(1, self.page_no - 1)) if self.rng.random() < 0.2 else 1
        if self.fullwidth:
            return f"（上接第{'一二三四五六七八九'[src - 1] if src <= 9 else src}版）"
        return f"(上接第{src}版)"

    def md_date(self, d: dt.date) -> str:
        return f"{d.month}月{d.day}日"

    # -- body text ----------------------------------------------------------------
    def paragraphs(self, target: int) -> list[str]:
        """Runs of 1-5 consecutive seed sentences, until about `target` characters.

        No sentence is used twice in one article, as a real article never repeats itself.
        """
        r = self.rng
        pool = self.s.variants[r.randrange(len(self.s.variants))]
        n = len(pool)
        paras: list[str] = []
        taken: set[int] = set()
        used = 0
        while used < BODY_MIN or (used < target and len(taken) < n // 2):
            start = r.randrange(n)
            if start in taken:
                continue
            stop = start + 1
            want = min(n, start + r.randint(1, 5))
            while stop < want and stop not in taken:
                stop += 1
            while stop > start + 1 and used + sum(map(len, pool[start:stop])) > BODY_MAX:
                stop -= 1
            para = "".join(pool[start:stop])
            if used + len(para) > BODY_MAX:
                if used >= BODY_MIN:
                    break
                continue
            taken.update(range(start, stop))
            paras.append(para)
            used += len(para)
        return paras

    def column_break(self, paras: list[str]) -> None:
        """Split one paragraph mid-sentence, as a column break leaves it in OCR."""
        r = self.rng
        idx = [i for i, p in enumerate(paras) if len(p) >= 40]
        if not idx:
            return
        i = r.choice(idx)
        p = paras[i]
        commas = [m.end() for m in re.finditer(r"[，,]", p) if 8 < m.end() < len(p) - 8]
        cut = (
            r.choice(commas)
            if commas and r.random() < 0.6
            else r.randint(len(p) // 3, 2 * len(p) // 3)
        )
        paras[i : i + 1] = [p[:cut], p[cut:]]

    def caption(self) -> str:
        r = self.rng
        c = r.choice(self.s.clauses)
        d = self.day.date - dt.timedelta(days=r.randint(0, 3))
        return f"图为{self.md_date(d)}，{c}。{self.name()} 摄"

    # -- blocks -------------------------------------------------------------------
    def article(self, kind: str) -> tuple[list[str], str | None]:
        """One block of lines/paragraphs (joined with blank lines) and its title."""
        r = self.rng
        out: list[str] = []
        title: str | None = self.headline()
        if r.random() < 0.05:
            out.append(self.heading(r.choice(COLUMNS), 3))
        if kind in ("news", "interview") and r.random() < 0.15:
            if self.s.kickers and r.random() < 0.2:
                k = r.choice(self.s.kickers).removesuffix("——")
            else:
                k = self.headline()
            out.append(("# " + k + "——") if self.md else (k if r.random() < 0.6 else k + "——"))
        if kind == "continuation" and r.random() < 0.2:
            title = None
        if title is not None:
            out.append(self.heading(title))
        lead_prefix = ""
        end: str | None = None
        tail = ""
        if kind == "commentary":
            out.append(
                r.choice(self.s.subtitles)
                if r.random() < 0.4
                else "——论" + r.choice(self.s.clauses)
            )
            out.append("本报评论员")
        elif kind == "interview":
            out.append(f"——访{r.choice(ROLES)}{self.name()}")
            out.append("本报记者 " + self.names(1, 2))
        elif kind == "continuation":
            if r.random() < 0.3:
                out.append(self.jump())
            else:
                lead_prefix = self.jump()
            if r.random() < 0.4:
                tail = f"({self.name()})"
        else:
            if r.random() < 0.1:
                out.append("——" + r.choice(self.s.clauses))
            style = r.random()
            if style < 0.25:
                out.append("本报记者 " + self.names(1, 3))
            elif style < 0.5:
                extra = r.choice(("", "", f" 通讯员 {self.name()}", f" 见习记者 {self.name()}"))
                lead_prefix = f"本报讯（记者 {self.name()}{extra}）"
            elif style < 0.6:
                lead_prefix = "本报讯 "
                tail = f"({self.name()})"
            elif style < 0.8:
                end = "记者 " + self.name()
                if r.random() < 0.5:
                    end += " 通讯员 " + self.names(1, 2)
                if r.random() < 0.1:
                    end += " 图片由受访者提供"
            elif style < 0.9:
                tail = f"({self.name()})"
            elif self.day.newspaper in NATIONAL:
                filed = self.md_date(self.day.date - dt.timedelta(days=1))
                lead_prefix = f"新华社北京{filed}电（记者 {self.names(1, 2)}）"
            elif r.random() < 0.5:
                end = f"{r.choice(UNITS)}供稿"
        paras = self.paragraphs(int(r.triangular(BODY_MIN, BODY_MAX, 1000)))
        if kind == "news" and r.random() < 0.1:
            paras.insert(r.randint(1, len(paras)), self.caption())
        if r.random() < 0.12:
            self.column_break(paras)
        paras[0] = lead_prefix + paras[0]
        paras[-1] += tail
        if len(paras) > 3 and r.random() < 0.25:  # subheads inside the article
            for _ in range(r.randint(1, min(3, len(paras) // 3))):
                at = r.randint(1, len(paras) - 1)
                if self.md:
                    sub = ("### " if r.random() < 0.7 else "## ◆") + self.subhead()
                else:
                    sub = ("## " if r.random() < 0.5 else "") + self.subhead()
                paras.insert(at, sub)
        out += paras
        if end:
            out.append(end)
        return out, title

    def photo(self) -> tuple[list[str], str | None]:
        """A picture: optional headline, then a caption ending "某某 摄"."""
        r = self.rng
        title = self.headline() if r.random() < 0.5 else None
        lead = r.choice(self.s.variants[0]) if r.random() < 0.6 else ""
        return ([self.heading(title)] if title else []) + [lead + self.caption()], title

    def notice(self) -> tuple[list[str], str]:
        r = self.rng
        d = self.day.date - dt.timedelta(days=1)
        city = self.day.city
        which = r.random()
        if which < 0.35:
            found = d - dt.timedelta(days=r.randint(30, 400))
            finder = self.name()
            baby = r.choice(("女婴", "男婴"))
            phone = "1" + str(r.randint(3, 8)) + "".join(str(r.randint(0, 9)) for _ in range(9))
            body = [
                f"{finder}于{found.year}年{found.month}月{found.day}日在{city}{r.choice(PLACES)}"
                f"捡到一名{baby}，取名{self.name()}，现寻找其亲生父母。",
                f"请知情者联系{finder}，电话{phone}。",
            ]
            title = "寻亲启事"
        elif which < 0.75:
            power = r.random() < 0.3
            title = "停电通知" if power else "停水通知"
            h = r.randint(8, 20)
            end = d + dt.timedelta(days=r.randint(1, 3))
            reason = r.choice(POWER_REASONS if power else WATER_REASONS)
            what = "停电" if power else "停水"
            body = [
                f"兹因{reason}，定于{end.year}年{self.md_date(end)}{h}时—"
                f"{self.md_date(end + dt.timedelta(days=1))}{(h + 8) % 24}时在下列地区实施{what}："
            ]
            for _ in range(r.randint(1, 3)):
                a, b, c = r.sample(STREETS, 3)
                body.append(f"{a}（{b}—{c}）")
            body.append(
                f"望相关区域内的用户周知并提前做好{'相关' if power else '储水'}准备，"
                f"因{what}给您带来的不便请予以谅解。"
            )
            company = f"国网{city}供电公司" if power else f"{city}供水集团有限公司"
            body.append(f"{company}  \n{d.year}年{d.month}月{d.day}日")
            if self.md:
                title = "## " + title
        else:
            title = "遗失声明"
            body = [
                f"{city}{r.choice(self.s.clauses)[:6]}有限公司遗失{r.choice(DOCS)}，声明作废。"
                for _ in range(r.randint(1, 4))
            ]
        return [title, *body], title.removeprefix("## ")

    def page(self) -> tuple[str, list[str | None], list[str]]:
        """The page text, its article titles and kinds (ground truth, in page order)."""
        r = self.rng
        n = r.choice(ARTICLES_PER_PAGE)
        blocks: list[str] = []
        titles: list[str | None] = []
        kinds: list[str] = []
        for j in range(n):
            x = r.random()
            if self.page_no > 1 and j < 2 and x < 0.25:
                kind = "continuation"
            elif self.page_no <= 2 and j == 0 and x < 0.45:
                kind = "commentary"
            elif x < 0.08:
                kind = "interview"
            elif x < 0.13 and j:
                kind = "photo"
            elif x < 0.18 and j == n - 1:
                kind = "notice"
            else:
                kind = "news"
            if kind == "photo":
                lines, title = self.photo()
            elif kind == "notice":
                lines, title = self.notice()
            else:
                lines, title = self.article(kind)
            blocks.append("\n\n".join(lines))
            titles.append(title)
            kinds.append(kind)
        head = "\n" * r.choice((0, 0, 1, 2))
        return head + "\n\n".join(blocks) + "\n", titles, kinds


def iter_pages(seed: int, n: int, seeds: Seeds) -> Iterator[tuple[PaperDay, int, str, list, list]]:
    """Yield (issue, page number, text, titles, kinds) for pages 0..n-1."""
    i = 0
    for day in paper_days(seed):
        for page_no in range(1, day.npages + 1):
            if i >= n:
                return
            rng = random.Random(seed * 1_000_003 + i)
            text, titles, kinds = PageWriter(seeds, rng, day, page_no).page()
            yield day, page_no, text, titles, kinds
            i += 1


def generate(pages: int, seed: int, out: str, seeds_glob: str = DEFAULT_SEEDS) -> dict:
    """Write the corpus and manifest.json under `out`; return the manifest."""
    seeds = load_seeds(seeds_glob, seed)
    made: set[str] = set()
    index = []
    kinds_total: dict[str, int] = {}
    papers: dict[str, int] = {}
    dates: list[str] = []
    articles = chars = 0
    for day, page_no, text, titles, kinds in iter_pages(seed, pages, seeds):
        d = os.path.join(out, day.newspaper, day.date.isoformat())
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        rel = f"{day.newspaper}/{day.date.isoformat()}/{page_no:02d}.txt"
        with open(os.path.join(d, f"{page_no:02d}.txt"), "w", encoding="utf-8") as fh:
            fh.write(text)
        index.append({"path": rel, "titles": titles, "kinds": kinds})
        articles += len(titles)
        chars += len(text)
        papers[day.newspaper] = papers.get(day.newspaper, 0) + 1
        dates.append(day.date.isoformat())
        for k in kinds:
            kinds_total[k] = kinds_total.get(k, 0) + 1
    manifest = {
        "generator": "bench/make_pages.py",
        "seed": seed,
        "seed_files": seeds.files,
        "seed_digest": seeds.digest,
        "seed_sentences": len(seeds.variants[0]),
        "pages": len(index),
        "articles": articles,
        "newspapers": len(papers),
        "paper_days": len(made),
        "date_range": [min(dates), max(dates)] if dates else None,
        "page_chars": chars,
        "pages_per_newspaper": dict(sorted(papers.items())),
        "kinds": dict(sorted(kinds_total.items())),
        "by_page": index,
    }
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--pages", type=int, required=True, help="number of pages to write")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--out", required=True, help="folder to write the raw pages into")
    ap.add_argument("--seeds", default=DEFAULT_SEEDS, help="glob of sample page texts")
    a = ap.parse_args(argv)
    m = generate(a.pages, a.seed, a.out, a.seeds)
    summary = {
        k: m[k]
        for k in ("pages", "articles", "newspapers", "paper_days", "date_range", "page_chars")
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
