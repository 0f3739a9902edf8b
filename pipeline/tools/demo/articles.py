"""Sample articles: text files with a small header, written for the project."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.core.errors import ConfigError

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"
_HEADER_KEYS = ("slug", "lang", "section", "kicker", "author", "published", "title", "teaser")


@dataclass(frozen=True)
class SampleArticle:
    slug: str
    lang: str
    section: str
    kicker: str
    author: str
    published: datetime
    title: str
    teaser: str
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/{self.lang}/{self.section.lower()}/{self.slug}.html"


def load_articles(directory: Path = ARTICLES_DIR) -> list[SampleArticle]:
    articles = [parse_article(path) for path in sorted(directory.glob("*.txt"))]
    return sorted(articles, key=lambda a: a.published, reverse=True)


def parse_article(path: Path) -> SampleArticle:
    header_text, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
    if not sep:
        raise ConfigError(f"{path}: header and body must be separated by a line '---'")
    header = dict(line.split(": ", 1) for line in header_text.splitlines() if line.strip())
    missing = [key for key in _HEADER_KEYS if key not in header]
    if missing:
        raise ConfigError(f"{path}: header lacks {missing}")
    paragraphs = tuple(p.strip() for p in body.split("\n\n") if p.strip())
    return SampleArticle(
        slug=header["slug"],
        lang=header["lang"],
        section=header["section"],
        kicker=header["kicker"],
        author=header["author"],
        published=datetime.fromisoformat(header["published"]),
        title=header["title"],
        teaser=header["teaser"],
        paragraphs=paragraphs,
    )
