"""GermEval 2014 reading and scoring on tiny files in its layout."""

from pathlib import Path

import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.company import CompanyMatcher, part_of_compound
from pipeline.tagging.registry import Company
from pipeline.tools.evaluation.germeval import read_sentences, score
from pipeline.tools.evaluation.public import germeval_sentences, matcher_spans

DEV = (
    "#\thttp://www.news.test/a\t[2009-10-23]\n1\tDer\tO\tO\n2\tVW-Vorstand\tB-ORGpart\tO\n"
    "3\tlobt\tO\tO\n4\tSiemens\tB-ORG\tO\n5\tAG\tI-ORG\tO\n\n"
    "#\thttp://de.wikipedia.org/wiki/X\t[2009-10-23]\n1\tBASF\tB-ORG\tO\n\n"
)


def data(tmp_path: Path) -> Path:
    (tmp_path / "germeval2014-ner").mkdir()
    (tmp_path / "germeval2014-ner" / "NER-de-dev.tsv").write_text(DEV, "utf-8")
    (tmp_path / "germeval2014-ner" / "NER-de-test.tsv").write_text(
        "#\thttp://www.news.test/b\t[2009-10-23]\n1\tBASF\tB-ORG\tO\n\n", "utf-8"
    )
    return tmp_path


def test_each_split_is_read_from_its_own_file_test_by_default(tmp_path: Path) -> None:
    root = data(tmp_path)
    assert list(germeval_sentences(root)) == [("BASF", [(0, 4)])]
    assert list(germeval_sentences(root, "dev")) == [
        ("Der VW-Vorstand lobt Siemens AG", [(21, 31)])
    ]


def test_orgpart_spans_are_kept_apart_from_org(tmp_path: Path) -> None:
    (sentence,) = read_sentences(data(tmp_path), "dev")
    assert sentence.org == [(21, 31)]
    assert sentence.org_parts == [(4, 15)]


def test_an_unknown_split_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no split 'train'"):
        list(read_sentences(data(tmp_path), "train"))


def test_score_counts_whole_words_against_org_and_parts_against_orgpart(tmp_path: Path) -> None:
    sentences = list(read_sentences(data(tmp_path), "dev"))
    tally = score(sentences, lambda text: [(4, 6, True), (21, 28, False)], {"siemens ag"})
    assert (tally.whole_right, tally.whole_predicted) == (1, 1)
    assert (tally.part_right, tally.part_predicted) == (1, 1)
    assert (tally.right, tally.predicted, tally.hit, tally.known) == (1, 2, 1, 1)
    assert tally.precision == 1.0 and tally.strict_precision == 0.5
    assert tally.part_precision == 1.0 and tally.recall == 1.0
    assert not tally.false_hits and not tally.false_parts


def test_a_whole_word_on_an_orgpart_span_is_a_false_hit(tmp_path: Path) -> None:
    sentences = list(read_sentences(data(tmp_path), "dev"))
    tally = score(sentences, lambda text: [(4, 6, False), (16, 20, True)], set())
    assert tally.precision == 0.0 and tally.part_precision == 0.0
    assert tally.false_hits == {"VW": 1} and tally.false_parts == {"lobt": 1}


def test_the_matcher_marks_the_mentions_that_are_part_of_a_compound() -> None:
    matcher = CompanyMatcher([Company("vw", "VW", None, None, ("VW",), (), frozenset())])
    find = matcher_spans(matcher)
    text = "Der VW-Vorstand lobt VW und Audi-VW-Werke, VW- und Audi-Händler, VWs Gewinn"
    assert find(text) == [
        (4, 6, True),
        (21, 23, False),
        (33, 35, True),
        (43, 45, False),
        (65, 67, False),
    ]
    assert part_of_compound(text, 4, 6) and not part_of_compound(text, 21, 23)
