"""Company tagging only, fast: the synthetic labelled set (dev, held-out) and GermEval 2014 ORG
precision/recall, with the false hits listed. For iterating on the registry and the matcher;
`newswire eval tagging` stays the reference.

Run: python scripts/company_eval.py [DATA_DIR] [--show-errors] [--no-traps] [--recogniser]
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.tagging.base import TaggingInput
from pipeline.tagging.company import CompanyMatcher
from pipeline.tagging.recogniser import default_recogniser
from pipeline.tagging.registry import default_companies
from pipeline.tagging.tagger import DefaultTagger, default_tagger
from pipeline.tagging.text import split_sentences
from pipeline.tagging.traps import NO_TRAPS
from pipeline.tools.evaluation.public import germeval_sentences
from pipeline.tools.evaluation.tagging import load_labelled

ROOT = Path(__file__).resolve().parent.parent


def synthetic(show: bool, tagger: DefaultTagger) -> None:
    articles = load_labelled(ROOT / "tests" / "eval" / "labelled_articles.yaml")
    for part in ("dev", "holdout"):
        chosen = [a for a in articles if a.holdout == (part == "holdout")]
        tp = fp = fn = 0
        for article in chosen:
            output = tagger.tag(TaggingInput(article.text, article.title, article.lang))
            found = {c["id"] for c in output["companies"]}
            tp += len(found & article.companies)
            fp += len(found - article.companies)
            fn += len(article.companies - found)
            if show and found != article.companies:
                print(f"  {article.id}: extra {sorted(found - article.companies)}"
                      f" missing {sorted(article.companies - found)}")  # fmt: skip
        p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        print(f"synthetic {part}: P {p:.3f} R {r:.3f} F1 {2 * p * r / max(1e-9, p + r):.3f}")


def germeval(data: Path, show: bool, matcher: CompanyMatcher) -> None:
    tp = predicted = 0
    gold_total = gold_hit = 0
    wrong: dict[str, int] = {}
    for text, gold in germeval_sentences(data):
        spans = [(m.start, m.end) for m in matcher.find(text, split_sentences(text))]
        for a, b in spans:
            if any(a < g1 and g0 < b for g0, g1 in gold):
                tp += 1
            else:
                wrong[text[a:b]] = wrong.get(text[a:b], 0) + 1
        predicted += len(spans)
        gold_total += len(gold)
        gold_hit += sum(1 for g0, g1 in gold if any(a < g1 and g0 < b for a, b in spans))
    precision, recall = tp / max(1, predicted), gold_hit / max(1, gold_total)
    print(f"GermEval ORG: precision {precision:.3f} ({tp}/{predicted}), "
          f"recall of all ORG {recall:.3f} ({gold_hit}/{gold_total})")  # fmt: skip
    if show:
        print("  false hits:", sorted(wrong.items(), key=lambda kv: -kv[1])[:60])


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = "--show-errors" in sys.argv
    data = Path(args[0]) if args else ROOT.parent / "shared" / "data"
    tagger = default_tagger()
    traps = NO_TRAPS if "--no-traps" in sys.argv else None
    recogniser = default_recogniser() if "--recogniser" in sys.argv else None
    tagger.companies = CompanyMatcher(default_companies(), traps, recogniser)
    synthetic(show, tagger)
    germeval(data, show, tagger.companies)


if __name__ == "__main__":
    main()
