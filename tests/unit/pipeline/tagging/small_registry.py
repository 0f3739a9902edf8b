"""What the company matcher's rule tests share: a registry entry written in one line, and the
ids the matcher finds in a text."""

from __future__ import annotations

from pipeline.tagging.company import CompanyMatcher
from pipeline.tagging.registry import Company
from pipeline.tagging.text import split_sentences


def company(
    cid: str, *aliases: str, brands: tuple[str, ...] = (), ambiguous: tuple[str, ...] = ()
) -> Company:
    """A registry entry with id and name `cid`: these aliases and brands, and the names among
    them that need a business word nearby (`ambiguous`)."""
    return Company(cid, cid, None, None, aliases, brands, frozenset(ambiguous))


def found(matcher: CompanyMatcher, text: str) -> list[str]:
    """The ids of the companies the matcher finds in `text`, sorted, each once."""
    return sorted({m.company_id for m in matcher.find(text, split_sentences(text))})
