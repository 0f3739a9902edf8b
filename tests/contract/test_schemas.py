import json

import jsonschema
import pytest

from tests.conftest import SCHEMAS, assert_valid

NAMES = ["news.raw.v1", "news.enriched.v1", "news.deadletter.v1", "news.company.v1"]


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", NAMES)
def test_example_follows_its_schema(name: str) -> None:
    example = json.loads((SCHEMAS / "examples" / f"{name}.json").read_text(encoding="utf-8"))
    assert_valid(name, example)
    assert example["schema"]["name"] + ".v" + str(example["schema"]["version"]) == name


def test_schema_rejects_a_naive_timestamp() -> None:
    example = json.loads(
        (SCHEMAS / "examples" / "news.enriched.v1.json").read_text(encoding="utf-8")
    )
    example["enriched_at"] = "2026-11-25T10:00:00"
    with pytest.raises(AssertionError, match="enriched_at"):
        assert_valid("news.enriched.v1", example)


def test_no_faust_metadata_on_the_wire() -> None:
    for name in NAMES:
        text = (SCHEMAS / "examples" / f"{name}.json").read_text(encoding="utf-8")
        assert "__faust" not in text
