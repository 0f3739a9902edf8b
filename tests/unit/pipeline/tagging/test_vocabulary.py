"""The shared vocabulary gives each tagger the values its own function gives, word by word,
also across a restart of a full vocabulary, and the taggers' tables built on it give what the
per-word functions they replace give."""

from __future__ import annotations

import numpy as np

from pipeline.tagging.news_events import default_event_lexicon
from pipeline.tagging.patterns import CueIndex, tokenize
from pipeline.tagging.sentiment import default_sentiment_scorer
from pipeline.tagging.vocabulary import Vocabulary, WordValues

WORDS = "der gewinn brach ein , der umsatz stieg und die aktie fiel nicht".split()


def test_the_same_word_gets_the_same_id_and_a_list_asked_twice_is_looked_up_once() -> None:
    vocabulary = Vocabulary()
    ids = vocabulary.ids(WORDS)
    assert ids.ids.tolist() == [0, 1, 2, 3, 4, 0, 5, 6, 7, 8, 9, 10, 11]
    assert vocabulary.ids(WORDS) is ids
    assert vocabulary.ids(list(WORDS)).ids.tolist() == ids.ids.tolist()
    assert len(vocabulary) == 12


def test_values_are_computed_once_per_word_and_survive_a_restart() -> None:
    vocabulary = Vocabulary(limit=8)
    calls: list[str] = []

    def length(word: str) -> int:
        calls.append(word)
        return len(word)

    table = WordValues(length, np.int64, vocabulary=vocabulary)
    first = WORDS[:6]
    assert table.of(first).tolist() == [len(w) for w in first]
    assert calls == ["der", "gewinn", "brach", "ein", ","]
    assert table.of(first).tolist() == [len(w) for w in first]
    assert len(calls) == 5, "known words are not computed again"
    stale = vocabulary.ids(first)
    rest = WORDS[6:]
    assert table.of(rest).tolist() == [len(w) for w in rest]  # full: a new generation
    assert vocabulary.generation == 1
    assert table.of(first, stale).tolist() == [len(w) for w in first], "stale ids: looked up"
    assert table.of([]).tolist() == []


def test_rows_of_values_keep_their_width() -> None:
    table = WordValues(lambda w: (len(w), w.count("e")), np.float64, width=2)
    assert table.of(["gewinn", "der", "gewinn"]).tolist() == [[6, 1], [3, 1], [6, 1]]


def test_the_taggers_tables_give_what_their_word_functions_give() -> None:
    text = (
        "Der Gewinn brach ein, der Umsatz stieg nicht: Terroranschlag und Rekordgewinn, KI-Chips."
    )
    tokens = tokenize(text)
    lexicon = default_sentiment_scorer().lexicon("de")
    assert lexicon._weights.of(tokens.words).tolist() == [
        lexicon.word_weight(w) for w in tokens.words
    ]
    events = default_event_lexicon().words("de")
    assert events._codes.of(tokens.words).tolist() == [events.code(w) for w in tokens.words]
    index = CueIndex(["gewinn", "ki", "umsatz stieg"])
    assert index._positions(tokens.words) == [
        i for i, w in enumerate(tokens.words) if w in ("gewinn", "umsatz") or "-" in w
    ]


def test_the_sentence_models_rows_by_id_are_the_featurizers_sums() -> None:
    from pipeline.tagging.sentiment_model import default_sentiment_model

    model = default_sentiment_model().sentences("de")
    words = ["<e>", "gewinn", "brach", "2,5", "gewinn"]
    rows = model._words.of(words)
    for word, row in zip(words, rows.tolist(), strict=True):
        value, ids = model.featurizer.word_features(word)
        summed = model.weights[list(ids)].sum(axis=0, dtype=np.float64).tolist()
        assert row == [value, len(ids) + 1, *summed]
    ids = model._words.vocabulary.ids(words)
    assert model.sentence_parts([words[:2], words[2:]], ids).tolist() == (
        model.sentence_parts([words[:2], words[2:]]).tolist()
    )


def test_threads_sharing_a_restarting_vocabulary_get_the_right_values() -> None:
    import random
    import threading

    vocabulary = Vocabulary(limit=6)
    table = WordValues(len, np.int64, vocabulary=vocabulary)
    wrong: list[list[str]] = []

    def work(seed: int) -> None:
        chooser = random.Random(seed)
        for _ in range(300):
            words = chooser.choices(WORDS, k=chooser.randint(1, 5))
            if table.of(words).tolist() != [len(w) for w in words]:
                wrong.append(words)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    assert vocabulary.generation > 0, "the vocabulary started again on the way"
