from pathlib import Path

import pytest

from connectors.catalog import load_catalog, parse_catalog
from pipeline.core.errors import ConfigError


def test_default_catalogue_is_valid_and_covers_german_and_english() -> None:
    specs = load_catalog()
    assert len(specs) >= 10
    assert {s.language for s in specs} == {"de", "en"}
    assert all(s.url.startswith("https://") for s in specs)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"sources": [{"id": "Bad Id", "kind": "rss", "url": "https://x.test/f"}]},
            "sources\\[0\\]",
        ),
        ({"sources": [{"id": "a", "kind": "ftp", "url": "https://x.test/f"}]}, "\\(a\\): kind"),
        ({"sources": [{"id": "a", "kind": "rss", "url": "file:///etc/passwd"}]}, "\\(a\\): url"),
        (
            {"sources": [{"id": "a", "kind": "rss", "url": "https://x.test/f", "x": 1}]},
            "unknown keys",
        ),
        (
            {
                "sources": [
                    {"id": "a", "kind": "rss", "url": "https://x.test/1"},
                    {"id": "a", "kind": "rss", "url": "https://x.test/2"},
                ]
            },
            "sources\\[1\\] repeats",
        ),
        ({"feeds": []}, "list under 'sources'"),
    ],
)
def test_invalid_entries_are_named(document: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_catalog(document)


def test_unreadable_yaml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("sources: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_catalog(path)
