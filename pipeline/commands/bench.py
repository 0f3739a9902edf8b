"""`newswire bench`: print the pipeline's speed beside bare trafilatura's."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.commands import Commands
from pipeline.core.settings import Settings

if TYPE_CHECKING:
    from pipeline.tools.bench import BenchResult
    from pipeline.tools.soak import SoakResult, SoakSample

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
        help="then hold a steady load this long, sampling the worker's RSS and open file "
        "descriptors (default: no soak)",
    )
    bench.add_argument(
        "--soak-load",
        type=_share,
        default=0.5,
        help="the soak's load as a share of the throughput this run measured (default 0.5)",
    )
    bench.set_defaults(run=_run)


def _share(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a share in (0, 1]")
    return value


def _run(args: argparse.Namespace, settings: Settings) -> int:
    return run_bench_command(
        settings, args.corpus, args.json, args.articles, args.soak_minutes, args.soak_load
    )


def table(result: BenchResult) -> str:
    lines = [f"{result.pages} pages, {result.cores} cores"]
    lines += [f"  {LABELS[key]:<48} {value:>10}" for key, value in result.as_dict().items()]
    if result.soak:
        lines += soak_lines(result.soak)
    return "\n".join(lines) + "\n"


def soak_lines(soaked: SoakResult, rows: int = 16) -> list[str]:
    """The soak's load, its samples (at most `rows`, evenly spread) and the two verdicts."""
    lines = [
        f"soak: {soaked.articles} articles in {soaked.seconds / 60:.1f} min at "
        f"{soaked.rate:.1f} articles/s = {soaked.rate / soaked.capacity:.0%} of the "
        f"{soaked.capacity:.1f} articles/s this run measured",
        f"  {'minute':>6} {'worker + pool RSS, MB':>22} {'open fds':>9}",
    ]
    lines += [
        f"  {s.seconds / 60:>6.1f} {s.rss_mb:>22.0f} {s.fds:>9}"
        for s in spread(soaked.samples, rows)
    ]
    rss = f"{soaked.growth_second_half_mb:.1f} (flat: <= {soaked.rss_tolerance_mb:.1f})"
    fds = f"{soaked.growth_second_half_fds} (flat: <= {soaked.fds_tolerance})"
    lines.append(f"  {'RSS growth over the second half, MB':<40} {rss:>24}  {soaked.rss_verdict}")
    lines.append(f"  {'open fds growth over the second half':<40} {fds:>24}  {soaked.fds_verdict}")
    if soaked.backlog_at_end is not None:
        drained = (
            "not drained within the wait"
            if soaked.drained_s is None
            else f"drained to 0 in {soaked.drained_s:.1f} s"
        )
        lines.append(
            f"  worker backlog when the load stopped: {soaked.backlog_at_end} raw events, {drained}"
        )
    return lines


def spread(samples: list[SoakSample], rows: int) -> list[SoakSample]:
    """At most `rows` samples evenly spread from the first to the last (all if fewer)."""
    if len(samples) <= rows:
        return samples
    step = (len(samples) - 1) / (rows - 1)
    return [samples[round(i * step)] for i in range(rows)]


def figures(result: BenchResult) -> dict[str, Any]:
    """The JSON line: the figures of the table, and the soak's when there was one."""
    return {**result.as_dict(), **({"soak": result.soak.as_dict()} if result.soak else {})}


def run_bench_command(
    settings: Settings,
    corpus: Path | None,
    as_json: bool,
    min_articles: int,
    soak_minutes: float = 0.0,
    soak_load: float = 0.5,
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
        soak_load=soak_load,
    )
    out.write(table(result))
    if as_json:
        out.write(json.dumps(figures(result)) + "\n")
    return 0
