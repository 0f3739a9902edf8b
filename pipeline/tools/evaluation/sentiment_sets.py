"""The public sentiment sets as target items, with their fixed train / dev / test splits.

The split rule: a unit of text (a FinEntity passage, a SEntFiN headline, a GerNTSA snippet, a
tweet) goes by the first 8 hex digits of the SHA-256 of its text, modulo 100: below 70 train,
below 80 dev, else test; every target of one text lands in the same split. Twitter financial
news keeps its own split: its validation file is the test split, and its train file is cut
into train and dev by the same rule (below 85 train). A training text equal to a test text is
dropped. The model never sees a test split.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.tagging.text import split_sentences

_SENTFIN_DECISION = re.compile(r"'(.*?)': '(positive|negative|neutral)'")
TWITTER_LABELS = {"0": "negative", "1": "positive", "2": "neutral"}
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class TargetItem:
    """A text, the character spans of its target (empty: the text's own tone), the spans of
    other entities in it, the gold label, the language and the split."""

    text: str
    target: tuple[tuple[int, int], ...]
    entities: tuple[tuple[int, int], ...]
    label: str
    language: str
    split: str


def bucket(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 100


def split_of(text: str, train_below: int = 70, dev_below: int = 80) -> str:
    value = bucket(text)
    if value < train_below:
        return "train"
    return "dev" if value < dev_below else "test"


def finentity(root: Path) -> list[TargetItem]:
    """Each entity in the sentence of the passage that holds it; the passage decides the split."""
    items = []
    for passage in json.loads((root / "finentity" / "FinEntity.json").read_text("utf-8")):
        content = passage["content"]
        split = split_of(content)
        sentences = split_sentences(content)
        spans = []
        for note in passage["annotations"]:
            start = note["start"]
            if content[start : note["end"]] != note["value"]:
                start = max(0, content.find(note["value"]))
            spans.append((start, start + len(note["value"]), note["label"].lower()))
        for start, end, label in spans:
            sentence = next((s for s in sentences if s.start <= start < s.end), None)
            if sentence is None:
                continue
            shift = sentence.start
            others = tuple(
                (a - shift, b - shift)
                for a, b, _ in spans
                if (a, b) != (start, end) and sentence.start <= a and b <= sentence.end
            )
            target = ((start - shift, min(end, sentence.end) - shift),)
            items.append(TargetItem(sentence.text, target, others, label, "en", split))
    return items


def _find_all(text: str, name: str) -> list[tuple[int, int]]:
    lowered, needle = text.lower(), name.lower()
    found, start = [], lowered.find(needle)
    while start >= 0 and needle:
        found.append((start, start + len(needle)))
        start = lowered.find(needle, start + len(needle))
    return found


def sentfin(root: Path) -> list[TargetItem]:
    items = []
    with (root / "sentfin-1.0" / "SEntFiN.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            title = row["Title"]
            split = split_of(title)
            decisions = _SENTFIN_DECISION.findall(row["Decisions"])
            where = {name: _find_all(title, name) for name, _ in decisions}
            for name, label in decisions:
                others = tuple(s for other, spans in where.items() if other != name for s in spans)
                items.append(TargetItem(title, tuple(where[name]), others, label, "en", split))
    return items


def gerntsa(root: Path) -> list[TargetItem]:
    data = json.loads((root / "gerntsa" / "GerNTSA.json").read_text(encoding="utf-8"))
    items = []
    for entry in data:
        text = entry["opinion_snippet"]
        anchor = entry["target_anchor"]
        target = ((int(anchor["from"]), int(anchor["to"])),)
        label = entry["sentiment"]["polarity"]
        items.append(TargetItem(text, target, (), label, "de", split_of(text)))
    return items


def twitter(root: Path) -> list[TargetItem]:
    folder = root / "twitter-financial-news-sentiment"
    test = list(_tweets(folder / "sent_valid.csv", "test"))
    seen = {item.text for item in test}
    if not (folder / "sent_train.csv").is_file():  # evaluation needs the test split only
        return test
    train = [
        TargetItem(t.text, (), (), t.label, "en", split_of(t.text, 85, 100))
        for t in _tweets(folder / "sent_train.csv", "train")
        if t.text not in seen
    ]
    return train + test


def _tweets(path: Path, split: str) -> Iterator[TargetItem]:
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield TargetItem(row["text"], (), (), TWITTER_LABELS[row["label"]], "en", split)


SETS = {
    "FinEntity": finentity,
    "SEntFiN 1.0": sentfin,
    "Twitter financial news": twitter,
    "GerNTSA": gerntsa,
}


def load_sets(root: Path) -> dict[str, list[TargetItem]]:
    """Every set with its splits; a train or dev item whose text is also a test item's text
    (a sentence two FinEntity passages share) is dropped."""
    result = {}
    for name, loader in SETS.items():
        items = loader(root)
        test = {item.text for item in items if item.split == "test"}
        result[name] = [i for i in items if i.split == "test" or i.text not in test]
    return result
