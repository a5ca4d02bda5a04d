"""Command line: `python build.py [build|ingest|render|index|serve|check]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import Config, ConfigError, load_config
from .pipeline import build, run_index, run_ingest, run_render
from .report import Report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build a searchable static archive from raw OCR newspaper pages.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="build",
        choices=["build", "ingest", "render", "index", "serve", "check"],
        help="build (default): raw → content → site + search index; "
        "ingest: raw → content only; render: content → site without the index; "
        "index: search index of an existing site; serve: build, preview, rebuild on "
        "change and reload the open page; check: validate the built HTML and every link",
    )
    parser.add_argument("--config", type=Path, help="config file (default: ./archive.yaml)")
    parser.add_argument("--raw", type=Path, help="folder of raw pages (overrides raw_dir)")
    parser.add_argument(
        "--content", type=Path, help="folder of Markdown articles (overrides content_dir)"
    )
    parser.add_argument("--site", type=Path, help="output folder (overrides site_dir)")
    parser.add_argument(
        "--strict", action="store_true", help="exit non-zero if any input had a problem"
    )
    parser.add_argument(
        "--regenerate",
        nargs="+",
        type=Path,
        default=[],
        metavar="FILE",
        help="ingest/build: rewrite these edited content files (or every edited file of these raw "
        "pages) from the raw text; each edit is backed up under content/.backup/ first",
    )
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (0 picks a free one)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config(args.config).with_paths(
            raw_dir=args.raw, content_dir=args.content, site_dir=args.site
        )
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        return _check(config)
    missing = _missing_input(config, args.command)
    if missing:
        print(f"error: {missing}; nothing was built", file=sys.stderr)
        return 2
    report = Report()
    try:
        if args.command == "ingest":
            run_ingest(config, report, args.regenerate)
        elif args.command == "render":
            run_render(config, report, with_index=False)
        elif args.command == "index":
            run_index(config, report)
        else:
            build(config, report, args.regenerate)
    except KeyboardInterrupt:
        print(
            "stopped: content/ keeps what was written so far and site/ is as it was;"
            " run the same command again to carry on",
            file=sys.stderr,
        )
        return 130
    print(report.summary())
    if args.command == "serve":
        _serve(config, args)
    if args.strict and report.problems:
        return 1
    return 0


def _missing_input(config: Config, command: str | None) -> str | None:
    """The folder this command reads that does not exist, said plainly: a mistyped path
    must not end in a build of nothing (and a site replaced by an empty one)."""
    needs = {
        "render": (config.content_dir, "content folder", "content_dir", "--content"),
        "index": (config.site_dir, "site folder", "site_dir", "--site"),
    }.get(command or "build", (config.raw_dir, "raw folder", "raw_dir", "--raw"))
    folder, what, key, flag = needs
    if folder.is_dir():
        return None
    return f"{what} {folder} does not exist (set {key} in the config or pass {flag})"


def _check(config: Config) -> int:
    from .check import check_site

    try:
        problems = check_site(config.site_dir, config.base_url)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in problems:
        print(line)
    print(f"check: {len(problems)} problem(s) in {config.site_dir}")
    return 1 if problems else 0


def _serve(config: Config, args: argparse.Namespace) -> None:
    """Preview; rebuild when raw/, content/, templates/, assets/ or the config change."""
    from .incremental import ASSETS_DIR, TEMPLATES_DIR
    from .serve import serve

    def rebuild() -> None:
        report = Report()
        build(config, report)
        print(report.summary(), flush=True)

    paths = [config.raw_dir, config.content_dir, TEMPLATES_DIR, ASSETS_DIR]
    if args.config or (Path.cwd() / "archive.yaml").exists():
        paths.append((args.config or Path.cwd() / "archive.yaml").resolve())
    serve(config.site_dir, config.base_url, args.host, args.port, paths, rebuild)
