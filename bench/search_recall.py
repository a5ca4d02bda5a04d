#!/usr/bin/env python3
"""Search recall benchmark: does Pagefind find the pages that contain a word?

For a built site this script

1. reads every article page (its searchable text, as newsarchive.search sees it);
2. picks a few hundred queries from that text, deterministically: jieba words of
   2-4 characters in document-frequency bands, person and place names, numbers
   such as 2695.9, two-word queries, and traditional spellings of simplified words;
3. finds by exact text match (after the traditional → simplified fold) which
   pages contain each query (every word of it);
4. for each variant, indexes a copy of the site, runs every query through the
   real Pagefind JavaScript in headless Chromium and reports recall (found ÷
   containing), precision at 10, index time and index size.

Variants: `bigram` (shipped: our segmentation, results checked against the
text as the search page does), `bigram-raw` (same index, Pagefind's ranked
list unchecked), `stock` (Pagefind 1.5.2 extended, jieba + Intl.Segmenter),
`stock-1.4` (Pagefind 1.4.0 extended, from a venv given by --pf14-python).

    python bench/search_recall.py --site site --label sample
    python bench/search_recall.py --site /tmp/s170 --label synthetic-1010

Results are appended to bench/results/search_recall.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsarchive.search import read_page  # noqa: E402
from newsarchive.searchtext import fold  # noqa: E402
from newsarchive.serve import make_server  # noqa: E402

RESULTS = REPO / "bench" / "results" / "search_recall.jsonl"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
]
HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
NUMBER = re.compile(r"\d+\.\d+|\d{3,}")
VARIANTS = ("bigram", "bigram-raw", "stock", "stock-1.4")


def load_docs(site: Path) -> dict[str, str]:
    """URL → searchable text of every article page."""
    docs = {}
    for path in sorted((site / "articles").glob("*/index.html")):
        url = "/" + path.relative_to(site).as_posix().removesuffix("index.html")
        docs[url] = read_page(path.read_text(encoding="utf-8"), url).text()
    return docs


def pick_queries(docs: dict[str, str], seed: int, per_band: int) -> list[tuple[str, str]]:
    """(category, query) pairs drawn from the corpus."""
    import jieba
    import jieba.posseg as pseg
    import opencc

    jieba.setLogLevel(60)
    rng = random.Random(seed)
    texts = list(docs.values())
    words_per_doc = [
        {w for w in jieba.cut(t) if HAN_WORD.match(w)} for t in texts
    ]  # default (precise) mode
    df = Counter(w for ws in words_per_doc for w in ws)
    bands = [(1, 1), (2, 3), (4, 10), (11, 50), (51, 10**9)]
    queries: list[tuple[str, str]] = []
    for lo, hi in bands:
        pool = sorted(w for w, n in df.items() if lo <= n <= hi)
        label = f"word df {lo}-{hi}" if hi < 10**9 else f"word df {lo}+"
        queries += [(label, w) for w in rng.sample(pool, min(per_band, len(pool)))]
    names: dict[str, set[str]] = {"nr": set(), "ns": set()}
    for t in rng.sample(texts, min(150, len(texts))):
        for w, flag in pseg.cut(t):
            if flag in names and HAN_WORD.match(w):
                names[flag].add(w)
    for flag, label in (("nr", "person name"), ("ns", "place name")):
        pool = sorted(names[flag])
        queries += [(label, w) for w in rng.sample(pool, min(per_band // 2, len(pool)))]
    numbers = sorted({n for t in texts for n in NUMBER.findall(t)})
    queries += [("number", n) for n in rng.sample(numbers, min(per_band // 2, len(numbers)))]
    for _ in range(per_band // 2):
        ws = sorted(rng.choice([w for w in words_per_doc if len(w) >= 2]))
        a, b = rng.sample(ws, 2)
        queries.append(("two words", f"{a} {b}"))
    s2t = opencc.OpenCC("s2t")
    trad = sorted({w for w, n in df.items() if n >= 2 and s2t.convert(w) != w})
    queries += [
        ("traditional", s2t.convert(w)) for w in rng.sample(trad, min(per_band // 2, len(trad)))
    ]
    return queries


def containing(docs: dict[str, str], query: str) -> set[str]:
    """Pages whose (folded) text contains every word of the query."""
    terms = [fold(t) for t in query.split()]
    return {url for url, text in docs.items() if all(t in fold(text) for t in terms)}


def build_variant(
    site: Path, work: Path, variant: str, pf14_python: str, shard_articles: int = 1500
) -> tuple[Path, float, int]:
    """Copy the site, index it as the variant; return (dir, seconds, index bytes)."""
    target = work / variant
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(site, target, ignore=shutil.ignore_patterns("pagefind"))
    kind = "bigram" if variant.startswith("bigram") else "stock"
    code = (
        "import sys; from pathlib import Path; from newsarchive.search import index_site; "
        f"index_site(Path(sys.argv[1]), variant={kind!r}, shard_articles={shard_articles})"
    )
    cmd = [sys.executable, "-c", code, str(target)]
    if variant == "stock-1.4":
        # 1.4.0's Python API leaves pagefind-entry.json empty; its CLI indexes the same
        # pages (only article pages carry data-pagefind-body) with the same settings.
        cmd = [pf14_python, "-m", "pagefind", "--site", str(target), "--force-language", "zh-cn"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    seconds = time.perf_counter() - start
    index = target / "pagefind"
    size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    return target, seconds, size


RUN_JS = """
async ([queries, mode]) => {
  const ns = window.newsSearch;
  let pf;
  if (mode === 'stock') {
    pf = await import('/pagefind/pagefind.js');
    await pf.options({baseUrl: '/'});
  } else {
    pf = await new ns.Engine('/').ready;  // shards merged, fold table loaded
  }
  const cache = new Map();
  const data = (r) => { if (!cache.has(r.id)) cache.set(r.id, r.data()); return cache.get(r.id); };
  const out = [];
  for (const query of queries) {
    let q = query, terms = null;
    if (mode !== 'stock') {
      terms = ns.termsOf(query);
      q = terms.map((t) => ns.tokens(t).join(' ')).join(' ');
    }
    const res = await pf.search(q);
    const datas = await Promise.all(res.results.map(data));
    let kept = datas;
    if (mode === 'bigram') {
      kept = datas.filter((d) => { const f = ns.fold(d.meta.text || '');
        return terms.every((t) => f.includes(t)); });
    }
    out.push(kept.map((d) => d.url));
  }
  return out;
}
"""


def run_queries(target: Path, queries: list[str], mode: str) -> list[list[str]]:
    """Ranked result URLs for each query, from Pagefind's JS in Chromium."""
    from playwright.sync_api import sync_playwright

    server = make_server(target, "/", port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/search/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
            )
            page = browser.new_page()
            page.set_default_timeout(600_000)
            page.goto(url)
            page.wait_for_function("window.newsSearch !== undefined")
            results = page.evaluate(RUN_JS, [queries, mode])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return results


def score(truth: list[set[str]], results: list[list[str]], cats: list[str]) -> dict:
    """Recall (micro and macro) and precision at 10, overall and per category."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cats):
        groups["all"].append(i)
        groups[c].append(i)
    out = {}
    for name, idx in groups.items():
        found = sum(len(set(results[i]) & truth[i]) for i in idx)
        total = sum(len(truth[i]) for i in idx)
        macro = [len(set(results[i]) & truth[i]) / len(truth[i]) for i in idx if truth[i]]
        p10 = [
            len([u for u in results[i][:10] if u in truth[i]]) / len(results[i][:10])
            for i in idx
            if results[i]
        ]
        out[name] = {
            "queries": len(idx),
            "recall": round(found / total, 4) if total else None,
            "recall_macro": round(sum(macro) / len(macro), 4) if macro else None,
            "p_at_10": round(sum(p10) / len(p10), 4) if p10 else None,
            "zero_result_queries": sum(1 for i in idx if not results[i]),
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, required=True, help="a built site (python build.py)")
    ap.add_argument("--label", default="", help="corpus name for the results file")
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    ap.add_argument("--pf14-python", default="/tmp/pf14/bin/python")
    ap.add_argument("--work", type=Path, default=Path("/tmp/search_recall"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-band", type=int, default=40)
    ap.add_argument(
        "--shard-articles",
        type=int,
        default=1500,
        help="articles per index shard (small values force a merged, multi-shard index)",
    )
    args = ap.parse_args()

    docs = load_docs(args.site)
    picked = pick_queries(docs, args.seed, args.per_band)
    cats = [c for c, _ in picked]
    queries = [q for _, q in picked]
    truth = [containing(docs, q) for q in queries]
    print(f"{len(docs)} articles, {len(queries)} queries", file=sys.stderr)
    built: dict[str, tuple[Path, float, int]] = {}
    rows = []
    for variant in args.variants:
        key = "bigram" if variant.startswith("bigram") else variant
        if key not in built:
            built[key] = build_variant(
                args.site, args.work, key, args.pf14_python, args.shard_articles
            )
        target, seconds, size = built[key]
        mode = variant if variant.startswith("bigram") else "stock"
        results = run_queries(target, queries, mode)
        row = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "corpus": args.label or str(args.site),
            "articles": len(docs),
            "variant": variant,
            "index_seconds": round(seconds, 2),
            "index_bytes": size,
            "seed": args.seed,
            "shard_articles": args.shard_articles,
            **score(truth, results, cats),
        }
        misses = [
            (q, sorted(t - set(r))[:2])
            for q, t, r in zip(queries, truth, results, strict=True)
            if t - set(r)
        ]
        row["missed_examples"] = misses[:8]
        rows.append(row)
        print(
            json.dumps({k: row[k] for k in ("variant", "all")}, ensure_ascii=False), file=sys.stderr
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print("| corpus | variant | queries | recall | recall (macro) | P@10 | index s | index MB |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        a = r["all"]
        print(
            f"| {r['corpus']} ({r['articles']}) | {r['variant']} | {a['queries']} | {a['recall']} "
            f"| {a['recall_macro']} | {a['p_at_10']} | {r['index_seconds']} "
            f"| {r['index_bytes'] / 1e6:.2f} |"
        )
    cats_all = sorted({c for r in rows for c in r if isinstance(r[c], dict)} - {"all"})
    print("\nrecall / P@10 by query kind:\n")
    print("| kind | " + " | ".join(r["variant"] for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for c in cats_all:
        cells = [f"{r[c]['recall']} / {r[c]['p_at_10']}" for r in rows]
        print(f"| {c} ({rows[0][c]['queries']}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
