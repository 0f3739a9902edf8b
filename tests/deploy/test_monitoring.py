"""Grafana and Prometheus files: generated ones current, the dashboard on a data-source
variable, bar gauges with one bar per series, alert rules accepted and unit-tested by
promtool, and Grafana's alert rules the same as Prometheus'."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from types import ModuleType
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from pipeline.worker.pool_metrics import PoolProcessCollector
from tests.deploy.files import DEPLOY, ROOT, load_yaml

PROMETHEUS = DEPLOY / "prometheus"
GRAFANA = DEPLOY / "grafana"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_dashboard", ROOT / "scripts" / "make_dashboard.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dashboard() -> dict[str, Any]:
    return json.loads((GRAFANA / "dashboards" / "newswire.json").read_text(encoding="utf-8"))


def panels() -> list[dict[str, Any]]:
    return [p for p in dashboard()["panels"] if p["type"] != "row"]


def test_the_generated_files_are_current() -> None:
    make = generator()
    assert make.OUTPUT.read_text(encoding="utf-8") == make.render_dashboard(), (
        "run python scripts/make_dashboard.py"
    )
    assert make.ALERTING_OUTPUT.read_text(encoding="utf-8") == make.render_alerting(), (
        "run python scripts/make_dashboard.py"
    )


def test_the_dashboard_uses_a_data_source_variable_and_declares_its_input() -> None:
    board = dashboard()
    (source,) = board["__inputs"]
    assert (source["type"], source["pluginId"]) == ("datasource", "prometheus")
    (variable,) = [v for v in board["templating"]["list"] if v["type"] == "datasource"]
    assert variable["query"] == "prometheus"
    assert variable["current"]["value"] == f"${{{source['name']}}}"
    expected = {"type": "prometheus", "uid": f"${{{variable['name']}}}"}
    for panel in panels():
        assert panel["datasource"] == expected, panel["title"]
        for target in panel["targets"]:
            assert target["datasource"] == expected, panel["title"]
    assert "newswire-prometheus" not in json.dumps(board), "no hard-coded data-source uid"


def test_bar_gauges_draw_one_bar_per_series() -> None:
    gauges = [p for p in panels() if p["type"] == "bargauge"]
    assert len(gauges) == 2
    for panel in gauges:
        reduce = panel["options"]["reduceOptions"]
        assert reduce["values"] is False and reduce["calcs"] == ["lastNotNull"], panel["title"]
        for target in panel["targets"]:
            # a table-format instant query is one frame with one numeric field: one bar
            assert target["instant"] is True and target["format"] == "time_series"
            (label,) = re.findall(r"sum by \((\w+)\)", target["expr"])
            assert target["legendFormat"] == f"{{{{{label}}}}}", panel["title"]


def test_lag_is_taken_per_partition_before_it_is_added_up() -> None:
    """Each worker exports the whole group's lag: summing the series counts it once per worker."""
    alerts = load_yaml(PROMETHEUS / "alerts.yml")
    queries = [t["expr"] for p in panels() for t in p["targets"]] + [
        r["expr"] for g in alerts["groups"] for r in g["rules"]
    ]
    lag = [q for q in queries if "newswire_consumer_lag" in q]
    assert lag
    for query in lag:
        assert re.search(r"max by \(topic, partition\) \((\w+\()?newswire_consumer_lag", query), (
            query
        )


def test_pool_panels_use_the_metrics_the_pool_collector_exports() -> None:
    wanted = {
        name
        for panel in panels()
        for target in panel["targets"]
        for name in re.findall(r"newswire_pool_process_\w+", target["expr"])
    }
    assert wanted == {
        "newswire_pool_process_cpu_seconds_total",
        "newswire_pool_process_resident_memory_bytes",
    }
    registry = CollectorRegistry()
    registry.register(PoolProcessCollector())
    for name in wanted:
        assert registry.get_sample_value(name) is not None, name


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool not found: install Debian's prometheus package (scripts/test does)")
    return path


def test_promtool_accepts_the_rules_and_their_unit_tests_pass() -> None:
    for args in (
        ["check", "rules", "alerts.yml"],
        ["test", "rules", "alerts.test.yml"],
        ["check", "config", "prometheus-compose.yml"],
    ):
        result = subprocess.run(
            [promtool(), *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, f"promtool {' '.join(args)}:\n{result.stdout}{result.stderr}"


def test_grafana_alerts_are_the_prometheus_rules() -> None:
    prometheus = load_yaml(PROMETHEUS / "alerts.yml")
    grafana = load_yaml(GRAFANA / "provisioning" / "alerting" / "newswire.yml")
    (source,) = load_yaml(GRAFANA / "provisioning" / "datasources" / "prometheus.yml")[
        "datasources"
    ]
    rules = {r["alert"]: r for g in prometheus["groups"] for r in g["rules"]}
    provisioned = {r["title"]: r for g in grafana["groups"] for r in g["rules"]}
    assert set(provisioned) == set(rules)
    for name, rule in provisioned.items():
        original = rules[name]
        query, threshold = rule["data"]
        assert query["datasourceUid"] == source["uid"]
        assert original["expr"].startswith(query["model"]["expr"])
        (condition,) = threshold["model"]["conditions"]
        op = {"gt": ">", "lt": "<"}[condition["evaluator"]["type"]]
        assert original["expr"].endswith(f"{op} {condition['evaluator']['params'][0]:g}")
        assert rule["for"] == original["for"]
        assert rule["annotations"] == original["annotations"]
        assert original["labels"].items() <= rule["labels"].items()
        assert len(rule["uid"]) <= 40, "Grafana's limit for rule uids"
