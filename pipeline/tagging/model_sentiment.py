"""Document and per-company sentiment of an article from the learned model.

Every sentence is scored once with all company mentions masked, and its general-news event
words are counted; each company is scored again in the sentences that name it, with the words
around its mentions as target features. The document model turns the sentence scores and event
counts into the article's sentiment, the per-company model a company's target-aware scores and
salience into the company's (`sentiment_document.py`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, count, repeat
from operator import ne

import numpy as np

from pipeline.tagging.news_events import default_event_lexicon
from pipeline.tagging.patterns import Tokens, tokenize
from pipeline.tagging.sentiment import Sentiment, default_sentiment_scorer
from pipeline.tagging.sentiment_document import company_features, document_features
from pipeline.tagging.sentiment_features import Featurizer, masked_words
from pipeline.tagging.sentiment_model import (
    CLASSES,
    DocumentModel,
    Row,
    SentimentModel,
    dense_features,
    probabilities,
)
from pipeline.tagging.text import Sentence, clause_breaks
from pipeline.tagging.vocabulary import VOCABULARY, WordIds


@dataclass(frozen=True)
class ArticleScores:
    """The document model's input for the article and for each company id."""

    document: tuple[float, ...]
    companies: dict[str, tuple[float, ...]]


def analyse(
    model: SentimentModel,
    tokens: Tokens,
    sentences: Sequence[Sentence],
    mentions: Sequence[tuple[str, int, int]],
    lexicon_scores: Sequence[float],
    shift: int,
    language: str,
    lexicon_documents: tuple[float, dict[str, float]],
) -> ArticleScores:
    """`mentions` are (company id, start, end) in the text; `shift` is where the body starts
    (sentences before it are the headline); `lexicon_documents` the lexicon's document score
    and its score per company."""
    none = np.zeros((0, 3))
    if not sentences:
        empty = document_features(none, none, lexicon_documents[0], np.zeros((0, 2)))
        alone = company_features(none, none, 0.0, 0, 0.0)
        return ArticleScores(empty, {c: alone for c in lexicon_documents[1]})
    sentence_model = model.sentences(language)
    featurizer = sentence_model.featurizer
    company_rows: list[tuple[str, int]] = []  # (company, sentence index) per extra row
    windows: list[list[int]] = []
    ordered = sorted(mentions, key=lambda m: m[1])
    mention_starts = [m[1] for m in ordered]
    starts = tokens.starts
    sentence_starts = [sentence.start for sentence in sentences]
    sentence_ends = [sentence.end for sentence in sentences]
    # each sentence's words, as token positions, and its mentions, as positions in `ordered`
    spans = list(
        zip(
            map(bisect_left, repeat(starts), sentence_starts),
            map(bisect_left, repeat(starts), sentence_ends),
            strict=True,
        )
    )
    lows = list(map(bisect_left, repeat(mention_starts), sentence_starts))
    highs = list(map(bisect_left, repeat(mention_starts), sentence_ends))
    token_ids = VOCABULARY.ids(tokens.words)
    masked = [tokens.words[first:last] for first, last in spans]
    pieces = [token_ids.ids[first:last] for first, last in spans]  # ids of the masked words
    sizes = [token_ids.size]
    same = True  # the vocabulary did not start again (full) on the masked words
    for index in compress(count(), map(ne, lows, highs)):  # the sentences naming a company
        first, last = spans[index]
        inside = ordered[lows[index] : highs[index]]
        words, positions = masked_words(
            masked[index], starts[first:last], [(m[1], m[2]) for m in inside]
        )
        masked[index] = words
        found = VOCABULARY.ids(words, remember=False)
        pieces[index] = found.ids
        sizes.append(found.size)
        same = same and found.generation == token_ids.generation
        targets: dict[str, list[int]] = {}
        for mention, position in zip(inside, positions, strict=True):
            if position >= 0:
                targets.setdefault(mention[0], []).append(position)
        for company, where in targets.items():
            windows.append(featurizer.window_ids(words, sorted(set(where))))
            company_rows.append((company, index))
    masked_ids = (
        WordIds(np.concatenate(pieces), token_ids.generation, VOCABULARY, max(sizes))
        if same
        else None
    )
    parts = sentence_model.sentence_parts(masked, masked_ids)
    events = default_event_lexicon().words(language)
    counts = events.span_counts(tokens.words, spans, token_ids)
    owners = [index for _, index in company_rows]
    scores = np.asarray(lexicon_scores, dtype=np.float64)
    dense = dense_matrix(np.concatenate([scores, scores[owners]]), len(sentences), language)
    logits = np.concatenate([parts, parts[owners]]) if owners else parts
    if owners:
        logits[len(sentences) :] += np.asarray([sentence_model.window_part(w) for w in windows])
    logits += sentence_model.bias + dense @ sentence_model.dense
    probs = probabilities(logits)
    in_title = [i for i, s in enumerate(sentences) if s.start < shift]
    document = document_features(
        probs[in_title], probs[len(in_title) : len(sentences)], lexicon_documents[0], counts
    )
    title_rows: dict[str, list[int]] = {}
    body_rows: dict[str, list[int]] = {}
    for offset, (company, index) in enumerate(company_rows):
        chosen = title_rows if sentences[index].start < shift else body_rows
        chosen.setdefault(company, []).append(len(sentences) + offset)
    named = Counter(m[0] for m in mentions)
    total = max(len(mentions), 1)
    companies = {
        company: company_features(
            probs[title_rows.get(company, [])].reshape(-1, 3),
            probs[body_rows.get(company, [])].reshape(-1, 3),
            lexicon,
            named[company],
            named[company] / total,
        )
        for company, lexicon in lexicon_documents[1].items()
    }
    return ArticleScores(document, companies)


def dense_matrix(scores: np.ndarray, plain: int, language: str) -> np.ndarray:
    """`dense_features` for many rows at once: the first `plain` rows without a target."""
    result = np.zeros((len(scores), 5))
    result[:, 0] = scores
    result[:, 1] = np.maximum(scores, 0.0)
    result[:, 2] = np.minimum(scores, 0.0)
    result[plain:, 3] = 1.0
    result[:, 4] = 1.0 if language == "de" else 0.0
    return result


def sentiment_of(classifier: DocumentModel, features: tuple[float, ...]) -> Sentiment:
    """The label and score (positive minus negative probability) of the document model or the
    per-company model for its features."""
    probs = classifier.probabilities(features)
    label = CLASSES[int(np.argmax(probs))]
    return Sentiment(label, round(float(probs[2] - probs[0]), 3))


def target_row(
    featurizer: Featurizer,
    text: str,
    target: Sequence[tuple[int, int]],
    entities: Sequence[tuple[int, int]],
    language: str,
) -> Row:
    """One sentence (or headline) on its own, with the character spans of its target (none:
    the sentence's own tone) and of other entities; as the tagger scores a company's sentence."""
    tokens = tokenize(text)
    lexicon = default_sentiment_scorer().lexicon(language)
    names = [*target, *entities]
    breaks = clause_breaks(Sentence(0, len(text), text))
    score = lexicon.score_spans(tokens, [(0, len(text))], names, breaks)[0]
    words, positions = masked_words(tokens.words, tokens.starts, names)
    targets = sorted({p for p in positions[: len(target)] if p >= 0})
    window = featurizer.window_ids(words, targets) if targets else []
    return Row(
        featurizer.sentence_ids(words), window, dense_features(score, bool(targets), language)
    )


def target_label(model: SentimentModel, row: Row, language: str) -> str:
    return CLASSES[int(np.argmax(model.sentences(language).logits([row])[0]))]
