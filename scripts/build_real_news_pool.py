"""Draw the real-news labelling pool from the shared data folder and print it as YAML stubs.

The pool (drawn once, 2026-12-02, then labelled blind; see tests/eval/REAL_NEWS.md):
- every fundus-news page with an expected body (158);
- English pages of the Zyte benchmark that tests/eval cannot see reserved (not in RESERVED.md),
  at least 400 characters and nearly all ASCII, all of them (79);
- pages of the trafilatura evaluation set from news-like hosts, not reserved, whose extracted
  text has at least 400 characters (39);
- drawn later, to hold out at least a third: 25 more trafilatura-eval pages from other hosts,
  not reserved, German or English, with at least 1,500 characters of extracted text, the first
  25 by the SHA-1 of their file name (ids `tx-`), all held out.
Held out: the SHA-1 of the id, modulo 3, is 0, and the whole later draw. Texts are clipped to
6,000 characters at a paragraph end (`pipeline.tools.evaluation.real_news.clip`).

Usage: python scripts/build_real_news_pool.py ../shared/data > pool.yaml
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

from pipeline.tools.evaluation.real_news import page_text, text_sha256

NEWS_HOSTS = re.compile(
    r"spiegel|zeit\.de|faz\.net|sueddeutsche|handelsblatt|heise|tagesschau|welt\.de|focus\.de"
    r"|stern\.de|taz\.de|derstandard|nzz|tagesspiegel|ndr|wdr|deutschlandfunk|dw\.com|t3n"
    r"|netzpolitik|orf\.at|express\.de|fr\.de|macwelt|theverge|wired|reuters|bbc|guardian"
    r"|nytimes|latimes|cnn|economist|threatpost"
)
ENGLISH_HOSTS = re.compile(r"\.(com|co\.uk|org|net|us)\b")
GERMAN_WORDS = re.compile(r"\b(der|die|und)\b")
ENGLISH_WORDS = re.compile(r"\b(the|and|of)\b")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def reserved(data: Path) -> set[str]:
    lines = (data / "RESERVED.md").read_text(encoding="utf-8").splitlines()
    return {line[2:].strip() for line in lines if line.startswith("- ")}


def fundus(data: Path) -> Iterator[dict[str, str]]:
    for line in (data / "fundus-news" / "index.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("body"):
            stem = Path(row["file"]).name.removesuffix(".html.gz")
            lang = "de" if row["country"] in ("de", "at", "ch") else "en"
            yield {
                "id": f"fn-{row['country']}-{slug(stem)}",
                "source": "fundus-news",
                "file": row["file"],
                "lang": lang,
            }


def zyte(data: Path, skip: set[str]) -> Iterator[dict[str, str]]:
    path = data / "scrapinghub-article-extraction-benchmark" / "ground-truth.json"
    for key, value in json.loads(path.read_text(encoding="utf-8")).items():
        body = value["articleBody"]
        if key in skip or not ENGLISH_HOSTS.search(value["url"]) or len(body) < 400:
            continue
        if sum(c.isascii() for c in body) / len(body) >= 0.97:
            yield {"id": f"zy-{key[:12]}", "source": "scrapinghub", "file": key, "lang": "en"}


def trafilatura_eval(data: Path, skip: set[str]) -> Iterator[dict[str, str]]:
    index = data / "trafilatura-eval" / "tests" / "evaldata.json"
    for url, value in json.loads(index.read_text(encoding="utf-8")).items():
        file = value["file"]
        if file in skip or not NEWS_HOSTS.search(url):
            continue
        try:
            _, text = page_text(data, "trafilatura-eval", file)
        except StopIteration:
            continue
        if len(text) >= 400:
            lang = "de" if len(GERMAN_WORDS.findall(text[:2000])) > 10 else "en"
            yield {
                "id": f"te-{slug(Path(file).stem)[:40]}",
                "source": "trafilatura-eval",
                "file": file,
                "lang": lang,
            }


def language(text: str) -> str | None:
    """German or English by their commonest words; None for any other language."""
    if len(GERMAN_WORDS.findall(text[:2000])) > 10:
        return "de"
    return "en" if len(ENGLISH_WORDS.findall(text[:2000])) > 10 else None


def later_draw(data: Path, skip: set[str], count: int = 25) -> Iterator[dict[str, str]]:
    index = data / "trafilatura-eval" / "tests" / "evaldata.json"
    pages = json.loads(index.read_text(encoding="utf-8"))
    files = sorted(
        (v["file"] for u, v in pages.items() if v["file"] not in skip and not NEWS_HOSTS.search(u)),
        key=lambda f: hashlib.sha1(f.encode()).hexdigest(),
    )
    drawn = 0
    for file in files:
        try:
            _, text = page_text(data, "trafilatura-eval", file)
        except StopIteration:
            continue
        lang = language(text)
        if len(text) >= 1500 and lang and drawn < count:
            drawn += 1
            yield {
                "id": f"tx-{slug(Path(file).stem)[:40]}",
                "source": "trafilatura-eval",
                "file": file,
                "lang": lang,
            }


def pool(data: Path) -> list[dict[str, str]]:
    skip = reserved(data)
    items = [*fundus(data), *zyte(data, skip), *trafilatura_eval(data, skip)]
    later = list(later_draw(data, skip))
    for item in items:
        digest = int(hashlib.sha1(item["id"].encode()).hexdigest(), 16)
        item["split"] = "heldout" if digest % 3 == 0 else "dev"
    for item in later:
        item["split"] = "heldout"
    items += later
    for item in items:
        item["text_sha256"] = text_sha256(*page_text(data, item["source"], item["file"]))
    return items


if __name__ == "__main__":
    yaml.safe_dump(pool(Path(sys.argv[1])), sys.stdout, allow_unicode=True, sort_keys=False)
