"""NOTICE carries the attribution that the notable companies' sources ask for: OpenFlights'
ODbL notice and the name-suggestion-index's BSD-3-Clause copyright, conditions and disclaimer
(a binary redistribution must reproduce them in its documentation)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def notice() -> str:
    return " ".join((REPO / "NOTICE").read_text("utf-8").split())


def test_notice_names_openflights_and_its_open_database_licence() -> None:
    text = notice()
    assert "companies_notable.json.gz" in text
    assert "OpenFlights" in text and "Open Database License (ODbL) 1.0" in text


def test_notice_reproduces_the_name_suggestion_index_bsd_notice() -> None:
    text = notice()
    assert "Copyright 2026, name-suggestion-index contributors" in text
    assert "Redistributions in binary form must reproduce the above copyright notice" in text
    assert 'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"' in text
