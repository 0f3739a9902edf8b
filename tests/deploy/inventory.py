"""What deploy/ may refer to, read from the code: the CLI's commands and the settings' names.

Commands come from the argparse parser that `pipeline.cli` builds (each command registers its
own subparser), settings from the groups of pipeline/core/settings.py (every field is the
variable NEWSWIRE_<FIELD>, whatever its group).
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

ENV_PREFIX = "NEWSWIRE_"


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
    from pipeline.core.settings import Settings

    return Settings


def settings_fields() -> dict[str, Any]:
    """Environment variable name -> default value, for every setting (of every group)."""
    from pipeline.core.settings import GROUPS, env_name

    return {
        env_name(name): field.default
        for model in GROUPS.values()
        for name, field in model.model_fields.items()
    }


def settings_env_names() -> set[str]:
    return set(settings_fields())
