"""Train the organisation-name recogniser (pipeline/tagging/recogniser.py) and write its model.

Run: python scripts/train_org_recogniser.py [DATA_DIR]   (default ../shared/data)

Training data, both permissively licensed:
- GermEval 2014 NER, NER-de-dev.tsv (CC BY 4.0): German sentences, ORG spans (B-ORG/I-ORG of
  the outer level; ORGpart and ORGderiv, parts of words, are no organisation names). The test
  split stays out: the evaluation measures on it.
- FinEntity, FinEntity.json (ODC-BY 1.0): English financial news, company spans.
The model is pruned by L1 regularisation so that it ships small (a few hundred kB).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pycrfsuite

from pipeline.tagging.recogniser import MODEL, TOKEN, sentence_features

ROOT = Path(__file__).resolve().parent.parent
Example = tuple[list[str], list[str]]


def germeval(path: Path) -> Iterator[Example]:
    words: list[str] = []
    labels: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if words:
                yield words, labels
            words, labels = [], []
            continue
        parts = line.split("\t")
        words.append(parts[1])
        labels.append(parts[2] if parts[2] in ("B-ORG", "I-ORG") else "O")
    if words:
        yield words, labels


def finentity(path: Path) -> Iterator[Example]:
    for item in json.loads(path.read_text(encoding="utf-8")):
        text = item["content"]
        spans = [(a["start"], a["end"]) for a in item["annotations"]]
        tokens = list(TOKEN.finditer(text))
        labels = []
        for token in tokens:
            inside = [s for s in spans if s[0] <= token.start() < s[1]]
            if not inside:
                labels.append("O")
            else:
                labels.append("B-ORG" if token.start() == inside[0][0] else "I-ORG")
        yield [t.group() for t in tokens], labels


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    trainer = pycrfsuite.Trainer(verbose=False)
    count = 0
    sources = (
        germeval(data / "germeval2014-ner" / "NER-de-dev.tsv"),
        finentity(data / "finentity" / "FinEntity.json"),
    )
    for examples in sources:
        for words, labels in examples:
            trainer.append(sentence_features(words), labels)
            count += 1
    trainer.set_params({"c1": 0.2, "c2": 0.01, "max_iterations": 150})
    trainer.train(str(MODEL))
    print(f"trained on {count} sentences; wrote {MODEL} ({MODEL.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
