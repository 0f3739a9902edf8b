"""Tagging cost alone, without the broker: the mean time of the default tagger per page of a
corpus, warm (after one pass, as in a long-running worker), as wall time and as CPU time of the
process (on a shared machine the CPU time leaves out the time other processes held the cores),
the time of each stage, and the share of one bare `trafilatura.extract`.

Run: python scripts/bench_tagging.py [CORPUS_DIR] [--rounds N]
CORPUS_DIR: the Zyte benchmark's html folder under ../shared/data by default. The pages are
cleaned as the pipeline cleans them (`newswire bench` measures its tagging figure the same way,
in one warm pass). Budgets (issues 14 and 15): company tagging <= 1.5 ms and whole tagging
<= 3 ms per Zyte page, at most a quarter of one extraction; a pool process < 400 MB RSS.
The load average is printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.cleaning.extract import clean_page
from pipeline.tagging.base import TaggingInput
from pipeline.tagging.patterns import tokenize
from pipeline.tagging.tagger import DefaultTagger, default_tagger
from pipeline.tagging.text import split_sentences
from pipeline.tools.bench import baseline, load_corpus

ROOT = Path(__file__).resolve().parent.parent
ZYTE = ROOT.parent / "shared" / "data" / "scrapinghub-article-extraction-benchmark" / "html"


def inputs_of(corpus: Path) -> list[TaggingInput]:
    found = []
    for page in load_corpus(corpus):
        try:
            article = clean_page(page.html, page.url)
        except Exception:  # a page the cleaner refuses is not part of the tagging figure
            continue
        found.append(TaggingInput(article.text, article.title, article.language))
    return found


Run = Callable[[], object]


def joined(item: TaggingInput) -> str:
    """The text the tagger analyses: title, newline, body (as `DefaultTagger.parse`)."""
    title = (item.title or "").replace("\n", " ")
    return f"{title}\n{item.text}" if title else item.text


def stages(tagger: DefaultTagger) -> dict[str, Callable[[TaggingInput], Run]]:
    """The default tagger's work on one article, stage by stage, as `DefaultTagger.tag` does
    it: each takes an article and returns the stage's work, its input computed beforehand."""

    def sentences(item: TaggingInput) -> Run:
        text = joined(item)
        return lambda: split_sentences(text)

    def words(item: TaggingInput) -> Run:
        text = joined(item)
        return lambda: tokenize(text)

    def companies(item: TaggingInput) -> Run:
        text = joined(item)
        found = split_sentences(text)
        return lambda: tagger.companies.find(text, found)

    def lexicon(item: TaggingInput) -> Run:
        parsed = tagger.parse(item)
        names = [(m.start, m.end) for m in parsed.mentions]
        return lambda: tagger.sentiment.score_sentences(
            parsed.tokens, parsed.sentences, item.language, names
        )

    def model(item: TaggingInput) -> Run:
        parsed = tagger.parse(item)
        document, found = tagger._lexicon_sentiment(parsed)
        return lambda: tagger.article_scores(parsed, document, found) if parsed.sentences else None

    def topics(item: TaggingInput) -> Run:
        parsed = tagger.parse(item)
        return lambda: tagger.topics_of(parsed)

    return {
        "sentences": sentences,
        "words": words,
        "companies": companies,
        "lexicon sentiment": lexicon,
        "sentiment model": model,
        "topics": topics,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ZYTE)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    items = inputs_of(args.corpus)
    tagger = default_tagger()
    for item in items:  # warm-up: a long-running worker's word caches are warm
        tagger.tag(item)
    print(f"pages {len(items)}, load average before {os.getloadavg()[0]:.1f}")
    wall = cpu = 0.0
    for _ in range(args.rounds):
        started, used = time.perf_counter(), time.process_time()
        for item in items:
            tagger.tag(item)
        wall += time.perf_counter() - started
        cpu += time.process_time() - used
    calls = args.rounds * len(items)
    per_page = f"{wall * 1000 / calls:.2f} ms per page (wall), {cpu * 1000 / calls:.2f} ms (CPU)"
    print(f"tagging {per_page}")
    for name, prepare in stages(tagger).items():
        work = [prepare(item) for item in items]
        used = time.process_time()
        for _ in range(args.rounds):
            for run in work:
                run()
        print(f"  {name:18s} {(time.process_time() - used) * 1000 / calls:6.2f} ms (CPU)")
    pages = load_corpus(args.corpus)
    bare = baseline(pages)
    share = cpu / calls * bare
    print(f"bare trafilatura {bare:.1f} pages/s: tagging is {share:.2f} of one extraction (CPU)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (cleaning and tagging, as a pool process) {rss:.0f} MB")
    print(f"load average after {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
