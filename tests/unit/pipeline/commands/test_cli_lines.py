import io
import json
import subprocess
import sys
from pathlib import Path

from pipeline.commands.extract import run_extract
from pipeline.commands.tag import run_tag

SEED_LIKE = {
    "id": "a1",
    "title": "Amazon-Aktie fällt nach KI-Investitionen",
    "text": "Amazon will mehr in Rechenzentren für AWS investieren. Die Quartalszahlen lagen über "
    "den Erwartungen. Für Alexa plant der Konzern eine Abogebühr.",
    "language": "de",
}


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def test_tag_writes_one_line_per_input_in_order() -> None:
    source = io.StringIO(
        json.dumps(SEED_LIKE) + "\n" + json.dumps({"text": "Nothing here."}) + "\n"
    )
    sink = io.StringIO()
    assert run_tag(source, sink) == 0
    first, second = lines(sink.getvalue())
    assert first["id"] == "a1"
    amazon = first["companies"][0]
    assert (amazon["id"], amazon["ticker"], amazon["isin"]) == ("amazon", "AMZN", "US0231351067")
    assert set(amazon) >= {"name", "mentions", "sentiment", "salience"}
    assert {"ai-investment", "earnings", "subscription-plans"} <= {t["id"] for t in first["topics"]}
    assert first["sentiment"]["label"] in {"positive", "negative", "neutral"}
    assert second["companies"] == [] and second["topics"] == []


def test_tag_reports_bad_lines_and_goes_on() -> None:
    source = io.StringIO('not json\n{"id": 7, "text": 3}\n' + json.dumps(SEED_LIKE) + "\n")
    sink = io.StringIO()
    assert run_tag(source, sink) == 1
    bad_json, bad_text, good = lines(sink.getvalue())
    assert "error" in bad_json and bad_text == {"id": 7, "error": bad_text["error"]}
    assert good["companies"][0]["id"] == "amazon"


def test_extract_cleans_html() -> None:
    html = (
        "<html><head><title>T</title></head><body><nav>Menü</nav><article><p>"
        + "Die Commerzbank hat ihren Gewinn im Quartal deutlich gesteigert. " * 5
        + "</p></article></body></html>"
    )
    sink = io.StringIO()
    assert (
        run_extract(
            io.StringIO(json.dumps({"id": "x", "url": "https://n.test/a", "html": html})), sink
        )
        == 0
    )
    (row,) = lines(sink.getvalue())
    assert row["id"] == "x" and row["language"] == "de"
    assert row["text"].startswith("Die Commerzbank") and "Menü" not in row["text"]
    assert set(row) >= {"title", "text", "language", "published", "authors"}


def test_console_script_runs_tag_without_a_broker(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "tag"],
        input=json.dumps(SEED_LIKE) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert lines(result.stdout)[0]["companies"][0]["ticker"] == "AMZN"


def test_a_plugged_in_tagger_replaces_the_default() -> None:
    import os

    env = {**os.environ, "NEWSWIRE_TAGGER": "tests.support.pluggable_tagger:create"}
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "tag"],
        input=json.dumps(SEED_LIKE) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
    )
    assert lines(result.stdout)[0]["topics"] == [{"id": "echo", "score": 1.0, "evidence": []}]


def test_an_unloadable_tagger_is_a_clear_error() -> None:
    import os

    env = {**os.environ, "NEWSWIRE_TAGGER": "no.such.module:create"}
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "tag"],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2 and "NEWSWIRE_TAGGER" in result.stderr
