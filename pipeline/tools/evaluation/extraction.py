"""Score the cleaning stage against extraction benchmarks, beside bare trafilatura.

Two dataset layouts:
- Zyte/Scrapinghub article-extraction-benchmark: `ground-truth.json` ({id: {articleBody, url}})
  and `html/<id>.html.gz`; scored with bag-of-words precision, recall and F1 per page
  (lower-cased word tokens, counted with multiplicity), averaged over pages.
- trafilatura's evaluation corpus: `evaldata.json` ({url: {file, with, without}}) with pages in
  `eval/` or `cache/`; a `with` snippet found is a true positive, missed a false negative; a
  `without` snippet found is a false positive. Precision, recall and F1 over all snippets.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import trafilatura

from pipeline.cleaning.extract import DEFAULT_OPTIONS, ExtractionOptions, clean_page
from pipeline.core.errors import ConfigError, ExtractionError

_WORD = re.compile(r"\w+", re.UNICODE)
GERMAN_TLDS = (".de", ".at", ".ch")

Extractor = Callable[[str, str], str]


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    truth: str = ""
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()


@dataclass(frozen=True)
class Score:
    name: str
    pages: int
    precision: float
    recall: float
    f1: float
    ms_per_page: float

    def row(self) -> str:
        return (
            f"{self.name:<28} {self.pages:>5} {self.precision:>9.3f} {self.recall:>7.3f} "
            f"{self.f1:>7.3f} {self.ms_per_page:>9.1f}"
        )


HEADER = f"{'extractor':<28} {'pages':>5} {'precision':>9} {'recall':>7} {'f1':>7} {'ms/page':>9}"


def newswire_extractor(options: ExtractionOptions = DEFAULT_OPTIONS) -> Extractor:
    def extract(html: str, url: str) -> str:
        try:
            return clean_page(html, url, options=options).text
        except ExtractionError:
            return ""

    return extract


def bare_trafilatura(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def detect_layout(dataset: Path) -> str:
    if (dataset / "ground-truth.json").is_file():
        return "zyte"
    if (dataset / "evaldata.json").is_file() or (dataset / "tests" / "evaldata.json").is_file():
        return "snippets"
    raise ConfigError(
        f"{dataset}: neither ground-truth.json (Zyte layout) nor evaldata.json "
        "(trafilatura layout) found"
    )


def load_pages(dataset: Path, german_only: bool = False, limit: int | None = None) -> list[Page]:
    pages = list(_zyte(dataset) if detect_layout(dataset) == "zyte" else _snippets(dataset))
    if german_only:
        pages = [p for p in pages if (urlsplit(p.url).hostname or "").endswith(GERMAN_TLDS)]
    return pages[:limit] if limit else pages


def score(name: str, extractor: Extractor, pages: list[Page]) -> Score:
    started = time.perf_counter()
    outputs = [extractor(page.html, page.url) for page in pages]
    elapsed_ms = (time.perf_counter() - started) * 1000 / max(1, len(pages))
    if pages and pages[0].truth:
        precision, recall, f1 = _bag_of_words(pages, outputs)
    else:
        precision, recall, f1 = _snippet_scores(pages, outputs)
    return Score(name, len(pages), precision, recall, f1, elapsed_ms)


def _zyte(dataset: Path) -> Iterator[Page]:
    truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, item in sorted(truth.items()):
        path = dataset / "html" / f"{page_id}.html.gz"
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        yield Page(page_id, item.get("url", ""), html, truth=item.get("articleBody", ""))


def _snippets(dataset: Path) -> Iterator[Page]:
    root = dataset if (dataset / "evaldata.json").is_file() else dataset / "tests"
    data = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    for url, item in sorted(data.items()):
        for folder in ("eval", "cache"):
            path = root / folder / item["file"]
            if path.is_file():
                html = path.read_bytes().decode("utf-8", errors="replace")
                yield Page(
                    item["file"],
                    url,
                    html,
                    must=tuple(item.get("with") or ()),
                    must_not=tuple(item.get("without") or ()),
                )
                break


def _words(text: str) -> Counter[str]:
    return Counter(word.lower() for word in _WORD.findall(text))


def _bag_of_words(pages: list[Page], outputs: list[str]) -> tuple[float, float, float]:
    precisions, recalls, f1s = [], [], []
    for page, output in zip(pages, outputs, strict=True):
        truth, predicted = _words(page.truth), _words(output)
        overlap = sum((truth & predicted).values())
        precision = overlap / sum(predicted.values()) if predicted else 0.0
        recall = overlap / sum(truth.values()) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        precisions.append(precision)
        recalls.append(recall)
        f1s.append(f1)
    count = max(1, len(pages))
    return sum(precisions) / count, sum(recalls) / count, sum(f1s) / count


def _snippet_scores(pages: list[Page], outputs: list[str]) -> tuple[float, float, float]:
    tp = fn = fp = 0
    for page, output in zip(pages, outputs, strict=True):
        for snippet in page.must:
            if snippet in output:
                tp += 1
            else:
                fn += 1
        fp += sum(1 for snippet in page.must_not if snippet in output)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
