"""`newswire bench`: print the pipeline's speed beside bare trafilatura's."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from pipeline.core.settings import Settings
from pipeline.tools.bench import BenchResult, load_corpus, run_bench

LABELS = {
    "baseline_pages_per_s": "bare trafilatura.extract, pages/s (1 process)",
    "pipeline_articles_per_s": "newswire pipeline, articles/s",
    "ratio": "ratio = pipeline / (baseline x cores)",
    "latency_p50_ms": "latency p50 at 60% load, ms",
    "latency_p99_ms": "latency p99 at 60% load, ms",
    "tagging_ms_mean": "tagging, ms per article",
    "worker_peak_rss_mb": "worker peak RSS (with pool), MB",
}


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
