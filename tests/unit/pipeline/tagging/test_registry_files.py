"""Several generated registry files merge in order: an earlier file wins over a later one as
curated entries win over generated ones."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from pipeline.tagging.registry import merge


def write(path: Path, companies: list[dict[str, Any]]) -> Path:
    path.write_bytes(gzip.compress(json.dumps({"companies": companies}).encode()))
    return path


def test_a_later_file_never_takes_an_id_or_a_name_of_an_earlier_one(tmp_path: Path) -> None:
    listed = write(
        tmp_path / "listed.json.gz",
        [
            {
                "id": "acme",
                "name": "Acme Corp",
                "aliases": ["Acme"],
                "ticker": "AC",
                "exchange": "XNYS",
            }
        ],
    )
    notable = write(
        tmp_path / "notable.json.gz",
        [
            {"id": "acme", "name": "Acme Stores", "aliases": ["Acme Stores"]},  # id taken
            {"id": "acme-air", "name": "Acme Air", "aliases": ["Acme", "Acme Air"]},
            {"id": "globex", "name": "Globex", "aliases": ["ACME"], "wikidata": "Q1"},  # all taken
        ],
    )
    merged = {c.id: c for c in merge([], (listed, notable))}
    assert sorted(merged) == ["acme", "acme-air"]
    assert merged["acme"].ticker == "AC" and merged["acme-air"].aliases == ("Acme Air",)
    assert merged["acme-air"].generated and merged["acme-air"].exchange is None
