#!/usr/bin/env python3
"""Print how well ingest cuts the golden sample pages: titles, bylines, kinds, dates.

    python bench/score_ingest.py [--golden DIR] [--raw DIR] [--config FILE] [-q]

The scoring rules live in newsarchive/scoring.py (shared with tests/test_golden.py).
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsarchive.config import load_config  # noqa: E402
from newsarchive.scoring import format_report, score_folder  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--golden", type=Path, default=REPO / "tests" / "golden")
    parser.add_argument("--raw", type=Path, default=REPO / "raw")
    parser.add_argument("--config", type=Path, default=REPO / "archive.yaml")
    parser.add_argument("-q", "--quiet", action="store_true", help="figures only")
    args = parser.parse_args(argv)
    totals = score_folder(args.golden, args.raw, load_config(args.config))
    print(format_report(totals, verbose=not args.quiet))
    missed = totals.meets_targets()
    for message in missed:
        print("target missed:", message)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
