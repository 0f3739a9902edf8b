"""Loading the tagging data files: strict YAML (a key twice is an error) checked by a JSON Schema.

YAML's own loaders keep the last of two equal keys without a word, so a lexicon entry written
twice with two weights silently loses one. Here it is an error naming both lines. Each data
file has its schema beside it in `data/schemas/`; an error names the file, the path inside it
and what is wrong.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from pipeline.core.errors import ConfigError

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "schemas"


try:  # libyaml's parser (5 to 15 times faster than PyYAML's own, measured on the registry files,
    # read at every start); the constructors, and so the duplicate check, are the same Python code
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # a PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _StrictLoader(_SafeLoader):
    """SafeLoader that refuses a mapping holding one key twice."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            first = seen[key].start_mark.line + 1
            raise ConfigError(
                f"duplicate key {key!r} at line {key_node.start_mark.line + 1} "
                f"(first at line {first})"
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def strict_yaml(text: str, origin: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: safe
    except ConfigError as exc:
        raise ConfigError(f"{origin}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin} is not valid YAML: {exc}") from exc


@cache
def _validator(schema: str) -> Draft202012Validator:
    path = SCHEMA_DIR / f"{schema}.schema.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document)


def validate(document: Any, schema: str, origin: str) -> None:
    errors = sorted(_validator(schema).iter_errors(document), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.path) or "(top)"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(f"{origin}: {where}: {first.message}{more}")


def load_data_file(path: Path, schema: str) -> Any:
    """The file's content, parsed strictly and checked against `schemas/<schema>.schema.json`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"data file {path} cannot be read: {exc}") from exc
    document = strict_yaml(text, str(path))
    validate(document, schema, str(path))
    return document
