"""`newswire bench` runs on a tiny corpus and ends with one JSON line of the agreed keys.

With a short soak, the line also carries the soak: its load, samples and verdicts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pipeline.tools.demo.articles import load_articles
from pipeline.tools.demo.render import render_page

KEYS = {
    "baseline_pages_per_s",
    "pipeline_articles_per_s",
    "ratio",
    "latency_p50_ms",
    "latency_p99_ms",
    "tagging_ms_mean",
    "worker_peak_rss_mb",
}


def test_bench_prints_a_table_and_a_json_line(tmp_path: Path) -> None:
    for article in load_articles()[:3]:
        (tmp_path / f"{article.slug}.html").write_text(
            render_page(article, [], "https://rheinblick.example"), encoding="utf-8"
        )
    env = {**os.environ, "NEWSWIRE_BOOTSTRAP_SERVERS": "", "NEWSWIRE_METRICS_PORT": "0"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "bench",
            "--corpus",
            str(tmp_path),
            "--json",
            "--articles",
            "30",
            "--soak-minutes",
            "0.2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    soaked = figures.pop("soak")
    assert set(figures) == KEYS
    assert all(isinstance(value, int | float) and value > 0 for value in figures.values())
    assert figures["latency_p99_ms"] >= figures["latency_p50_ms"]
    assert (
        abs(
            figures["ratio"]
            - figures["pipeline_articles_per_s"]
            / (figures["baseline_pages_per_s"] * (os.cpu_count() or 1))
        )
        < 0.01
    )
    assert "newswire pipeline, articles/s" in result.stdout
    assert "soak:" in result.stdout and "RSS growth over the second half, MB" in result.stdout
    assert "open fds growth over the second half" in result.stdout
    assert abs(soaked["rate_articles_per_s"] - 0.5 * figures["pipeline_articles_per_s"]) <= 0.1
    assert soaked["capacity_articles_per_s"] == figures["pipeline_articles_per_s"]
    assert len(soaked["samples"]) >= 3
    assert all(s["fds"] > 0 and s["rss_mb"] > 0 for s in soaked["samples"])
    assert {soaked["rss_verdict"], soaked["fds_verdict"]} <= {"flat", "growing"}
    assert isinstance(soaked["backlog_at_end"], int) and "worker backlog" in result.stdout
