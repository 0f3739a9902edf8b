"""`newswire config`: the effective settings, each with where its value came from."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from pydantic import SecretStr

from pipeline.commands import Commands
from pipeline.core.settings import Settings, env_name

REDACTED = "**********"


def register(commands: Commands) -> None:
    config = commands.add_parser("config", help="print the effective settings and their sources")
    config.set_defaults(run=lambda args, settings: run_config(settings))


def run_config(
    settings: Settings, environ: Mapping[str, str] | None = None, out: TextIO = sys.stdout
) -> int:
    env = os.environ if environ is None else environ
    for name, group, value in settings.items():
        variable = env_name(name)
        source = "env" if variable in env else "default"
        out.write(f"{group}.{name} = {shown(value)}  ({source}: {variable})\n")
    return 0


def shown(value: Any) -> str:
    """A value as printed: secrets redacted (an unset secret shows as empty)."""
    if isinstance(value, SecretStr):
        return repr(REDACTED if value.get_secret_value() else "")
    return repr("" if value is None else str(value))
