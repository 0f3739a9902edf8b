"""A sum of money or a share's move right beside a name, which confirms an ambiguous company
name: a shop's price ("Lakeland, £129.99", "£129.99 at Lakeland") or a market report's change in
brackets ("Transocean (-1,8 %)", "Ford (+2.1%)"). A price across a verb ("Apple pie costs $5")
confirms nothing, nor does an unsigned share ("Ford (30 %)").
"""

from __future__ import annotations

import re

_PRICE = r"(?:[$€£¥]\s?\d[\d.,]*|\d[\d.,]*\s?[$€£¥])"
_MONEY_AFTER = re.compile(rf"\)?\s?[,:–—-]?\s?\(?{_PRICE}")
_MONEY_BEFORE = re.compile(rf"{_PRICE}\)?,?\s(?:(?:at|from|bei|von|im)\s)?\(?$")
MONEY_NEAR = 40  # characters before the name that are searched for its price
_CHANGE_AFTER = re.compile(
    r"\s?\(\s?[+\-−–±]\s?\d+(?:[.,]\d+)?\s?(?:%|Prozent|percent|per cent)", re.IGNORECASE
)


def money_beside(text: str, start: int, end: int) -> bool:
    """A price or a share's signed change stands right beside the name at text[start:end]."""
    return bool(
        _MONEY_AFTER.match(text, end)
        or _CHANGE_AFTER.match(text, end)
        or _MONEY_BEFORE.search(text[max(0, start - MONEY_NEAR) : start])
    )
