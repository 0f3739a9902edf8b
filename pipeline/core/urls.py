"""Canonical URLs: the same article under different tracking links deduplicates to one key."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "ref_src",
        "ocid",
        "cmpid",
        "wt_mc",
        "wt.mc_id",
        "at_medium",
        "at_campaign",
        "at_custom1",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "at_", "itm_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" + ("" if port in (None, DEFAULT_PORTS.get(scheme)) else f":{port}")
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def clean_url(url: str) -> str:
    """The link as published on events: no credentials, no fragment, no tracking parameters;
    everything else as the source wrote it."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc.rsplit("@", 1)[-1]
    kept = [p for p in parts.query.split("&") if p and not _is_tracking(p.split("=", 1)[0])]
    return urlunsplit((parts.scheme, netloc, parts.path, "&".join(kept), ""))


def absolute_url(base: str, link: str) -> str:
    return urljoin(base, link.strip())


def same_site(url: str, other: str) -> bool:
    """Same registrable-looking host: equal, or one is a subdomain of the other (www.)."""
    a = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    b = (urlsplit(other).hostname or "").lower().removeprefix("www.")
    return bool(a) and (a == b or a.endswith("." + b) or b.endswith("." + a))


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)
