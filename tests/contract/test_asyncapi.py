"""schemas/asyncapi.yaml: a valid AsyncAPI 3.0 document that says what the code does.

Validity: against the AsyncAPI project's own JSON Schema for 3.0.0, from the npm package
@asyncapi/specs (Apache-2.0; built from github.com/asyncapi/spec-json-schemas), which
scripts/test installs into .cache/asyncapi-specs. Agreement with the code: every declared
topic is a channel and back, with its partitions and cleanup policy; the topic parameter is the
taxonomy; every public message's payload is the JSON Schema named after its topic, every schema
file has a topic, and every example follows its schema and key.
"""

from __future__ import annotations

import copy
import json
import os
import re
from typing import Any

import jsonschema
import pytest
import yaml

from pipeline.client.schemas import SchemaSet
from pipeline.core.settings import Settings
from pipeline.kafka.topics import declared_topics
from pipeline.tagging.topic import default_topic_tagger
from pipeline.worker.routing import Router
from tests.conftest import ROOT, SCHEMAS

DOCUMENT = SCHEMAS / "asyncapi.yaml"
SPEC_SCHEMA = (
    ROOT / ".cache" / "asyncapi-specs" / "node_modules" / "@asyncapi" / "specs" / "schemas"
) / "3.0.0-without-$id.json"
PARAMETER = re.compile(r"\{(\w+)\}")


def document() -> dict[str, Any]:
    loaded = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def spec_validator() -> jsonschema.Draft7Validator:
    if not SPEC_SCHEMA.exists():
        message = f"{SPEC_SCHEMA} is missing: scripts/test installs it (npm @asyncapi/specs)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return jsonschema.Draft7Validator(json.loads(SPEC_SCHEMA.read_text(encoding="utf-8")))


def resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def message(doc: dict[str, Any], channel: dict[str, Any]) -> dict[str, Any]:
    (only,) = channel["messages"].values()
    found = resolve(doc, only["$ref"]) if "$ref" in only else only
    assert isinstance(found, dict)
    return found


def addresses(doc: dict[str, Any], channel: dict[str, Any]) -> list[str]:
    """A channel's topics: its address with every value of its parameters."""
    address = channel["address"]
    names = PARAMETER.findall(address)
    if not names:
        return [address]
    (name,) = names
    parameter = channel["parameters"][name]
    parameter = resolve(doc, parameter["$ref"]) if "$ref" in parameter else parameter
    return [address.replace("{" + name + "}", value) for value in parameter["enum"]]


def tag_names(channel: dict[str, Any]) -> set[str]:
    return {t["name"] for t in channel.get("tags", [])}


def test_document_follows_the_asyncapi_3_schema() -> None:
    doc = document()
    assert doc["asyncapi"] == "3.0.0"
    errors = [
        f"{list(e.absolute_path)}: {e.message[:200]}" for e in spec_validator().iter_errors(doc)
    ]
    assert not errors


def test_the_spec_schema_rejects_a_broken_document() -> None:
    broken = copy.deepcopy(document())
    del broken["operations"]["publishEnriched"]["action"]
    broken["channels"]["enriched"]["bindings"]["kafka"]["partitions"] = 0
    assert len(list(spec_validator().iter_errors(broken))) >= 2


def test_every_reference_in_the_document_resolves() -> None:
    doc = document()
    for ref in refs(doc):
        if ref.startswith("#/"):
            assert resolve(doc, ref) is not None, ref
        else:
            assert (SCHEMAS / ref).is_file(), ref


def test_operations_name_messages_of_their_channel() -> None:
    doc = document()
    for name, operation in doc["operations"].items():
        channel_ref = operation["channel"]["$ref"]
        for ref in operation["messages"]:
            assert ref["$ref"].startswith(channel_ref + "/messages/"), name


def test_every_declared_topic_is_a_channel_and_back() -> None:
    doc = document()
    declared = {spec.name: spec for spec in declared_topics(Settings())}
    documented = {
        address: channel
        for channel in doc["channels"].values()
        for address in addresses(doc, channel)
    }
    assert set(declared) == set(documented)
    for name, spec in declared.items():
        kafka = documented[name]["bindings"]["kafka"]
        assert kafka["partitions"] == spec.partitions, name
        policy = dict(spec.config).get("cleanup.policy")
        assert kafka.get("topicConfiguration", {}).get("cleanup.policy") == (
            policy.split(",") if policy else None
        ), name


def test_the_topic_parameter_is_the_taxonomy_and_the_routed_topics() -> None:
    doc = document()
    enum = doc["components"]["parameters"]["topicId"]["enum"]
    assert enum == list(default_topic_tagger().topics)
    assert enum == list(Settings().topics.routed_topic_ids)


def test_without_routing_no_routing_topic_is_declared() -> None:
    names = {spec.name for spec in declared_topics(Settings.of(routing=False))}
    assert not {n for n in names if n.startswith("news.topic.") or n == "news.company.v1"}


def test_public_payloads_are_the_schema_named_after_the_topic() -> None:
    doc = document()
    referenced = set()
    for name, channel in doc["channels"].items():
        payload = message(doc, channel)["payload"]
        if "internal" in tag_names(channel):
            assert "schemaFormat" not in payload, name
            continue
        assert tag_names(channel) == {"public"}, name
        assert payload["schemaFormat"] == "application/schema+json;version=draft-2020-12"
        ref = payload["schema"]["$ref"]
        referenced.add(ref)
        own = f"{channel['address']}.schema.json"
        assert ref == own or channel["address"].startswith("news.topic."), name
    assert referenced == {p.name for p in SCHEMAS.glob("*.schema.json")}


def test_examples_follow_their_schema_and_key() -> None:
    doc = document()
    schemas = SchemaSet(SCHEMAS)
    checked = 0
    for item in doc["components"]["messages"].values():
        key_schema = item["bindings"]["kafka"]["key"]
        for example in item["examples"]:
            payload = example["payload"]
            if "schemaFormat" in item["payload"]:
                schemas.check(item["payload"]["schema"]["$ref"][: -len(".schema.json")], payload)
                key = resolve_payload(payload, item["x-key"])
                jsonschema.validate(key, key_schema)
            else:
                jsonschema.validate(payload, item["payload"])
            checked += 1
    assert checked >= len(doc["components"]["messages"])


def resolve_payload(payload: dict[str, Any], expression: str) -> Any:
    prefix = "$message.payload#/"
    assert expression.startswith(prefix), expression
    node: Any = payload
    for part in expression[len(prefix) :].split("/"):
        node = node[part]
    return node


def test_routing_keys_are_the_documented_keys() -> None:
    doc = document()
    messages = doc["components"]["messages"]
    article = messages["enrichedEvent"]["examples"][0]["payload"]
    router = Router.of(Settings())
    assert router is not None
    routed = router.routes(article)
    assert {r.kind for r in routed} == {"company", "topic"}
    for route in routed:
        kind = "companyRecord" if route.topic == "news.company.v1" else "enrichedEvent"
        assert route.key.decode() == resolve_payload(route.value, messages[kind]["x-key"])
