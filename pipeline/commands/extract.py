"""`newswire extract`: clean JSON lines `{"id"?, "url"?, "html"}` as the worker does."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from pipeline.commands import Commands
from pipeline.commands.lines import map_json_lines


def register(commands: Commands) -> None:
    extract = commands.add_parser(
        "extract", help="clean HTML from JSON lines on stdin (no broker needed)"
    )
    extract.set_defaults(run=lambda args, settings: run_extract())


def extract_item(item: dict[str, Any]) -> dict[str, Any]:
    from pipeline.cleaning.extract import clean_page

    html = item.get("html")
    if not isinstance(html, str):
        raise ValueError("'html' must be a string")
    article = clean_page(html, url=item.get("url"))
    return article.as_dict()


def run_extract(source: TextIO = sys.stdin, sink: TextIO = sys.stdout) -> int:
    return map_json_lines(source, sink, extract_item)
