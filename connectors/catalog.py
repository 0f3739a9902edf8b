"""The feed catalogue: sources declared as data in YAML, validated with errors naming the entry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from connectors.base import SourceSpec
from pipeline.core.errors import ConfigError

SOURCE_KINDS = frozenset({"rss", "sitemap", "listing", "urls"})
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
DEFAULT_CATALOG = Path(__file__).resolve().parent / "data" / "feeds.yaml"


def load_catalog(path: Path | None = None) -> list[SourceSpec]:
    """The catalogue at `path`; None: the one bundled with the connectors."""
    path = path or DEFAULT_CATALOG
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"feed catalogue {path} cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"feed catalogue {path} is not valid YAML: {exc}") from exc
    return parse_catalog(document, origin=str(path))


def parse_catalog(document: Any, origin: str = "catalogue") -> list[SourceSpec]:
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise ConfigError(f"{origin}: expected a mapping with a list under 'sources'")
    specs: list[SourceSpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(document["sources"]):
        spec = _parse_entry(entry, f"{origin}: sources[{index}]")
        if spec.id in seen:
            raise ConfigError(f"{origin}: sources[{index}] repeats the id {spec.id!r}")
        seen.add(spec.id)
        specs.append(spec)
    return specs


def _parse_entry(entry: Any, where: str) -> SourceSpec:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping with id, kind and url")
    source_id, kind, url = entry.get("id"), entry.get("kind"), entry.get("url")
    if not isinstance(source_id, str) or not _ID_PATTERN.match(source_id):
        raise ConfigError(f"{where}: id {source_id!r} must be lower-case letters, digits, . _ -")
    where = f"{where} ({source_id})"
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"{where}: kind {kind!r} is not one of {sorted(SOURCE_KINDS)}")
    if not isinstance(url, str) or urlsplit(url).scheme not in {"http", "https"}:
        raise ConfigError(f"{where}: url {url!r} must be an http or https URL")
    if not urlsplit(url).hostname:
        raise ConfigError(f"{where}: url {url!r} has no host")
    language = entry.get("language")
    if language is not None and not isinstance(language, str):
        raise ConfigError(f"{where}: language must be a string such as 'de'")
    unknown = set(entry) - {"id", "kind", "url", "language"}
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    return SourceSpec(id=source_id, kind=kind, url=url, language=language)
