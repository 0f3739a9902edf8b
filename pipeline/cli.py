"""The `newswire` command line. The only place that configures logging."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.core.errors import NewswireError
from pipeline.core.settings import Settings

log = logging.getLogger("newswire")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newswire",
        description="Streaming news ingestion: feeds in; companies, topics and sentiment out.",
    )
    parser.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("up", help="run broker (embedded unless configured), worker, connectors")
    commands.add_parser("worker", help="run the Faust worker (clean, tag, publish)")
    connect = commands.add_parser("connect", help="poll the feed catalogue, produce raw events")
    connect.add_argument("--once", action="store_true", help="poll every source once and exit")
    connect.add_argument("--sources", help="only these source ids (comma-separated)")
    connect.add_argument("--shard", help="only shard I of N of the catalogue, as I/N")
    submit = commands.add_parser("submit", help="fetch URLs now and produce raw events")
    submit.add_argument("urls", nargs="+", metavar="URL")
    submit.add_argument("--force", action="store_true", help="produce even if already seen")
    commands.add_parser("broker", help="run the embedded broker alone")
    demo = commands.add_parser("demo", help="offline demo on a bundled sample news site")
    demo.add_argument("--json", action="store_true", help="print enriched events as JSON lines")
    demo.add_argument("--timeout", type=float, default=180.0, help="seconds to wait (180)")
    tail = commands.add_parser("tail", help="print enriched events as they arrive")
    tail.add_argument("--json", action="store_true", help="one JSON object per line")
    tail.add_argument("--from-beginning", action="store_true", help="start at the oldest event")
    tail.add_argument("--max", type=int, default=None, help="stop after N events")
    tail.add_argument("--timeout", type=float, default=None, help="stop after S seconds")
    tail.add_argument("--company", help="only events naming this company (id, ticker or name)")
    tail.add_argument("--topic", help="only events with this topic id")
    commands.add_parser("tag", help="tag JSON lines from stdin (no broker needed)")
    bench = commands.add_parser("bench", help="measure throughput and latency")
    bench.add_argument(
        "--corpus", type=Path, help="*.html / *.html.gz pages (default: the bundled sample site)"
    )
    bench.add_argument("--json", action="store_true", help="end with one JSON line")
    bench.add_argument(
        "--articles", type=int, default=600, help="articles in the throughput run (default 600)"
    )
    bench.add_argument(
        "--soak-minutes",
        type=float,
        default=0.0,
        help="then hold 60%% load this long, sampling the worker's RSS (default: no soak)",
    )
    evaluate = commands.add_parser("eval", help="measure extraction or tagging quality")
    targets = evaluate.add_subparsers(dest="target", required=True, metavar="TARGET")
    extraction = targets.add_parser("extraction", help="score cleaning beside bare trafilatura")
    extraction.add_argument(
        "--dataset",
        type=Path,
        required=True,
        help="a folder in the Zyte or the trafilatura evaluation layout",
    )
    extraction.add_argument("--german", action="store_true", help="only .de/.at/.ch pages")
    extraction.add_argument("--limit", type=int, help="only the first N pages")
    extraction.add_argument(
        "--variants", action="store_true", help="also score the other extraction modes"
    )
    extraction.add_argument("--json", action="store_true", help="one JSON object")
    tagging = targets.add_parser("tagging", help="score the taggers beside naive baselines")
    tagging.add_argument(
        "--labelled",
        type=Path,
        default=Path("tests/eval/labelled_articles.yaml"),
        help="the labelled articles (default: the project's set)",
    )
    tagging.add_argument(
        "--data",
        type=Path,
        help="folder with the public sets (FinEntity, "
        "SEntFiN, Twitter financial news, GerNTSA, GermEval 2014)",
    )
    tagging.add_argument("--json", action="store_true", help="one JSON object")
    commands.add_parser("extract", help="clean HTML from JSON lines on stdin (no broker needed)")
    return parser


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    command = args.command
    if command == "up":
        from pipeline.commands.up import run_up

        return run_up(settings)
    if command == "worker":
        from pipeline.commands.worker import run_worker

        return run_worker(settings)
    if command == "connect":
        from pipeline.commands.connect import run_connect

        return run_connect(settings, once=args.once, only=args.sources, shard=args.shard)
    if command == "submit":
        from pipeline.commands.connect import run_submit

        return run_submit(settings, args.urls, force=args.force)
    if command == "broker":
        from pipeline.commands.broker import run_broker

        return run_broker(settings)
    if command == "demo":
        from pipeline.commands.demo import run_demo

        return run_demo(settings, as_json=args.json, timeout_s=args.timeout)
    if command == "tail":
        from pipeline.commands.tail import TailOptions, run_tail

        return run_tail(
            settings,
            TailOptions(
                args.json, args.from_beginning, args.max, args.timeout, args.company, args.topic
            ),
        )
    if command == "eval" and args.target == "tagging":
        from pipeline.commands.evaluate_tagging import run_eval_tagging

        return run_eval_tagging(args.labelled, args.data, args.json)
    if command == "eval":
        from pipeline.commands.evaluate import run_eval_extraction

        return run_eval_extraction(args.dataset, args.german, args.limit, args.variants, args.json)
    if command == "bench":
        from pipeline.commands.bench import run_bench_command

        return run_bench_command(settings, args.corpus, args.json, args.articles, args.soak_minutes)
    if command == "tag":
        from pipeline.commands.tag import run_tag

        return run_tag(tagger_spec=settings.tagger)
    from pipeline.commands.extract import run_extract

    return run_extract()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for chatty in ("kafka", "aiokafka"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLogger().level))
    try:
        return dispatch(args, Settings.from_env())
    except NewswireError as exc:
        log.error("%s", exc)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
