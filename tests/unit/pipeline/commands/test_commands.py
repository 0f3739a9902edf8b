"""Commands register themselves; signals stop a command once, and the old handlers return."""

from __future__ import annotations

import importlib
import os
import signal

from pipeline.cli import build_parser
from pipeline.commands import MODULES
from pipeline.commands.shutdown import stop_on_signals


def test_every_command_module_registers_a_handler() -> None:
    parser = build_parser()
    for argv in (["up"], ["worker"], ["connect", "--once"], ["submit", "u"], ["tail"], ["tag"]):
        assert callable(parser.parse_args(argv).run), argv
    assert callable(parser.parse_args(["eval", "tagging"]).run)


def test_the_module_list_names_real_modules() -> None:
    for name in MODULES:
        assert callable(importlib.import_module(f"pipeline.commands.{name}").register)


def test_sigterm_sets_the_stop_event_and_the_old_handler_comes_back() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with stop_on_signals() as stop:
        assert not stop.is_set()
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(5)
    assert signal.getsignal(signal.SIGTERM) is before
