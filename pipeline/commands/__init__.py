"""One module per subcommand; each registers its own subparser and handler.

A command module stays cheap to import (the parser imports them all): what a command needs at
run time (Faust, trafilatura, the taggers) is imported inside its handler."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Protocol, TypeAlias

from pipeline.core.settings import Settings

# what `add_subparsers` returns (generic only to the type checker)
if TYPE_CHECKING:
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    Commands = argparse._SubParsersAction

# The order of `newswire --help`.
MODULES = (
    "up",
    "worker",
    "connect",
    "broker",
    "topics",
    "demo",
    "tail",
    "replay",
    "tag",
    "extract",
    "bench",
    "evaluate",
    "config",
)


class Handler(Protocol):
    def __call__(self, args: argparse.Namespace, settings: Settings) -> int: ...
