"""Write Grafana's dashboard and alert provisioning for newswire from the definitions here.

- deploy/grafana/dashboards/newswire.json from the panels below; its data source is the
  dashboard variable `datasource` (the Prometheus one provisioned, or the one picked on
  import through `__inputs`), never a fixed uid;
- deploy/grafana/provisioning/alerting/newswire.yml from deploy/prometheus/alerts.yml, one
  Grafana rule per Prometheus rule (`<query> <op> <threshold>`), so the two never disagree.

Run: python scripts/make_dashboard.py   (then review the diff). Every query here is run against
a real Prometheus by tests/integration/test_prometheus.py; tests/deploy checks the files are
current.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
OUTPUT = DEPLOY / "grafana" / "dashboards" / "newswire.json"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
ALERTING_OUTPUT = DEPLOY / "grafana" / "provisioning" / "alerting" / "newswire.yml"
# the uid deploy/grafana/provisioning/datasources/prometheus.yml gives the data source; alert
# rules need a concrete one, dashboards use the variable
PROVISIONED_DATASOURCE_UID = "newswire-prometheus"
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
INPUT = "DS_PROMETHEUS"
WIDTH, HEIGHT = 24, 8
COMPARISON = re.compile(
    r"^(?P<query>.+?)\s+(?P<op>==|!=|>=|<=|>|<)\s+(?P<threshold>[0-9.e+-]+)$", re.DOTALL
)
EVALUATORS = {">": "gt", "<": "lt"}


def q(
    expr: str, legend: str = "", instant: bool = False, ref: str = "A", table: bool = False
) -> dict[str, Any]:
    """A Prometheus query. Instant queries are one value per series; `table` merges them into
    one table (for table panels); otherwise each series stays a frame of its own, which is what
    a bar gauge needs to draw one bar per series (named by `legend`)."""
    target: dict[str, Any] = {
        "datasource": DATASOURCE,
        "expr": expr,
        "refId": ref,
        "legendFormat": legend,
    }
    if instant:
        target.update(
            {"instant": True, "range": False, "format": "table" if table else "time_series"}
        )
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
                # every worker reports the whole group's lag: one value per partition, not a sum
                "targets": [
                    q(
                        "max by (topic, partition) (newswire_consumer_lag)",
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
                        table=True,
                    ),
                    q(
                        "max by (source) (newswire_feed_consecutive_errors)",
                        instant=True,
                        ref="B",
                        table=True,
                    ),
                    q(
                        'sum by (source) (increase(newswire_feed_polls_total{outcome="error"}[1h]))',
                        instant=True,
                        ref="C",
                        table=True,
                    ),
                    q(
                        'sum by (source) (increase(newswire_feed_polls_total{outcome="not_modified"}[1h]))'
                        " / sum by (source) (increase(newswire_feed_polls_total[1h]))",
                        instant=True,
                        ref="D",
                        table=True,
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
                "title": "CPU (cores, all replicas)",
                "unit": "short",
                "stack": True,
                "targets": [
                    q(
                        'sum by (job) (rate(process_cpu_seconds_total{job=~"newswire.*"}[5m]))',
                        "{{job}}",
                    ),
                    q(
                        'sum by (job) (rate(newswire_pool_process_cpu_seconds_total{job=~"newswire.*"}[5m]))',
                        "{{job}} pool",
                        ref="B",
                    ),
                ],
            },
            {
                "title": "Resident memory (all replicas)",
                "unit": "bytes",
                "stack": True,
                "targets": [
                    q('sum by (job) (process_resident_memory_bytes{job=~"newswire.*"})', "{{job}}"),
                    q(
                        'sum by (job) (newswire_pool_process_resident_memory_bytes{job=~"newswire.*"})',
                        "{{job}} pool",
                        ref="B",
                    ),
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
        # one frame per series (instant, time_series format): calcs reduce each series to its
        # last value, one bar per topic or company named by the legend
        result["options"] = {
            "orientation": "horizontal",
            "displayMode": "gradient",
            "showUnfilled": True,
            "reduceOptions": {"calcs": ["lastNotNull"], "values": False, "fields": ""},
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
        "__inputs": [
            {
                "name": INPUT,
                "label": "Prometheus",
                "description": "The Prometheus that scrapes newswire",
                "type": "datasource",
                "pluginId": "prometheus",
                "pluginName": "Prometheus",
            }
        ],
        "__requires": [
            {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"},
            {"type": "grafana", "id": "grafana", "name": "Grafana", "version": "10.0.0"},
        ],
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
        "templating": {"list": [datasource_variable()]},
        "annotations": {"list": []},
    }


def datasource_variable() -> dict[str, Any]:
    """The `datasource` variable every panel uses. On import, Grafana replaces ${DS_PROMETHEUS}
    with the data source picked for `__inputs`; when provisioned, that text matches no data
    source and Grafana selects the default Prometheus one."""
    return {
        "name": "datasource",
        "label": "Data source",
        "type": "datasource",
        "query": "prometheus",
        "current": {"text": f"${{{INPUT}}}", "value": f"${{{INPUT}}}"},
        "hide": 0,
        "refresh": 1,
        "regex": "",
        "options": [],
    }


def grafana_rule(rule: dict[str, Any], group: str) -> dict[str, Any]:
    """One Prometheus alerting rule as a Grafana-managed rule: query A, threshold B on A."""
    match = COMPARISON.match(rule["expr"].strip())
    if match is None or match.group("op") not in EVALUATORS:
        raise ValueError(
            f"{rule['alert']}: expected '<query> > <threshold>' or '<query> < <threshold>'"
        )
    slug = re.sub(r"(?<!^)(?=[A-Z])", "-", rule["alert"]).lower()
    return {
        "uid": slug[:40],
        "title": rule["alert"],
        "condition": "B",
        "data": [
            {
                "refId": "A",
                "relativeTimeRange": {"from": 3600, "to": 0},
                "datasourceUid": PROVISIONED_DATASOURCE_UID,
                "model": {"refId": "A", "expr": match.group("query"), "instant": True},
            },
            {
                "refId": "B",
                "datasourceUid": "__expr__",
                "model": {
                    "refId": "B",
                    "type": "threshold",
                    "expression": "A",
                    "conditions": [
                        {
                            "evaluator": {
                                "type": EVALUATORS[match.group("op")],
                                "params": [float(match.group("threshold"))],
                            }
                        }
                    ],
                },
            },
        ],
        "noDataState": "NoData",
        "execErrState": "Error",
        "for": rule.get("for", "0s"),
        "labels": {**rule.get("labels", {}), "group": group},
        "annotations": rule.get("annotations", {}),
    }


def alerting() -> dict[str, Any]:
    """Grafana's alert provisioning from deploy/prometheus/alerts.yml."""
    rules = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    return {
        "apiVersion": 1,
        "groups": [
            {
                "orgId": 1,
                "name": group["name"],
                "folder": "newswire",
                "interval": "1m",
                "rules": [grafana_rule(rule, group["name"]) for rule in group["rules"]],
            }
            for group in rules["groups"]
        ],
    }


def render_alerting() -> str:
    header = (
        "# Generated by scripts/make_dashboard.py from deploy/prometheus/alerts.yml: do not edit.\n"
    )
    return header + yaml.safe_dump(alerting(), sort_keys=False, allow_unicode=True, width=100)


def render_dashboard() -> str:
    return json.dumps(dashboard(), indent=2) + "\n"


def main() -> None:
    for path, text in ((OUTPUT, render_dashboard()), (ALERTING_OUTPUT, render_alerting())):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print("wrote", path)


if __name__ == "__main__":
    main()
