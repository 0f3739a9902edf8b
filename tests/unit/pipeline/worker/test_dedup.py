from pipeline.cleaning.fingerprint import sketch, text_hash
from pipeline.core.settings import Settings
from pipeline.tools.demo.articles import load_articles
from pipeline.worker.dedup import Deduplicator, pack_sketch, unpack_sketch

CAPACITY = Settings().worker.dedup_capacity
ARTICLES = {a.slug: "\n".join(a.paragraphs) for a in load_articles()}
SEED = ARTICLES["amazon-ki-investitionen"]


def dedup(capacity: int = 1000) -> Deduplicator:
    return Deduplicator({}, capacity)


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


def test_a_replayed_older_version_is_not_a_new_revision() -> None:
    d = dedup()
    decide(d, "https://a.test/x", SEED, "art-1")
    decide(d, "https://a.test/x", SEED + " Nachtrag.", "art-2")
    replay = decide(d, "https://a.test/x", SEED, "art-1")
    assert (replay.emit, replay.revision, replay.previous_event_id) == (False, 2, "art-2")


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


def test_near_duplicate_names_the_original_and_copies_are_not_indexed() -> None:
    d = dedup()
    decide(d, "https://a.test/original", SEED, "art-1")
    decide(d, "https://b.test/copy", SEED + " Ende.", "art-2")
    assert d.seen["https://b.test/copy"][3] == "", "a copy is no candidate itself"
    assert d.seen["https://a.test/original"][3], "the original keeps its sketch"


def test_entries_written_by_another_worker_are_found_once_observed() -> None:
    shared: dict = {}
    decide(Deduplicator(shared, CAPACITY), "https://a.test/original", SEED, "art-1")
    copy = "Von unserem Korrespondenten. " + SEED
    unaware = Deduplicator(dict(shared), CAPACITY)
    assert decide(unaware, "https://b.test/copy", copy, "art-2").duplicate_of is None
    reader = Deduplicator(shared, CAPACITY)
    reader.observe("https://a.test/original", shared["https://a.test/original"])
    assert decide(reader, "https://c.test/copy", copy, "art-3").duplicate_of == "art-1"


def test_observe_ignores_tombstones_and_foreign_values() -> None:
    d = dedup()
    for value in (None, {"hash": "x"}, [1, 2], "text", ["h", "art-1", 1, ""]):
        d.observe("https://a.test/x", value)
    assert d.indexed_keys == 0


def test_memory_is_bounded_by_the_capacity_oldest_first() -> None:
    d = dedup(capacity=3)
    texts = list(ARTICLES.items())[:5]
    for index, (slug, text) in enumerate(texts):
        decide(d, f"https://a.test/{slug}", text, f"art-{index}")
    assert list(d.seen) == [f"https://a.test/{slug}" for slug, _ in texts[2:]]
    assert d.indexed_keys <= 3 * 4, "forgotten URLs leave the near-duplicate index too"
    first_slug, first_text = texts[0]
    again = decide(d, f"https://a.test/{first_slug}", first_text, "art-again")
    assert again.emit and again.revision == 1, "beyond the capacity a page counts as new"


def test_trim_after_a_recovery_that_read_more_than_the_capacity() -> None:
    d = dedup(capacity=2)
    for index, (slug, text) in enumerate(list(ARTICLES.items())[:4]):
        entry = [["h"], f"art-{index}", 1, pack_sketch(sketch(text))]
        d.seen[f"https://a.test/{slug}"] = entry
        d.observe(f"https://a.test/{slug}", entry)
    d.trim()
    assert len(d.seen) == 2 and d.indexed_keys <= 2 * 4


def test_packed_sketch_round_trip() -> None:
    values = sketch(SEED)
    assert unpack_sketch(pack_sketch(values)) == values


def test_forget_locally_matches_fausts_memory_store() -> None:
    """Guard: `forget_locally` reaches into faust-streaming's memory store; fails if it changes."""
    from faust.stores.memory import Store

    from pipeline.worker.dedup_table import forget_locally

    store = Store("memory://", app=None, table=None, table_name="dedup")  # type: ignore[arg-type]
    store.data["https://a.test/x"] = ["h", "art-1", 1, ""]
    store._key_partition["https://a.test/x"] = 0

    class Table:
        data = store

    forget_locally(Table(), "https://a.test/x")
    assert "https://a.test/x" not in store.data and not store._key_partition


def test_new_tagger_versions_re_tag_the_latest_text_with_supersedes() -> None:
    d = dedup()
    url = "https://a.test/x"
    d.decide(url, text_hash("T", SEED), sketch(SEED), "art-1", "v1")
    again = d.decide(url, text_hash("T", SEED), sketch(SEED), "art-1", "v1")
    assert not again.emit, "same text, same versions: a duplicate"
    retag = d.decide(url, text_hash("T", SEED), sketch(SEED), "art-1b", "v2")
    assert (retag.emit, retag.revision, retag.supersedes, retag.outcome) == (
        True,
        1,
        "art-1",
        "retag",
    )
    assert not d.decide(url, text_hash("T", SEED), sketch(SEED), "art-1b", "v2").emit
    later = SEED + " Nachtrag."
    second = d.decide(url, text_hash("T", later), sketch(later), "art-2", "v2")
    assert (second.revision, second.previous_event_id, second.supersedes) == (2, "art-1b", None)


def test_an_older_text_is_not_re_tagged() -> None:
    d = dedup()
    url = "https://a.test/x"
    later = SEED + " Nachtrag."
    d.decide(url, text_hash("T", SEED), sketch(SEED), "art-1", "v1")
    d.decide(url, text_hash("T", later), sketch(later), "art-2", "v1")
    old = d.decide(url, text_hash("T", SEED), sketch(SEED), "art-1b", "v2")
    assert not old.emit and old.previous_event_id == "art-2"


def test_a_re_tagged_copy_still_names_its_original() -> None:
    d = dedup()
    copy = SEED + " Ende."
    d.decide("https://a.test/original", text_hash("T", SEED), sketch(SEED), "art-1", "v1")
    d.decide("https://b.test/copy", text_hash("T", copy), sketch(copy), "art-2", "v1")
    retag = d.decide("https://b.test/copy", text_hash("T", copy), sketch(copy), "art-2b", "v2")
    assert (retag.supersedes, retag.duplicate_of) == ("art-2", "art-1")


def test_entries_from_before_tagger_versions_still_decide() -> None:
    d = Deduplicator({"https://a.test/x": [[text_hash("T", SEED)[:16]], "art-1", 3, ""]}, 100)
    assert not d.decide("https://a.test/x", text_hash("T", SEED), sketch(SEED), "art-1").emit
    retag = d.decide("https://a.test/x", text_hash("T", SEED), sketch(SEED), "art-1b", "v2")
    assert (retag.emit, retag.revision, retag.supersedes) == (True, 3, "art-1")
