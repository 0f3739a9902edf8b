"""List what the topic tagger finds on the dev data, for tuning: per article its gold topics,
the rule decisions and the model's, with the cues as evidence; per topic TP/FP/FN; and the
false topics on general-news pages (real pages labelled `topics: []`). The model was trained
on these articles: its figures here are in-sample; `train_topic_model.py --cv K` measures.

Only the dev split of the real-news set is read (its held-out part is filtered out before any
text is rebuilt) and only the dev part of the synthetic set: nothing here looks at held-out
data.

    .venv/bin/python scripts/topic_dev_report.py ../shared/data            # errors only
    .venv/bin/python scripts/topic_dev_report.py ../shared/data --all      # every article
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pipeline.tagging.company import CompanyMatcher
from pipeline.tagging.patterns import tokenize
from pipeline.tagging.registry import default_companies
from pipeline.tagging.text import split_sentences
from pipeline.tagging.topic import default_topic_tagger, rule_topic_tagger
from pipeline.tagging.topic_evidence import DocumentEvidence
from pipeline.tagging.topic_model import TopicModel
from pipeline.tools.evaluation.real_news import load_labels, with_texts
from pipeline.tools.evaluation.tagging import TOPICS, load_labelled

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "eval" / "labelled_articles.yaml"
REAL_NEWS = ROOT / "tests" / "eval" / "real_news.yaml"


def dev_articles(data: Path | None) -> list[tuple[str, str, str, str, str, frozenset[str]]]:
    """(source, id, title, text, language, gold) of the dev parts."""
    found = [
        ("synthetic", a.id, a.title, a.text, a.lang, frozenset(a.topics))
        for a in load_labelled(LABELLED)
        if not a.holdout
    ]
    if data is not None:
        dev = [a for a in load_labels(REAL_NEWS) if a.split == "dev"]  # before any text
        texts, _ = with_texts(dev, data)
        found += [("real", a.id, a.title, a.text, a.lang, a.topics) for a in texts]
    return found


def evidence(matcher: CompanyMatcher, title: str, text: str, language: str) -> DocumentEvidence:
    """The topic evidence as the default tagger computes it (title, newline, body)."""
    full = f"{title}\n{text}" if title else text
    sentences = split_sentences(full)
    mentions = [(m.start, m.end) for m in matcher.find(full, sentences)]
    return rule_topic_tagger().evidence(
        full, language, sentences, tokenize(full), len(title) + 1 if title else 0, mentions
    )


def counts(pairs: Iterable[tuple[set[str], frozenset[str]]]) -> dict[str, Counter[str]]:
    result = {t: Counter[str]() for t in TOPICS}
    for predicted, gold in pairs:
        for topic in TOPICS:
            taken, true = topic in predicted, topic in gold
            if taken or true:
                result[topic]["tp" if taken and true else "fp" if taken else "fn"] += 1
    return result


def macro_f1(by_topic: dict[str, Counter[str]]) -> float:
    """As the real-news scorer counts: over the topics with support or a false hit."""
    scores = []
    for c in by_topic.values():
        d = 2 * c["tp"] + c["fp"] + c["fn"]
        if d:
            scores.append(2 * c["tp"] / d)
    return sum(scores) / len(scores) if scores else 0.0


def report(data: Path | None, show_all: bool) -> None:
    matcher = CompanyMatcher(default_companies())
    model = default_topic_tagger().model
    assert isinstance(model, TopicModel)
    results: dict[str, list[tuple[set[str], set[str], frozenset[str]]]] = {}
    for source, article_id, title, text, language, gold in dev_articles(data):
        found = evidence(matcher, title, text, language)
        rule = {t.topic for t in found.topics if t.total >= t.threshold}
        kept = {m.id for m in model.decide(found)}
        results.setdefault(source, []).append((rule, kept, gold))
        if show_all or kept != gold or rule != gold:
            print(
                f"{source} {article_id}: gold {sorted(gold)} rules {sorted(rule)} "
                f"model {sorted(kept)}"
            )
            for match in found.topics:
                if match.total >= match.threshold or match.topic in gold:
                    p = model.probability(match, found)
                    shown = "-" if p is None else f"{p:.2f}"
                    cues = [e[:70] for e in match.evidence[:6]]
                    print(
                        f"    {match.topic} rule {match.total:.2f}/{match.threshold} "
                        f"p {shown} {cues}"
                    )
    for source, rows in results.items():
        rules = counts((r, g) for r, _, g in rows)
        model_counts = counts((k, g) for _, k, g in rows)
        general = Counter(t for _, k, g in rows if not g for t in k)
        print(
            f"\n{source} dev, {len(rows)} articles: macro-F1 rules {macro_f1(rules):.3f}, "
            f"model {macro_f1(model_counts):.3f}"
        )
        print(
            "  false topics on pages without a topic (model):",
            sum(general.values()),
            dict(general),
        )
        for topic in TOPICS:
            r, m = rules[topic], model_counts[topic]
            print(
                f"  {topic:22} rules tp/fp/fn {r['tp']}/{r['fp']}/{r['fn']}"
                f"   model {m['tp']}/{m['fp']}/{m['fn']}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="?", help="the shared data folder (real news)")
    parser.add_argument("--all", action="store_true", help="every article, not only errors")
    args = parser.parse_args(argv)
    report(args.data, args.all)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
