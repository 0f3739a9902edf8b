"""A real Prometheus scrapes the pipeline on the sample site; every dashboard and alert query
returns data, and promtool accepts the configuration and the rules."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.core.settings import Settings
from pipeline.kafka.embedded import EmbeddedBroker, free_port
from pipeline.supervisor import running_pipeline
from pipeline.tools.demo.site import SampleSite
from tests.integration.conftest import PipelineRun, wait_for

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "newswire.json"
RULES = DEPLOY / "prometheus" / "alerts.yml"
COMPARISON = re.compile(r"^(?P<query>.+?)\s+(==|!=|>=|<=|>|<)\s+[0-9.e+-]+$", re.DOTALL)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} not found: install Debian's prometheus package (./scripts/test and .ci/run do)"
        )
    return path


def dashboard_queries() -> list[str]:
    panels = json.loads(DASHBOARD.read_text(encoding="utf-8"))["panels"]
    return [target["expr"] for p in panels for target in p.get("targets", [])]


def alert_queries() -> list[str]:
    rules = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    queries = []
    for group in rules["groups"]:
        for rule in group["rules"]:
            match = COMPARISON.match(rule["expr"].strip())
            assert match, f"{rule['alert']}: expected '<query> <op> <threshold>'"
            queries.append(match.group("query"))
    return queries


def test_promtool_accepts_the_configuration_and_the_rules() -> None:
    promtool = tool("promtool")
    for config in ("prometheus.yml", "prometheus-compose.yml"):
        subprocess.run(
            [promtool, "check", "config", str(DEPLOY / "prometheus" / config)],
            check=True,
            capture_output=True,
            timeout=60,
        )
    subprocess.run(
        [promtool, "check", "rules", str(RULES)], check=True, capture_output=True, timeout=60
    )


def port_pair() -> int:
    """A port P with P + 1 free too (worker and connectors)."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no free pair of ports")


@pytest.fixture
def prometheus(tmp_path: Path) -> Iterator[tuple[str, int]]:
    metrics_port = port_pair()
    web_port = free_port()
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(RULES)],
        "scrape_configs": [
            {
                "job_name": "newswire-worker",
                "static_configs": [{"targets": [f"127.0.0.1:{metrics_port}"]}],
            },
            {
                "job_name": "newswire-connect",
                "static_configs": [{"targets": [f"127.0.0.1:{metrics_port + 1}"]}],
            },
        ],
    }
    config_path = tmp_path / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    process = subprocess.Popen(
        [
            tool("prometheus"),
            f"--config.file={config_path}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{web_port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{web_port}", metrics_port
    finally:
        process.terminate()
        process.wait(timeout=30)


def query(base: str, expr: str) -> list[dict[str, Any]]:
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as response:
        body = json.load(response)
    assert body["status"] == "success", body
    return body["data"]["result"]


def test_every_dashboard_and_alert_query_returns_data(
    broker: EmbeddedBroker, prometheus: tuple[str, int], tmp_path: Path
) -> None:
    base, metrics_port = prometheus
    with SampleSite() as site:
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text(site.catalog_yaml(), encoding="utf-8")
        settings = Settings(
            bootstrap_servers=broker.bootstrap,
            idempotent_producer=False,
            app_id="prom-test",
            raw_topic="pm.raw",
            enriched_topic="pm.enriched",
            deadletter_topic="pm.dead",
            state_topic="pm.state",
            feeds=feeds,
            data_dir=tmp_path / "data",
            metrics_port=metrics_port,
            health_port=0,
            process_pool_size=1,
            fetch_allow_networks="127.0.0.1/32",
            fetch_host_delay_s=0.0,
            poll_interval_s=2,
            poll_min_interval_s=2,
            lag_interval_s=1,
        )
        with running_pipeline(settings) as supervisor:
            wait_for(PipelineRun(settings, site, supervisor), site.article_urls())
            missing = {expr for expr in dashboard_queries() + alert_queries()}
            deadline = time.monotonic() + 60
            while missing and time.monotonic() < deadline:
                missing = {expr for expr in missing if not query(base, expr)}
                time.sleep(1)
    assert not missing, f"queries without data: {sorted(missing)}"
