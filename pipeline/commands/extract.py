"""`newswire extract`: clean JSON lines `{"id"?, "url"?, "html"}` as the worker does."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from pipeline.cleaning.extract import clean_page
from pipeline.commands.lines import map_json_lines


def extract_item(item: dict[str, Any]) -> dict[str, Any]:
    html = item.get("html")
    if not isinstance(html, str):
        raise ValueError("'html' must be a string")
    article = clean_page(html, url=item.get("url"))
    return article.as_dict()


def run_extract(source: TextIO = sys.stdin, sink: TextIO = sys.stdout) -> int:
    return map_json_lines(source, sink, extract_item)
