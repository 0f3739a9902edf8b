"""The `newswire` command line. The only place that configures logging."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from kafka.errors import KafkaError

from pipeline.commands import MODULES
from pipeline.core.errors import NewswireError
from pipeline.core.settings import Settings
from pipeline.kafka.reachability import BrokerUnreachable

log = logging.getLogger("newswire")

EXIT_NO_BROKER = 3  # the broker could not be reached, or went away and did not come back


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newswire",
        description="Streaming news ingestion: feeds in; companies, topics and sentiment out.",
    )
    parser.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in MODULES:
        importlib.import_module(f"pipeline.commands.{name}").register(commands)
    return parser


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for chatty in ("kafka", "aiokafka"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLogger().level))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.log_level)
    settings = None
    try:
        settings = Settings.from_env()
        code: int = args.run(args, settings)
    except BrokerUnreachable as exc:
        log.error("%s", exc)
        return EXIT_NO_BROKER
    except NewswireError as exc:
        log.error("%s", exc)
        return 2
    except KafkaError as exc:  # a client gave up (broker gone mid-run): one line, no traceback
        log.error("Kafka: %s (broker %s)", exc, settings.bootstrap if settings else "?")
        return EXIT_NO_BROKER
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
