"""`newswire tag`: tag JSON lines `{"id"?, "title"?, "text", "language"?}` without a broker."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from pipeline.cleaning.language import detect_language
from pipeline.commands.lines import map_json_lines
from pipeline.tagging.base import TaggingInput
from pipeline.tagging.tagger import default_tagger


def tag_item(item: dict[str, Any]) -> dict[str, Any]:
    text = item.get("text")
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    title = item.get("title")
    language = item.get("language") or detect_language(f"{title or ''}\n{text}").code
    return default_tagger().tag(TaggingInput(text=text, title=title, language=language))


def run_tag(source: TextIO = sys.stdin, sink: TextIO = sys.stdout) -> int:
    return map_json_lines(source, sink, tag_item)
