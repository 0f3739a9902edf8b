"""What deploy/ may refer to, read from the code: the CLI's commands and the settings' names.

Kept small and independent of the package layout: commands come from the argparse parser
that `pipeline.cli` builds (however the commands register their subparsers), settings from
the settings class (today a dataclass in pipeline/settings.py; a pydantic-settings class in
pipeline/core/settings.py after the layout change).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
from typing import Any

ENV_PREFIX = "NEWSWIRE_"
SETTINGS_MODULES = ("pipeline.core.settings", "pipeline.settings")


def cli_parser() -> argparse.ArgumentParser:
    cli = importlib.import_module("pipeline.cli")
    build = getattr(cli, "build_parser", None)
    if build is None:
        raise AssertionError("pipeline.cli has no build_parser(): update tests/deploy/inventory.py")
    parser = build()
    assert isinstance(parser, argparse.ArgumentParser)
    return parser


def cli_commands(parser: argparse.ArgumentParser | None = None) -> set[tuple[str, ...]]:
    """Every command path, e.g. ('worker',), ('eval',), ('eval', 'tagging')."""
    found: set[tuple[str, ...]] = set()

    def walk(current: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.add((*path, name))
                    walk(sub, (*path, name))

    walk(parser or cli_parser(), ())
    return found


def settings_class() -> type:
    for name in SETTINGS_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue
            raise
        return module.Settings  # type: ignore[no-any-return]
    raise AssertionError(f"no Settings class in {SETTINGS_MODULES}")


def settings_fields() -> dict[str, Any]:
    """Environment variable name -> default value, for every setting."""
    cls = settings_class()
    model_fields = getattr(cls, "model_fields", None)
    if model_fields is not None:  # pydantic-settings
        config = getattr(cls, "model_config", {})
        prefix = str(config.get("env_prefix", ENV_PREFIX))
        names = {}
        for name, field in model_fields.items():
            alias = field.validation_alias or field.alias
            env = alias if isinstance(alias, str) else f"{prefix}{name}".upper()
            names[env.upper()] = field.default
        return names
    if dataclasses.is_dataclass(cls):
        return {f"{ENV_PREFIX}{f.name.upper()}": f.default for f in dataclasses.fields(cls)}
    raise AssertionError(f"{cls!r}: neither a dataclass nor a pydantic-settings class")


def settings_env_names() -> set[str]:
    return set(settings_fields())
