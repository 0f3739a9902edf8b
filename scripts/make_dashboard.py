"""Write deploy/grafana/dashboards/newswire.json from the panel definitions below.

Run: python scripts/make_dashboard.py   (then review the diff). Every query here is run against
a real Prometheus by tests/integration/test_prometheus.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUTPUT = (
    Path(__file__).resolve().parent.parent / "deploy" / "grafana" / "dashboards" / "newswire.json"
)
DATASOURCE = {"type": "prometheus", "uid": "newswire-prometheus"}
WIDTH, HEIGHT = 24, 8


def q(expr: str, legend: str = "", instant: bool = False, ref: str = "A") -> dict[str, Any]:
    target: dict[str, Any] = {
        "datasource": DATASOURCE,
        "expr": expr,
        "refId": ref,
        "legendFormat": legend,
    }
    if instant:
        target.update({"instant": True, "range": False, "format": "table"})
    return target


def histogram(metric: str, quantile: float) -> str:
    return f"histogram_quantile({quantile}, sum by (le) (rate({metric}_bucket[5m])))"


ROWS: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "Throughput",
        [
            {
                "title": "Articles per second by stage",
                "unit": "ops",
                "targets": [
                    q(
                        'sum by (stage) (rate(newswire_articles_total{outcome="ok"}[5m]))',
                        "{{stage}}",
                    )
                ],
            },
            {
                "title": "Articles per second by outcome",
                "unit": "ops",
                "stack": True,
                "targets": [
                    q("sum by (outcome) (rate(newswire_articles_total[5m]))", "{{outcome}}")
                ],
            },
        ],
    ),
    (
        "Latency",
        [
            {
                "title": "End-to-end latency (fetched → enriched)",
                "unit": "s",
                "targets": [
                    q(histogram("newswire_end_to_end_seconds", 0.5), "p50"),
                    q(histogram("newswire_end_to_end_seconds", 0.99), "p99", ref="B"),
                ],
            },
            {
                "title": "Freshness (published → enriched)",
                "unit": "s",
                "targets": [
                    q(histogram("newswire_freshness_seconds", 0.5), "p50"),
                    q(histogram("newswire_freshness_seconds", 0.99), "p99", ref="B"),
                ],
            },
            {
                "title": "Time per article and stage (p95)",
                "unit": "s",
                "targets": [
                    q(
                        "histogram_quantile(0.95, sum by (le, stage) "
                        "(rate(newswire_stage_seconds_bucket[5m])))",
                        "{{stage}}",
                    )
                ],
            },
        ],
    ),
    (
        "Where articles are lost",
        [
            {
                "title": "Dead letters by stage and reason",
                "unit": "ops",
                "stack": True,
                "targets": [
                    q(
                        "sum by (stage, reason) (rate(newswire_deadletters_total[5m]))",
                        "{{stage}}: {{reason}}",
                    )
                ],
            },
            {
                "title": "Fetch errors by reason",
                "unit": "ops",
                "stack": True,
                "targets": [
                    q("sum by (reason) (rate(newswire_fetch_errors_total[5m]))", "{{reason}}")
                ],
            },
            {
                "title": "Consumer lag (raw events waiting)",
                "unit": "short",
                "targets": [
                    q(
                        "sum by (topic, partition) (newswire_consumer_lag)",
                        "{{topic}}[{{partition}}]",
                    )
                ],
            },
        ],
    ),
    (
        "Feeds",
        [
            {
                "title": "Feed health",
                "type": "table",
                "targets": [
                    q(
                        "time() - max by (source) (newswire_feed_last_success_timestamp_seconds)",
                        instant=True,
                        ref="A",
                    ),
                    q("max by (source) (newswire_feed_consecutive_errors)", instant=True, ref="B"),
                    q(
                        'sum by (source) (increase(newswire_feed_polls_total{outcome="error"}[1h]))',
                        instant=True,
                        ref="C",
                    ),
                    q(
                        'sum by (source) (increase(newswire_feed_polls_total{outcome="not_modified"}[1h]))'
                        " / sum by (source) (increase(newswire_feed_polls_total[1h]))",
                        instant=True,
                        ref="D",
                    ),
                ],
                "columns": {
                    "Value #A": "seconds since last success",
                    "Value #B": "errors in a row",
                    "Value #C": "errors (1h)",
                    "Value #D": "304 ratio (1h)",
                },
            },
            {
                "title": "New items found per source",
                "unit": "ops",
                "targets": [
                    q("sum by (source) (rate(newswire_items_discovered_total[5m]))", "{{source}}")
                ],
            },
        ],
    ),
    (
        "What the news is about",
        [
            {
                "title": "Articles per topic (last hour)",
                "type": "bargauge",
                "targets": [
                    q(
                        "sum by (topic) (increase(newswire_topic_articles_total[1h]))",
                        "{{topic}}",
                        instant=True,
                    )
                ],
            },
            {
                "title": "Most-mentioned companies (last hour, watchlist)",
                "type": "bargauge",
                "targets": [
                    q(
                        "topk(10, sum by (company) "
                        "(increase(newswire_company_articles_total[1h])))",
                        "{{company}}",
                        instant=True,
                    )
                ],
            },
        ],
    ),
    (
        "Processes",
        [
            {"title": "Up", "unit": "short", "targets": [q('up{job=~"newswire.*"}', "{{job}}")]},
            {
                "title": "CPU (cores)",
                "unit": "short",
                "targets": [
                    q(
                        'sum by (job) (rate(process_cpu_seconds_total{job=~"newswire.*"}[5m]))',
                        "{{job}}",
                    )
                ],
            },
            {
                "title": "Resident memory",
                "unit": "bytes",
                "targets": [
                    q('max by (job) (process_resident_memory_bytes{job=~"newswire.*"})', "{{job}}")
                ],
            },
            {
                "title": "Faust: events per second",
                "unit": "ops",
                "targets": [
                    q("sum(rate(newswire_faust_messages_received_total[5m]))", "received"),
                    q("sum(rate(newswire_faust_topic_messages_sent_total[5m]))", "sent", ref="B"),
                ],
            },
        ],
    ),
]


def panel(spec: dict[str, Any], panel_id: int, x: int, y: int, width: int) -> dict[str, Any]:
    kind = spec.get("type", "timeseries")
    result: dict[str, Any] = {
        "id": panel_id,
        "type": kind,
        "title": spec["title"],
        "datasource": DATASOURCE,
        "gridPos": {"x": x, "y": y, "w": width, "h": HEIGHT},
        "targets": spec["targets"],
        "fieldConfig": {"defaults": {"unit": spec.get("unit", "short")}, "overrides": []},
    }
    if kind == "timeseries" and spec.get("stack"):
        result["fieldConfig"]["defaults"]["custom"] = {"stacking": {"mode": "normal"}}
    if kind == "table":
        result["transformations"] = [
            {"id": "merge", "options": {}},
            {
                "id": "organize",
                "options": {
                    "excludeByName": {"Time": True},
                    "renameByName": spec.get("columns", {}),
                },
            },
        ]
    if kind == "bargauge":
        result["options"] = {
            "orientation": "horizontal",
            "displayMode": "gradient",
            "reduceOptions": {"calcs": ["lastNotNull"], "values": False},
        }
    return result


def dashboard() -> dict[str, Any]:
    panels: list[dict[str, Any]] = []
    y, next_id = 0, 1
    for title, specs in ROWS:
        panels.append(
            {
                "id": next_id,
                "type": "row",
                "title": title,
                "collapsed": False,
                "gridPos": {"x": 0, "y": y, "w": WIDTH, "h": 1},
                "panels": [],
            }
        )
        next_id += 1
        y += 1
        width = WIDTH // len(specs)
        for index, spec in enumerate(specs):
            panels.append(panel(spec, next_id, index * width, y, width))
            next_id += 1
        y += HEIGHT
    return {
        "uid": "newswire-overview",
        "title": "newswire",
        "tags": ["newswire"],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "editable": True,
        "panels": panels,
        "templating": {"list": []},
        "annotations": {"list": []},
    }


def main() -> None:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(dashboard(), indent=2) + "\n", encoding="utf-8")
    print("wrote", OUTPUT)


if __name__ == "__main__":
    main()
