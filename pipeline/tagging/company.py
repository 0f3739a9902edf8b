"""Find companies in text with one Aho-Corasick pass over all aliases and brands.

Rules: a match must stand on word boundaries, but German genitive (`Amazons`) and hyphen
compounds (`Amazon-Aktie`, `SAP-Chef`) count; the longest match wins (`Siemens Energy` is not
`Siemens`, `Big Apple` is no company at all); all-caps aliases match only in capitals; an
ambiguous alias (Apple, Meta, Visa...) counts only when the article confirms the company: by an
unambiguous alias, by a business word in the same sentence, a sum of money right beside the
name (`Lakeland, £129.99`) or a business word ending its compound (`Konzern`, `shares`,
`-Aktie`; a compound with another head, such as `Post-Vac-Syndrom`, is confirmed by nothing
else), or by another company named plainly in a list of registry names (shops, carmakers,
clients). A weak mention counts only when another mention confirms the company: a brand with
its model (`Xbox 360`, `Audi A3`: a product; a company's own name with a model, `Boeing 737`,
stays a mention of the maker, unless a possessive stands before it: `sein Mercedes 208`; see
company_products), an ambiguous name that begins another company's name (`Ceres
Robotics`) or stands as a plural before a verb (`72 Millionen Posts veröffentlicht`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import ahocorasick

from pipeline.tagging.company_cues import has_cue, is_cue, sentence_of
from pipeline.tagging.company_money import money_beside
from pipeline.tagging.company_products import owned_product, with_model
from pipeline.tagging.recogniser import OrgRecogniser
from pipeline.tagging.registry import Company
from pipeline.tagging.text import Sentence, fold_case, words
from pipeline.tagging.traps import Traps, default_traps, defined_otherwise

# Between two names of a list: "Temu, Aliexpress und Wish", "Ford, Macy's, Fox", also past a
# short note in brackets or the end of one: "General Motors (GM) und Ford", "(GM) und Ford".
_LIST_GAP = re.compile(
    r"\s*(?:\([^().;]{1,24}\)|\))?"
    r"\s*(?:,|;|/|&|\band\b|\bund\b|\bor\b|\boder\b|\bsowie\b|,\s*(?:and|und|or|oder))\s*"
)
# A list's gap at the end of the text before its first name: "Calais, " in "Calais, Tesco".
_GAP_BEFORE = re.compile(rf"(?:{_LIST_GAP.pattern})$")
# The word before that gap.
_LAST_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*['’.]?\s*$")
# Outlets named by their web address: "sagt Judy Lybke ntv.de".
_WEB_ADDRESS = re.compile(r"\.(?:de|com|at|ch|co\.uk|net|org)\b", re.IGNORECASE)
# An agency's mark in a dateline: "Berlin (dpa) -", "Rheinmünster ( BT ) -".
_DATELINE = re.compile(r" ?\) [-–—] ")


@dataclass(frozen=True)
class Mention:
    company_id: str
    alias: str
    start: int
    end: int
    ambiguous: bool
    compound_head: str
    weak: bool = False  # counts only when another mention confirms the company
    # Only part of a hyphen compound (VW-Vorstand, Mibrag-Betriebsrat): still a mention of the
    # company, which GermEval 2014 tags ORGpart, not ORG (its scorer counts such apart).
    in_compound: bool = False


RECOGNISED = 0.9  # the recogniser's probability from which it confirms an ambiguous name
OTHER_SENSE = ""  # the company id of a name that is no company (traps.yaml other_names)


def _folded(text: str) -> str:
    """Lower case with one apostrophe (Macy’s is Macy's), length kept."""
    folded = fold_case(text)  # str.replace, not translate: ten times faster on a page
    return folded.replace("’", "'").replace("‘", "'") if "’" in folded or "‘" in folded else folded


def _spellings(alias: str) -> set[str]:
    """The folded alias, and without the space after an initial: B. Braun as B.Braun."""
    folded = _folded(alias)
    if ". " not in folded:
        return {folded}
    return {folded, re.sub(r"(?<=\b\w)\. (?=\w)", ".", folded)}


class CompanyMatcher:
    """Holds the automaton built once from a registry; `find` is safe to call from any thread."""

    def __init__(
        self,
        companies: Iterable[Company],
        traps: Traps | None = None,
        recogniser: OrgRecogniser | None = None,
    ) -> None:
        """`traps` (default: traps.yaml) tell names used in another sense, `NO_TRAPS` none;
        `recogniser` (default: none) confirms an ambiguous name of a generated company that it
        tags as an organisation where no business word does. On the real-news dev set it did
        not pay (precision fell more than recall rose), so the default tagger goes without it;
        scripts/company_eval.py --recogniser measures it."""
        self.companies = {c.id: c for c in companies}
        self.traps = default_traps() if traps is None else traps
        self._generated = frozenset(c.id for c in self.companies.values() if c.generated)
        self._brands = frozenset(b for c in self.companies.values() for b in c.brands)
        self.recogniser = recogniser
        self._automaton = ahocorasick.Automaton()
        patterns: dict[str, list[tuple[str, str, bool]]] = {}
        for company in self.companies.values():
            for alias in (*company.aliases, *company.brands):
                ambiguous = alias in company.ambiguous or self.traps.needs_context(
                    alias, alias in company.brands
                )
                for key in _spellings(alias):
                    patterns.setdefault(key, []).append((company.id, alias, ambiguous))
        for name in self.traps.other_names:  # Big Apple: matched, as the longest, then dropped
            patterns.setdefault(_folded(name), []).insert(0, (OTHER_SENSE, name, True))
        for key, payload in patterns.items():
            self._automaton.add_word(key, (len(key), tuple(payload)))
        self._automaton.make_automaton()

    def find(self, text: str, sentences: Sequence[Sentence]) -> list[Mention]:
        """Confirmed company mentions in text order."""
        candidates = self._candidates(text)
        traps = self.traps
        chosen = [
            self._weakened(replace(m, ambiguous=True), text)
            if traps.as_place(m.alias, text, m.start, m.end, m.compound_head)
            else self._weakened(m, text)
            for m in _longest_non_overlapping(candidates)
            if m.company_id != OTHER_SENSE
            and not traps.other_sense(text, m.start, m.end, m.compound_head)
            and not traps.venue_not_operator(m.alias, text, m.start, m.end, m.compound_head)
            and not traps.as_unit(m.alias, text, m.start)
            and not _in_dateline(text, m.start, m.end)
            and not (traps.needs_context(m.alias, True) and _WEB_ADDRESS.match(text, m.end))
        ]
        mentions = self._without_people_and_acronyms(chosen, text)
        return _confirmed(mentions, text, sentences, self.recogniser, self._generated)

    def _weakened(self, mention: Mention, text: str) -> Mention:
        """The mention made weak when it is a brand with its model (Xbox 360), or an
        ambiguous name that ends another word's
        compound (Karriere-Coach), begins another company's name (Ceres Robotics) or a place
        (the Tahoe area), or is a plural (Posts veröffentlicht). A product with its model
        (Boeing 737, Mazda 3) stays a mention of its maker."""
        end = mention.end
        plural = text[end : end + 1] == "s" and not mention.alias.endswith("s")
        tail = _ends_compound(text, mention.start)
        if (mention.alias in self._brands and with_model(text, end)) or (
            not mention.compound_head and owned_product(text, mention.start, end)
        ):
            return replace(mention, weak=True)  # a product: Xbox 360, sein Mercedes 208
        weak = mention.ambiguous and (
            tail  # the end of another word's compound: Karriere-Coach
            or self.traps.another_company(text, end)
            or (plural and _plural_before(text, end + 1))
        )
        return replace(mention, weak=True) if weak else mention

    def _without_people_and_acronyms(self, mentions: list[Mention], text: str) -> list[Mention]:
        """A name that the article uses once after a given name (Julia Klöckner) is a person's,
        and its other mentions count only with company context (John Hess of Hess Corp.); an
        acronym it defines as something else (Münchner Sicherheitskonferenz (MSC)) is that
        thing everywhere."""
        if not self.traps.person_words:
            return mentions
        people = {m.alias for m in mentions if self.traps.is_person(text, m.start)}
        short_capitals = {(m.alias, m.company_id) for m in mentions}  # each looked up once
        acronyms = {
            alias
            for alias, company_id in short_capitals
            if alias.isupper()
            and len(alias) <= 5
            and defined_otherwise(alias, self._names(company_id), text)
        }
        return [
            replace(m, ambiguous=True) if m.alias in people else m
            for m in mentions
            if m.alias not in acronyms
            and not (m.alias in people and self.traps.is_person(text, m.start))
        ]

    def _names(self, company_id: str) -> tuple[str, ...]:
        company = self.companies[company_id]
        return (company.name, *company.aliases, *company.brands)

    def _candidates(self, text: str) -> list[Mention]:
        folded = _folded(text)
        found: list[Mention] = []
        for end_index, (length, payload) in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            if not _left_boundary(text, start):
                continue
            head = _right_boundary(text, end)
            if head is None:
                continue
            for company_id, alias, ambiguous in payload:
                if company_id == OTHER_SENSE or _case_fits(alias, text[start:end]):
                    part = bool(head) or _ends_compound(text, start)
                    found.append(
                        Mention(company_id, alias, start, end, ambiguous, head, False, part)
                    )
                    break
        return found


def _in_dateline(text: str, start: int, end: int) -> bool:
    """The name is an agency's or paper's mark in a dateline: "Rheinmünster (BT) -"."""
    return text[max(0, start - 2) : start].rstrip().endswith("(") and bool(
        _DATELINE.match(text, end)
    )


# Endings of a German adjective after a genitive: Amazons neuer Chef, Apples größtes Werk.
_ADJECTIVE_ENDINGS = ("e", "er", "es", "em", "en")


def _plural_before(text: str, end: int) -> bool:
    """A name with an `s` at `end` reads as a plural when a lower-case word follows that is no
    adjective ("Posts veröffentlicht", "Apples and pears"); a genitive stands before a noun, an
    adjective or at the end of its clause (Amazons Umsatz, Amazons neuer Chef, Sprecherin
    Amazons.)."""
    if end + 1 >= len(text) or text[end] != " " or not text[end + 1].islower():
        return False
    following = words(text[end + 1 : end + 40])
    return bool(following) and not following[0].endswith(_ADJECTIVE_ENDINGS)


def part_of_compound(text: str, start: int, end: int) -> bool:
    """The name at text[start:end] is only part of a hyphen compound: VW-Vorstand, Audi-Chef
    (not a genitive, Amazons, nor a name before a dash of its own, "VW- und Audi-Werke")."""
    return bool(_right_boundary(text, end)) or _ends_compound(text, start)


def _ends_compound(text: str, start: int) -> bool:
    """Another word's compound ends in the name: Karriere-Coach."""
    return start > 1 and text[start - 1] == "-" and text[start - 2].isalnum()


def _left_boundary(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalnum()


def _right_boundary(text: str, end: int) -> str | None:
    """None if the match runs into a longer word; else the compound head after a hyphen."""
    if end >= len(text) or not text[end].isalnum():
        if end < len(text) and text[end] == "-":
            return _word_at(text, end + 1).lower()
        if end + 1 < len(text) and text[end] in "'’" and text[end + 1] == "s":
            return "" if end + 2 >= len(text) or not text[end + 2].isalnum() else None
        return ""
    if text[end] == "s" and (end + 1 >= len(text) or not text[end + 1].isalnum()):
        return ""
    return None


def _word_at(text: str, start: int) -> str:
    end = start
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


def _case_fits(alias: str, span: str) -> bool:
    if len(alias) > 1 and alias.isupper():
        return span == alias
    return span[:1] == alias[:1]


def _longest_non_overlapping(candidates: list[Mention]) -> list[Mention]:
    ordered = sorted(candidates, key=lambda m: (m.start, -(m.end - m.start)))
    chosen: list[Mention] = []
    last_end = -1
    for mention in ordered:
        if mention.start >= last_end:
            chosen.append(mention)
            last_end = mention.end
    return chosen


def _confirmed(
    mentions: list[Mention],
    text: str,
    sentences: Sequence[Sentence],
    recogniser: OrgRecogniser | None = None,
    generated: frozenset[str] = frozenset(),
) -> list[Mention]:
    """Mentions of companies the article confirms: by an unambiguous name, a business word in
    the sentence or compound, another company named plainly in the sentence, or, for the
    generated listed companies (the curated ambiguous names are designed traps: the Amazon
    river), the recogniser. A weak mention confirms nothing; it counts with its company."""
    confirmed = {m.company_id for m in mentions if not m.ambiguous and not m.weak}
    listed = _listed_with_others(mentions, text)
    for index, mention in enumerate(mentions):
        if mention.company_id in confirmed or mention.weak:
            continue
        if (
            index in listed
            or _has_business_context(mention, text, sentences)
            or (
                recogniser is not None
                and mention.company_id in generated
                and _recognised(mention, sentences, recogniser)
            )
        ):
            confirmed.add(mention.company_id)
    return [m for m in mentions if m.company_id in confirmed]


def _listed_with_others(mentions: list[Mention], text: str) -> set[int]:
    """Indexes of the mentions that stand in a list of names with a plainly named company:
    "Temu, Aliexpress und Amazon", "Ford, Macy's, Kellogg's, NBC, Fox". A compound
    (Amazon-Regenwald) or a weak mention does not join a list, and a list confirms only when
    its plainly named companies outnumber its capitalised words that are no registry name
    ("Tesco, Dover and Calais": places; "Nokia, Microsoft, Apple oder RIM": companies)."""
    groups: list[list[int]] = []
    for index, mention in enumerate(mentions):
        previous = mentions[index - 1] if index else None
        joined = (
            previous is not None
            and not previous.compound_head
            and _LIST_GAP.fullmatch(text, previous.end, mention.start)
        )
        if joined:
            groups[-1].append(index)
        else:
            groups.append([index])
    listed: set[int] = set()
    for group in groups:
        members = [mentions[i] for i in group]
        plain = sum(1 for m in members if not m.ambiguous and not m.weak)
        if len(group) > 1 and plain > _unknown_members(text, members[0].start, members[-1].end):
            listed.update(i for i in group if not mentions[i].compound_head)
    return listed


def _unknown_members(text: str, start: int, end: int) -> int:
    """How many capitalised words that are no registry name the list of names at
    text[start:end] goes on with: Calais in "Tesco, Dover and Calais", RIM in "Nokia,
    Microsoft, Apple oder RIM"."""
    count, position = 0, end
    while count < 5 and (gap := _LIST_GAP.match(text, position)):
        word = _word_at(text, gap.end())
        if not word[:1].isupper():
            break
        count, position = count + 1, gap.end() + len(word)
    position = start
    while count < 10 and (gap := _GAP_BEFORE.search(text, max(0, position - 60), position)):
        before = _LAST_WORD.search(text, max(0, gap.start() - 40), gap.start())
        if before is None or not before.group()[:1].isupper():
            break
        count, position = count + 1, before.start()
    return count


def _recognised(mention: Mention, sentences: Sequence[Sentence], recogniser: OrgRecogniser) -> bool:
    """The recogniser is sure (RECOGNISED) that the name is an organisation's, where it stands
    inside its sentence (a capital at the start of a sentence tells nothing)."""
    sentence = sentence_of(mention.start, sentences)
    if sentence is None or mention.start == sentence.start:
        return False
    start, end = mention.start - sentence.start, mention.end - sentence.start
    return recogniser.org_probability(sentence.text, start, end) >= RECOGNISED


def _has_business_context(mention: Mention, text: str, sentences: Sequence[Sentence]) -> bool:
    """A business word ends the compound; or, for a name standing alone, a business word is in
    its sentence or a sum of money stands right beside the name."""
    if mention.compound_head:
        return is_cue(mention.compound_head)
    sentence = sentence_of(mention.start, sentences)
    scope = sentence.text if sentence else text[max(0, mention.start - 80) : mention.end + 80]
    if money_beside(text, mention.start, mention.end):
        return True
    return has_cue(scope)
