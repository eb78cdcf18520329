"""Website addresses: scheme added, host lower-cased, a bare trailing slash dropped."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_SCHEME = "https"


@lru_cache(maxsize=16384)
def normalise_website(raw: str) -> str:
    """``"WWW.Example.COM/Urunler"`` -> ``"https://www.example.com/Urunler"``.

    Text that is not a web address (no dot in the host, spaces, an email address) is kept as
    written, trimmed; nothing is dropped.
    """
    text = raw.strip()
    if not text or " " in text:
        return text
    candidate = text if "://" in text else f"{_DEFAULT_SCHEME}://{text.removeprefix('//')}"
    try:
        parts = urlsplit(candidate)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return text
    if "." not in host or "@" in parts.netloc or parts.scheme.lower() not in ("http", "https"):
        return text
    netloc = f"{host}:{port}" if port else host
    path = "" if parts.path == "/" else parts.path
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, parts.fragment))
