"""`newswire eval extraction`: score the cleaning stage beside bare trafilatura, one run."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from pipeline.commands import Commands
from pipeline.core.settings import Settings


def register(commands: Commands) -> None:
    from pipeline.commands import evaluate_tagging

    evaluate = commands.add_parser("eval", help="measure extraction or tagging quality")
    targets = evaluate.add_subparsers(dest="target", required=True, metavar="TARGET")
    extraction = targets.add_parser("extraction", help="score cleaning beside bare trafilatura")
    extraction.add_argument(
        "--dataset",
        type=Path,
        required=True,
        help="a folder in the Zyte or the trafilatura evaluation layout",
    )
    extraction.add_argument("--german", action="store_true", help="only .de/.at/.ch pages")
    extraction.add_argument("--limit", type=int, help="only the first N pages")
    extraction.add_argument(
        "--variants", action="store_true", help="also score the other extraction modes"
    )
    extraction.add_argument("--json", action="store_true", help="one JSON object")
    extraction.set_defaults(run=_run)
    evaluate_tagging.register(targets)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    return run_eval_extraction(args.dataset, args.german, args.limit, args.variants, args.json)


def run_eval_extraction(
    dataset: Path,
    german_only: bool = False,
    limit: int | None = None,
    variants: bool = False,
    as_json: bool = False,
    out: TextIO = sys.stdout,
) -> int:
    from pipeline.cleaning.extract import ExtractionOptions
    from pipeline.tools.evaluation.extraction import (
        HEADER,
        bare_trafilatura,
        detect_layout,
        load_pages,
        newswire_extractor,
        score,
    )

    pages = load_pages(dataset, german_only=german_only, limit=limit)
    candidates = [
        ("newswire extract", newswire_extractor()),
        ("trafilatura.extract (bare)", bare_trafilatura),
    ]
    if variants:
        candidates += [
            (f"newswire mode={mode}", newswire_extractor(ExtractionOptions(mode=mode)))
            for mode in ("fast", "full")
        ]
        candidates.append(
            (
                "newswire favor_precision",
                newswire_extractor(ExtractionOptions(favor_precision=True)),
            )
        )
        candidates.append(
            (
                "newswire retry under 1000",
                newswire_extractor(ExtractionOptions(adaptive_min_chars=1000)),
            )
        )
        candidates.append(
            (
                "newswire with comments",
                newswire_extractor(ExtractionOptions(include_comments=True)),
            )
        )
        candidates.append(
            (
                "newswire without stripping",
                newswire_extractor(ExtractionOptions(strip_inert=False)),
            )
        )
    scores = [score(name, extractor, pages) for name, extractor in candidates]
    if as_json:
        out.write(
            json.dumps(
                {
                    "dataset": str(dataset),
                    "layout": detect_layout(dataset),
                    "german_only": german_only,
                    "scores": [asdict(s) for s in scores],
                }
            )
            + "\n"
        )
        return 0
    subset = " (German pages: .de .at .ch)" if german_only else ""
    out.write(f"{dataset} [{detect_layout(dataset)} layout]{subset}\n{HEADER}\n")
    for result in scores:
        out.write(result.row() + "\n")
    return 0
