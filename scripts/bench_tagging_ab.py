"""Two releases of the tagger timed in one process, page by page in turn, so that the host's
speed (shared, it moves by half within minutes) weighs on both alike.

Run: python scripts/bench_tagging_ab.py OTHER_TREE [CORPUS_DIR] [--rounds N]
OTHER_TREE is another copy of the repository (e.g. `git archive COMMIT | tar -x -C DIR`);
this tree is the second. The Zyte pages are cleaned once, both taggers are warmed on all of
them, then each page is tagged by each tagger in turn (the order alternating from page to
page and round to round) and the CPU time of each call summed per tagger. The load average is
printed. Outputs are not compared here: scripts/tagging_equivalence.py does that.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ZYTE = ROOT.parent / "shared" / "data" / "scrapinghub-article-extraction-benchmark" / "html"


def load_tagger(tree: Path) -> tuple[Any, Any]:
    """The default tagger and TaggingInput of the tree, imported apart from any other."""
    for name in [n for n in sys.modules if n == "pipeline" or n.startswith("pipeline.")]:
        del sys.modules[name]
    sys.path.insert(0, str(tree))
    try:
        from pipeline.tagging.base import TaggingInput
        from pipeline.tagging.tagger import default_tagger

        return default_tagger(), TaggingInput
    finally:
        sys.path.remove(str(tree))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path)
    parser.add_argument("corpus", nargs="?", type=Path, default=ZYTE)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_tagging import inputs_of

    texts = [(i.text, i.title, i.language) for i in inputs_of(args.corpus)]
    sides = [load_tagger(args.other.resolve()), load_tagger(ROOT)]
    pages = [[kind(*t) for t in texts] for _, kind in sides]
    for (tagger, _), items in zip(sides, pages, strict=True):
        for item in items:  # warm-up
            tagger.tag(item)
    print(f"pages {len(texts)}, load average before {os.getloadavg()[0]:.1f}")
    used = [0.0, 0.0]
    clock = time.process_time
    for round_ in range(args.rounds):
        for index in range(len(texts)):
            order = (0, 1) if (index + round_) % 2 == 0 else (1, 0)
            for side in order:
                started = clock()
                sides[side][0].tag(pages[side][index])
                used[side] += clock() - started
    calls = args.rounds * len(texts)
    other, this = (u * 1000 / calls for u in used)
    print(f"{args.other}: {other:.2f} ms per page (CPU)")
    print(f"this tree: {this:.2f} ms per page (CPU), {this / other:.3f}x")
    print(f"load average after {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
