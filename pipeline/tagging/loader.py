"""Choose the tagger: the default one, or a user's (e.g. model-based) by import path."""

from __future__ import annotations

import importlib

from pipeline.core.errors import ConfigError
from pipeline.tagging.base import ArticleTagger
from pipeline.tagging.tagger import default_tagger


def load_tagger(spec: str = "") -> ArticleTagger:
    """`""` is the default tagger; `package.module:factory` calls factory() for another one,
    which must have `tag(TaggingInput) -> dict` with companies, topics and sentiment."""
    if not spec:
        return default_tagger()
    module_name, _, factory_name = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), factory_name or "create")
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"NEWSWIRE_TAGGER={spec!r} cannot be loaded: {exc}") from exc
    tagger = factory()
    if not callable(getattr(tagger, "tag", None)):
        raise ConfigError(f"NEWSWIRE_TAGGER={spec!r} made {tagger!r}, which has no tag()")
    return tagger


def tagger_versions(tagger: ArticleTagger) -> dict[str, str]:
    """A tagger's `versions()`, or for one that has none its class, as the only version."""
    versions = getattr(tagger, "versions", None)
    if callable(versions):
        found = versions()
        if (
            isinstance(found, dict)
            and found
            and all(isinstance(k, str) and isinstance(v, str) and v for k, v in found.items())
        ):
            return dict(found)
        raise ConfigError(f"{tagger!r}.versions() must give a non-empty dict of strings")
    kind = type(tagger)
    return {"tagger": f"{kind.__module__}.{kind.__qualname__}"}
