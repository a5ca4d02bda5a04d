"""Command line: `python build.py [build|ingest|render|index|serve]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import ConfigError, load_config
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
        choices=["build", "ingest", "render", "index", "serve"],
        help="build (default): raw → content → site + search index; "
        "ingest: raw → content only; render: content → site without the index; "
        "index: search index of an existing site; serve: build and preview",
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
    report = Report()
    if args.command == "ingest":
        run_ingest(config, report)
    elif args.command == "render":
        run_render(config, report, with_index=False)
    elif args.command == "index":
        run_index(config.site_dir, report)
    else:
        build(config, report)
    print(report.summary())
    if args.command == "serve":
        from .serve import serve

        serve(config.site_dir, config.base_url, args.host, args.port)
    if args.strict and report.problems:
        return 1
    return 0
