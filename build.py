"""Thin entry point: `python build.py` builds raw/ -> content/ -> site/ (see README)."""

import sys

from newsarchive.cli import main

if __name__ == "__main__":
    sys.exit(main())
