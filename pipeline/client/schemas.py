"""Validate events against newswire's JSON Schemas (draft 2020-12), references resolved.

The schemas are found in the repository's `schemas/` folder (a source checkout or an editable
install) or where a wheel puts them (`<prefix>/share/newswire/schemas`); `SchemaSet(path)`
takes any other folder.
"""

from __future__ import annotations

import json
import sysconfig
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from pipeline.core.errors import ConfigError

SCHEMA_SUFFIX = ".schema.json"
MESSAGE_CHARS = 200  # jsonschema quotes the offending value, which can be a whole article


class InvalidEventError(ValueError):
    """An event that does not follow its schema; `errors` says where and why."""

    def __init__(self, name: str, errors: list[str]) -> None:
        super().__init__(f"not a valid {name} event: {'; '.join(errors)}")
        self.name = name
        self.errors = errors


def schema_dir_candidates() -> list[Path]:
    return [
        Path(__file__).resolve().parents[2] / "schemas",
        Path(sysconfig.get_path("data")) / "share" / "newswire" / "schemas",
    ]


def find_schema_dir() -> Path:
    for candidate in schema_dir_candidates():
        if any(candidate.glob(f"*{SCHEMA_SUFFIX}")):
            return candidate
    tried = ", ".join(str(c) for c in schema_dir_candidates())
    raise ConfigError(f"newswire's JSON Schemas were not found (looked in {tried})")


class SchemaSet:
    """Every `<name>.schema.json` of one folder, by topic-style name (`news.enriched.v1`)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or find_schema_dir()
        self.schemas: dict[str, dict[str, Any]] = {
            path.name[: -len(SCHEMA_SUFFIX)]: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(self.folder.glob(f"*{SCHEMA_SUFFIX}"))
        }
        if not self.schemas:
            raise ConfigError(f"no *{SCHEMA_SUFFIX} files in {self.folder}")
        resources = [(s["$id"], Resource.from_contents(s)) for s in self.schemas.values()]
        self.registry: Registry[Any] = Registry().with_resources(resources)
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}

    def validator(self, name: str) -> jsonschema.Draft202012Validator:
        if name not in self.schemas:
            raise ConfigError(f"no schema {name!r} in {self.folder}; known: {sorted(self.schemas)}")
        if name not in self._validators:
            self._validators[name] = jsonschema.Draft202012Validator(
                self.schemas[name],
                registry=self.registry,
                format_checker=jsonschema.FormatChecker(),
            )
        return self._validators[name]

    def errors(self, name: str, event: Mapping[str, Any]) -> list[str]:
        """Every violation, as `path: message`, shortest path first."""
        found = self.validator(name).iter_errors(event)
        return [
            f"{'/'.join(str(p) for p in e.absolute_path) or '(event)'}: {_shorten(e.message)}"
            for e in sorted(found, key=lambda e: len(e.absolute_path))
        ]

    def check(self, name: str, event: Mapping[str, Any]) -> None:
        errors = self.errors(name, event)
        if errors:
            raise InvalidEventError(name, errors)


@cache
def default_schemas() -> SchemaSet:
    return SchemaSet()


def _shorten(message: str) -> str:
    return message if len(message) <= MESSAGE_CHARS else message[: MESSAGE_CHARS - 1] + "…"
