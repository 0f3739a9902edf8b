"""Tag a fixed set of texts and write every output, to check that a speed-up changes nothing.

Run before a change: `python scripts/tagging_equivalence.py write OUT.jsonl`, after it:
`python scripts/tagging_equivalence.py compare OUT.jsonl` (exit 1 and the first differing
texts when any output differs). The texts are the synthetic labelled articles
(tests/eval/labelled_articles.yaml), the fundus-news articles and the Zyte benchmark pages that
`RESERVED.md` does not list (as cleaned by the pipeline, and their ground-truth bodies), except
the pages of the real-news set's held-out part (tests/eval/real_news.yaml, `split: heldout`):
the reserved and the held-out pages are never tagged here, so their outputs are never written.
Each text is tagged by the default tagger (learned sentiment) and the lexicon tagger; the
learned model's inputs (`article_scores`) are written too. DATA_DIR (--data) is
../shared/data by default.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from pipeline.cleaning.extract import clean_page
from pipeline.cleaning.language import detect_language
from pipeline.tagging.base import TaggingInput
from pipeline.tagging.tagger import default_tagger, lexicon_tagger

ROOT = Path(__file__).resolve().parent.parent
ZYTE = "scrapinghub-article-extraction-benchmark"


def reserved_ids(data: Path) -> set[str]:
    text = (data / "RESERVED.md").read_text(encoding="utf-8")
    return set(re.findall(r"^- ([0-9a-f]{64})\s*$", text, flags=re.MULTILINE))


def heldout_files() -> set[str]:
    """The files (fundus-news paths, Zyte page ids) of the real-news held-out part."""
    labels = yaml.safe_load((ROOT / "tests/eval/real_news.yaml").read_text("utf-8"))
    return {a["file"] for a in labels["articles"] if a["split"] == "heldout"}


def inputs(data: Path) -> Iterator[tuple[str, TaggingInput]]:
    heldout = heldout_files()
    labelled = yaml.safe_load((ROOT / "tests/eval/labelled_articles.yaml").read_text("utf-8"))
    for item in labelled["articles"]:
        yield f"synthetic/{item['id']}", TaggingInput(item["text"], item["title"], item["lang"])
    fundus = data / "fundus-news" / "index.jsonl"
    for line in fundus.read_text(encoding="utf-8").splitlines() if fundus.exists() else []:
        item = json.loads(line)
        if item["file"] in heldout:
            continue
        if item.get("body"):
            title = item.get("title")
            language = detect_language(f"{title}\n{item['body']}").code
            yield f"fundus/{item['file']}", TaggingInput(item["body"], title, language)
        cleaned = _cleaned(data / "fundus-news" / item["file"])
        if cleaned is not None:
            yield f"fundus-html/{item['file']}", cleaned
    if not (data / ZYTE).exists():
        return
    reserved = reserved_ids(data)
    truth = json.loads((data / ZYTE / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(set(truth) - reserved - heldout):
        body = str(truth[page_id].get("articleBody") or "")
        if body:
            language = detect_language(body).code
            yield (
                f"zyte-truth/{page_id}",
                TaggingInput(body, truth[page_id].get("headline"), language),
            )
        cleaned = _cleaned(data / ZYTE / "html" / f"{page_id}.html.gz")
        if cleaned is not None:
            yield f"zyte/{page_id}", cleaned


def _cleaned(path: Path) -> TaggingInput | None:
    """The page as the pipeline cleans it; None when it is absent or the cleaner refuses it."""
    if not path.exists():
        return None
    html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
    try:
        article = clean_page(html, f"https://bench.invalid/{path.name.split('.')[0]}")
    except Exception:  # the pipeline refuses the page: nothing is tagged
        return None
    return TaggingInput(article.text, article.title, article.language)


def outputs(data: Path) -> Iterator[dict[str, Any]]:
    learned, lexicon = default_tagger(), lexicon_tagger()
    for key, item in inputs(data):
        record: dict[str, Any] = {
            "key": key,
            "tag": learned.tag(item),
            "lexicon": lexicon.tag(item),
        }
        parsed = learned.parse(item)
        if parsed.sentences:
            document, companies = learned._lexicon_sentiment(parsed)
            scores = learned.article_scores(parsed, document, companies)
            record["scores"] = {"document": scores.document, "companies": scores.companies}
        yield record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("write", "compare"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    lines = [
        json.dumps(r, sort_keys=True, ensure_ascii=False, default=repr) for r in outputs(args.data)
    ]
    if args.mode == "write":
        args.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} outputs written to {args.path}")
        return 0
    expected = args.path.read_text(encoding="utf-8").splitlines()
    if len(lines) != len(expected):
        print(f"{len(lines)} outputs, {len(expected)} expected")
        return 1
    pairs = zip(lines, expected, strict=True)
    differing = [json.loads(new)["key"] for new, old in pairs if new != old]
    if differing:
        print(f"{len(differing)} of {len(lines)} outputs differ, first: {differing[:10]}")
        return 1
    print(f"all {len(lines)} outputs identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
