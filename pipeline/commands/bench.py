"""`newswire bench`: print the pipeline's speed beside bare trafilatura's."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pipeline.commands import Commands
from pipeline.core.settings import Settings

if TYPE_CHECKING:
    from pipeline.tools.bench import BenchResult

LABELS = {
    "baseline_pages_per_s": "bare trafilatura.extract, pages/s (1 process)",
    "pipeline_articles_per_s": "newswire pipeline, articles/s",
    "ratio": "ratio = pipeline / (baseline x cores)",
    "latency_p50_ms": "latency p50 at 60% load, ms",
    "latency_p99_ms": "latency p99 at 60% load, ms",
    "tagging_ms_mean": "tagging, ms per article",
    "worker_peak_rss_mb": "worker peak RSS (with pool), MB",
}


def register(commands: Commands) -> None:
    bench = commands.add_parser("bench", help="measure throughput and latency")
    bench.add_argument(
        "--corpus", type=Path, help="*.html / *.html.gz pages (default: the bundled sample site)"
    )
    bench.add_argument("--json", action="store_true", help="end with one JSON line")
    bench.add_argument(
        "--articles", type=int, default=600, help="articles in the throughput run (default 600)"
    )
    bench.add_argument(
        "--soak-minutes",
        type=float,
        default=0.0,
        help="then hold 60%% load this long, sampling the worker's RSS (default: no soak)",
    )
    bench.set_defaults(run=_run)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    return run_bench_command(settings, args.corpus, args.json, args.articles, args.soak_minutes)


def table(result: BenchResult) -> str:
    lines = [f"{result.pages} pages, {result.cores} cores"]
    lines += [f"  {LABELS[key]:<48} {value:>10}" for key, value in result.as_dict().items()]
    if result.soak:
        soaked = result.soak
        minutes = soaked.samples[-1][0] / 60
        lines.append(f"soak: {soaked.articles} articles in {minutes:.1f} min, worker RSS (MB):")
        lines.append("  " + " ".join(f"{t / 60:.1f}m={mb:.0f}" for t, mb in soaked.samples))
        label = "RSS growth over the second half, MB"
        lines.append(f"  {label:<48} {soaked.growth_second_half_mb:>10.1f}")
    return "\n".join(lines) + "\n"


def run_bench_command(
    settings: Settings,
    corpus: Path | None,
    as_json: bool,
    min_articles: int,
    soak_minutes: float = 0.0,
    out: TextIO = sys.stdout,
) -> int:
    from pipeline.tools.bench import load_corpus, run_bench

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    result = run_bench(
        settings,
        load_corpus(corpus),
        progress,
        min_articles=min_articles,
        soak_s=soak_minutes * 60,
    )
    out.write(table(result))
    if as_json:
        out.write(json.dumps(result.as_dict()) + "\n")
    return 0
