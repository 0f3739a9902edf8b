"""`newswire tag`: tag JSON lines `{"id"?, "title"?, "text", "language"?}` without a broker."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.commands import Commands
from pipeline.commands.lines import map_json_lines

if TYPE_CHECKING:
    from pipeline.tagging.base import ArticleTagger


def register(commands: Commands) -> None:
    tag = commands.add_parser("tag", help="tag JSON lines from stdin (no broker needed)")
    tag.set_defaults(run=lambda args, settings: run_tag(tagger_spec=settings.worker.tagger))


def tag_item(item: dict[str, Any], tagger: ArticleTagger | None = None) -> dict[str, Any]:
    from pipeline.cleaning.language import detect_language
    from pipeline.tagging.base import TaggingInput
    from pipeline.tagging.loader import load_tagger

    text = item.get("text")
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    title = item.get("title")
    language = item.get("language") or detect_language(f"{title or ''}\n{text}").code
    return (tagger or load_tagger()).tag(TaggingInput(text=text, title=title, language=language))


def run_tag(source: TextIO = sys.stdin, sink: TextIO = sys.stdout, tagger_spec: str = "") -> int:
    from pipeline.tagging.loader import load_tagger

    tagger = load_tagger(tagger_spec)
    return map_json_lines(source, sink, lambda item: tag_item(item, tagger))
