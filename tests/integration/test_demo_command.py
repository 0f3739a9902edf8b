"""`newswire demo --json` as a user runs it: its own embedded broker, its own sample site."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pipeline.tools.demo.articles import load_articles
from tests.conftest import assert_valid


def test_demo_json_emits_a_valid_event_for_every_sample_article() -> None:
    env = {**os.environ, "NEWSWIRE_METRICS_PORT": "0", "NEWSWIRE_BOOTSTRAP_SERVERS": ""}
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "demo", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(events) == len(load_articles())
    for event in events:
        assert_valid("news.enriched.v1", event)
    (seed,) = [e for e in events if e["url"].endswith("/amazon-ki-investitionen.html")]
    amazon = [c for c in seed["companies"] if c["id"] == "amazon"]
    assert amazon and amazon[0]["ticker"] == "AMZN"
    assert {"ai-investment", "earnings", "subscription-plans"} <= {t["id"] for t in seed["topics"]}
    assert "dead letter" in result.stderr, "the PDF on the sample site is reported"
