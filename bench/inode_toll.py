"""What creating files costs right after deleting many, on this disk (a diagnostic).

The harness deletes each run's output before timing the next. On an ext4
filesystem without a journal the kernel then skips, for every new file or
folder, the inodes freed in the last minute (`recently_deleted()`), and a
build that creates tens of thousands of them pays for it in system time
(bench/README.md, "Limits"). This script shows the toll without any build:
it creates N folders each holding one `index.html` (the layout of an article
page), deletes them, syncs, and does it again, printing each round's wall and
system time. Stdlib only.

    python bench/inode_toll.py --root /tmp/toll --folders 10000 --rounds 3
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import time


def create(root: str, folders: int, flat: bool) -> tuple[float, float]:
    """Create the tree; return (wall, system) seconds."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_stime
    start = time.perf_counter()
    os.makedirs(root)
    for i in range(folders):
        if flat:
            path = os.path.join(root, f"{i:06d}.html")
        else:
            folder = os.path.join(root, f"{i:06d}")
            os.mkdir(folder)
            path = os.path.join(folder, "index.html")
        with open(path, "wb") as file:
            file.write(b"x" * 2000)
    wall = time.perf_counter() - start
    return wall, resource.getrusage(resource.RUSAGE_SELF).ru_stime - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="scratch folder (deleted first)")
    parser.add_argument("--folders", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rest", type=float, default=0.0, help="seconds to wait after a delete")
    parser.add_argument("--flat", action="store_true", help="N.html files instead of folders")
    args = parser.parse_args()
    shutil.rmtree(args.root, ignore_errors=True)
    os.sync()
    for n in range(args.rounds):
        wall, system = create(args.root, args.folders, args.flat)
        inodes = args.folders * (1 if args.flat else 2)
        print(
            f"round {n + 1}: {inodes} inodes in {wall:.2f} s wall, {system:.2f} s system"
            f" ({1000 * system / inodes:.3f} ms each)",
            flush=True,
        )
        shutil.rmtree(args.root)
        os.sync()
        time.sleep(args.rest)


if __name__ == "__main__":
    main()
