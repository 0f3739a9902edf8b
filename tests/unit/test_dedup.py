from pipeline.cleaning.fingerprint import sketch, text_hash
from pipeline.dedup import Deduplicator
from pipeline.demo.articles import load_articles

ARTICLES = {a.slug: "\n".join(a.paragraphs) for a in load_articles()}
SEED = ARTICLES["amazon-ki-investitionen"]


def dedup() -> Deduplicator:
    return Deduplicator({}, {}, {})


def decide(d: Deduplicator, url: str, text: str, event_id: str, title: str = "T"):
    return d.decide(url, text_hash(title, text), sketch(text), event_id)


def test_first_sight_is_revision_one() -> None:
    decision = decide(dedup(), "https://a.test/x", SEED, "art-1")
    assert (
        decision.emit,
        decision.revision,
        decision.previous_event_id,
        decision.duplicate_of,
    ) == (True, 1, None, None)


def test_same_url_same_text_is_not_emitted_again() -> None:
    d = dedup()
    decide(d, "https://a.test/x", SEED, "art-1")
    again = decide(d, "https://a.test/x", SEED.replace("  ", " ") + "  ", "art-1b")
    assert not again.emit and again.outcome == "duplicate"


def test_changed_text_at_the_same_url_is_revision_two() -> None:
    d = dedup()
    decide(d, "https://a.test/x", SEED, "art-1")
    updated = SEED + "\nUpdate: Amazon hat die Angaben inzwischen bestätigt."
    second = decide(d, "https://a.test/x", updated, "art-2")
    assert (second.emit, second.revision, second.previous_event_id) == (True, 2, "art-1")
    assert second.duplicate_of is None, "a revision is not a copy of itself"
    third = decide(d, "https://a.test/x", updated + " Weitere Details folgen.", "art-3")
    assert (third.revision, third.previous_event_id) == (3, "art-2")


def test_syndicated_copy_elsewhere_is_marked_duplicate_of_the_first() -> None:
    d = dedup()
    decide(d, "https://a.test/original", SEED, "art-1")
    copy = (
        "Von unserem Korrespondenten (dpa). "
        + SEED.replace("Milliarden", "Mrd.")
        + "\nMehr zum Thema lesen Sie in unserem Dossier."
    )
    marked = decide(d, "https://b.test/wire/amazon", copy, "art-2")
    assert marked.emit and marked.duplicate_of == "art-1" and marked.outcome == "near_duplicate"
    third = decide(d, "https://c.test/amazon-copy", copy + " Ende.", "art-3")
    assert third.duplicate_of == "art-1", "always the first event"


def test_different_articles_are_not_near_duplicates() -> None:
    d = dedup()
    for index, (slug, text) in enumerate(ARTICLES.items()):
        decision = decide(d, f"https://a.test/{slug}", text, f"art-{index}")
        assert decision.duplicate_of is None, slug
