"""`newswire tag`: tag JSON lines `{"id"?, "title"?, "text", "language"?}` without a broker."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from pipeline.cleaning.language import detect_language
from pipeline.commands.lines import map_json_lines
from pipeline.tagging.base import ArticleTagger, TaggingInput
from pipeline.tagging.loader import load_tagger


def tag_item(item: dict[str, Any], tagger: ArticleTagger | None = None) -> dict[str, Any]:
    text = item.get("text")
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    title = item.get("title")
    language = item.get("language") or detect_language(f"{title or ''}\n{text}").code
    return (tagger or load_tagger()).tag(TaggingInput(text=text, title=title, language=language))


def run_tag(source: TextIO = sys.stdin, sink: TextIO = sys.stdout, tagger_spec: str = "") -> int:
    tagger = load_tagger(tagger_spec)
    return map_json_lines(source, sink, lambda item: tag_item(item, tagger))
