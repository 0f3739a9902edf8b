"""Render sample articles as news pages with real-world clutter, and as RSS and Atom feeds."""

from __future__ import annotations

import json
from email.utils import format_datetime
from html import escape
from pathlib import Path
from string import Template

from pipeline.core.clock import iso_utc
from pipeline.tools.demo.articles import SampleArticle

TEMPLATE = Template(
    (Path(__file__).resolve().parent / "templates" / "page.html").read_text(encoding="utf-8")
)
SITE_NAME = "Rheinblick Nachrichten"
BROKEN_PATH = "/de/downloads/marktbericht-november.pdf"

LABELS = {
    "de": {
        "consent_text": "Wir und unsere Partner nutzen Cookies, um Inhalte und Werbung zu "
        "personalisieren. Sie können Ihre Auswahl jederzeit ändern.",
        "consent_accept": "Alle akzeptieren",
        "consent_settings": "Einstellungen",
        "nav_home": "Startseite",
        "nav_business": "Wirtschaft",
        "nav_tech": "Digitales",
        "nav_markets": "Märkte",
        "nav_subscribe": "Abo abschließen",
        "nav_search": "Suche",
        "by": "Von",
        "share_label": "Teilen",
        "related_label": "Mehr zum Thema",
        "newsletter_title": "Der Morgen-Newsletter",
        "newsletter_text": "Die wichtigsten Wirtschaftsnachrichten jeden Morgen kostenlos.",
        "newsletter_button": "Anmelden",
        "ad_label": "Anzeige",
        "footer_imprint": "Impressum",
        "footer_privacy": "Datenschutz",
        "footer_contact": "Kontakt",
        "footer_terms": "AGB",
        "footer_rights": "Alle Rechte vorbehalten.",
    },
    "en": {
        "consent_text": "We and our partners use cookies to personalise content and ads. "
        "You can change your choices at any time.",
        "consent_accept": "Accept all",
        "consent_settings": "Manage settings",
        "nav_home": "Home",
        "nav_business": "Business",
        "nav_tech": "Technology",
        "nav_markets": "Markets",
        "nav_subscribe": "Subscribe",
        "nav_search": "Search",
        "by": "By",
        "share_label": "Share",
        "related_label": "Related stories",
        "newsletter_title": "The Morning Briefing",
        "newsletter_text": "The business news you need, every weekday morning, free.",
        "newsletter_button": "Sign up",
        "ad_label": "Advertisement",
        "footer_imprint": "Legal notice",
        "footer_privacy": "Privacy",
        "footer_contact": "Contact",
        "footer_terms": "Terms",
        "footer_rights": "All rights reserved.",
    },
}


def feed_path(lang: str) -> str:
    return "/de/rss.xml" if lang == "de" else "/en/atom.xml"


def render_page(article: SampleArticle, related: list[SampleArticle], base_url: str) -> str:
    labels = {k: escape(v) for k, v in LABELS[article.lang].items()}
    headline = article.title.split(": ", 1)[-1]
    json_ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": article.published.isoformat(),
            "inLanguage": article.lang,
            "author": {"@type": "Person", "name": article.author},
        },
        ensure_ascii=False,
    )
    teasers = "\n".join(
        f'    <div class="teaser"><a href="{escape(other.path)}"><h3>{escape(other.title)}'
        f"</h3></a><p>{escape(other.teaser)}</p></div>"
        for other in related
    )
    return TEMPLATE.substitute(
        labels,
        lang=article.lang,
        site_name=SITE_NAME,
        title=escape(article.title),
        headline=escape(headline),
        kicker=escape(article.kicker),
        teaser=escape(article.teaser),
        author=escape(article.author),
        section=escape(article.section),
        published=article.published.isoformat(),
        published_display=article.published.strftime("%d.%m.%Y %H:%M"),
        url=escape(base_url + article.path),
        feed_url=escape(base_url + feed_path(article.lang)),
        feed_type="application/rss+xml" if article.lang == "de" else "application/atom+xml",
        json_ld=json_ld.replace("</", "<\\/"),
        paragraphs="\n".join(f"    <p>{escape(p)}</p>" for p in article.paragraphs),
        teasers=teasers,
    )


def render_rss(articles: list[SampleArticle], base_url: str, include_broken: bool) -> str:
    items = [
        f"""  <item>
    <title>{escape(a.title)}</title>
    <link>{escape(base_url + a.path)}</link>
    <guid isPermaLink="false">rheinblick-{a.slug}</guid>
    <pubDate>{format_datetime(a.published)}</pubDate>
    <dc:creator>{escape(a.author)}</dc:creator>
    <description>{escape(a.teaser)}</description>
  </item>"""
        for a in articles
    ]
    if include_broken:
        items.append(f"""  <item>
    <title>Marktbericht November (PDF)</title>
    <link>{escape(base_url + BROKEN_PATH)}</link>
    <guid isPermaLink="false">rheinblick-marktbericht-november</guid>
  </item>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>{SITE_NAME} – Wirtschaft</title>
  <link>{escape(base_url)}/de/</link>
  <description>Wirtschaftsnachrichten</description>
  <language>de</language>
  <ttl>15</ttl>
{chr(10).join(items)}
</channel>
</rss>
"""


def render_atom(articles: list[SampleArticle], base_url: str) -> str:
    updated = iso_utc(max(a.published for a in articles)) if articles else "2026-01-01T00:00:00Z"
    entries = [
        f"""  <entry>
    <title>{escape(a.title)}</title>
    <link rel="alternate" href="{escape(base_url + a.path)}"/>
    <id>tag:rheinblick.example,2026:{a.slug}</id>
    <published>{iso_utc(a.published)}</published>
    <updated>{iso_utc(a.published)}</updated>
    <author><name>{escape(a.author)}</name></author>
    <summary>{escape(a.teaser)}</summary>
  </entry>"""
        for a in articles
    ]
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>{SITE_NAME} – Business and Technology</title>
  <id>tag:rheinblick.example,2026:en</id>
  <updated>{updated}</updated>
  <link rel="self" href="{escape(base_url)}/en/atom.xml"/>
{chr(10).join(entries)}
</feed>
"""
