"""Company tagging only, fast: the synthetic labelled set (dev, held-out) and GermEval 2014 ORG
precision/recall on its dev split, with the false hits listed. For iterating on the registry
and the matcher; `newswire eval tagging` stays the reference.

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
from pipeline.tagging.traps import NO_TRAPS
from pipeline.tools.evaluation.germeval import read_sentences, score
from pipeline.tools.evaluation.public import matcher_spans
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
    """The dev split only: its errors are what the rules are tuned on; the test split, which
    `newswire eval tagging` reports, is measured once, never read for errors."""
    names = {n.lower() for c in matcher.companies.values() for n in (c.name, *c.aliases, *c.brands)}
    tally = score(read_sentences(data, "dev"), matcher_spans(matcher), names)
    t = tally
    print(f"GermEval ORG (dev split): precision of whole words {t.precision:.3f} "
          f"({t.whole_right}/{t.whole_predicted}), recall of registry names "
          f"{t.recall:.3f} ({t.hit}/{t.known}); all mentions (strict) "
          f"{t.strict_precision:.3f} ({t.right}/{t.predicted}); compound parts vs "
          f"ORGpart {t.part_precision:.3f} ({t.part_right}/{t.part_predicted})")  # fmt: skip
    if show:
        print("  false hits:", tally.false_hits.most_common(60))
        print("  false compound parts:", tally.false_parts.most_common(30))


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
