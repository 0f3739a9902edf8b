import pytest

from pipeline.cleaning.extract import MIN_BODY_CHARS, FeedMetadata, clean_page
from pipeline.cleaning.language import detect_language
from pipeline.core.errors import ExtractionError

BODY = (
    "Die Deutsche Telekom hat im dritten Quartal mehr verdient als erwartet. "
    "Der Umsatz stieg um vier Prozent, vor allem dank der US-Tochter T-Mobile. "
) * 3
PAGE = f"""<html lang="de"><head><title>Telekom wächst – Beispielzeitung</title>
<meta name="author" content="Seiten Autor">
<meta property="article:published_time" content="2026-11-12T08:00:00+01:00"></head>
<body><nav><a href="/">Startseite</a> <a href="/wirtschaft">Wirtschaft</a></nav>
<article><h1>Telekom wächst</h1><p>{BODY}</p>
<p>Vorstandschef Tim Höttges zeigte sich zufrieden.</p></article>
<footer>Impressum · Datenschutz · Kontakt</footer></body></html>"""


def test_page_metadata_is_used_when_the_feed_says_nothing() -> None:
    article = clean_page(PAGE, "https://news.test/telekom")
    assert article.title == "Telekom wächst"
    assert article.published == "2026-11-12T07:00:00Z"
    assert article.authors == ["Seiten Autor"]
    assert article.language == "de" and article.language_confidence > 0.5
    assert not article.partial
    assert article.text.startswith("Die Deutsche Telekom")
    assert "Impressum" not in article.text and "Startseite" not in article.text


def test_feed_metadata_wins_over_the_page() -> None:
    feed = FeedMetadata(
        title="Feed-Titel", published="2026-11-12T06:30:00Z", authors=("Feed Autorin",)
    )
    article = clean_page(PAGE, "https://news.test/telekom", feed=feed)
    assert (article.title, article.published, article.authors) == (
        "Feed-Titel",
        "2026-11-12T06:30:00Z",
        ["Feed Autorin"],
    )


def test_page_without_body_falls_back_to_the_summary_and_is_partial() -> None:
    stub = "<html><body><div class='paywall'>Nur für Abonnenten.</div></body></html>"
    summary = (
        "<p>Die Telekom meldet ein starkes Quartal und hebt die Prognose für das Gesamtjahr an.</p>"
    )
    article = clean_page(stub, "https://news.test/x", feed=FeedMetadata(title="T", summary=summary))
    assert article.partial
    assert article.text.startswith("Die Telekom meldet")
    assert len(article.text) < MIN_BODY_CHARS


def test_page_without_body_or_summary_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="no usable body"):
        clean_page("<html><body><nav>Menü</nav></body></html>", "https://news.test/x")


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json"])
def test_non_html_is_refused(content_type: str) -> None:
    with pytest.raises(ExtractionError, match="not HTML"):
        clean_page("%PDF-1.4", "https://news.test/x.pdf", content_type=content_type)


def test_empty_page_is_refused() -> None:
    with pytest.raises(ExtractionError, match="empty"):
        clean_page("   ", "https://news.test/x")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Der Konzern hat seine Prognose für das Jahr gesenkt, wie das Unternehmen mitteilte.",
            "de",
        ),
        ("The company said on Monday that it would cut its forecast for the year.", "en"),
        ("La société a annoncé que les résultats sont en hausse pour le trimestre.", "fr"),
        ("12345 67890", "und"),
        # a headline and a sentence with one function word each: the umlaut decides
        ("Amazon-Aktie fällt\nAmazon investiert Milliarden in KI-Rechenzentren für AWS.", "de"),
    ],
)
def test_language_detection(text: str, code: str) -> None:
    assert detect_language(text).code == code
