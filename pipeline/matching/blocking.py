"""Blocking keys: the few cheap keys two records must share before they are compared at all.

Records are compared only within a block (records sharing a key), never all pairs. The keys:

- ``e:`` the canonical email (``email_key``, plus-tags already removed upstream);
- ``p:`` the E.164 phone;
- ``c:`` the company key and the first-name initial;
- ``n:`` the first four letters of the transliterated surname and the first-name initial;
- ``s:`` the two names sorted, so "Yılmaz Ahmet" meets "Ahmet Yılmaz";
- ``d:`` a corporate email domain and the surname (never a free-mail domain).

Initials are taken from the formal names a nickname stands for, so Bob meets Robert. A block
that grows past the size cap is split by ``refine_key`` (canonical first name and surname
prefix); a part still over the cap is skipped and counted, so one common key cannot blow up.
"""

from __future__ import annotations

from pipeline.matching.addresses import is_free_domain, split_email
from pipeline.matching.nicknames import canonical_first, formal_names
from pipeline.matching.person import Person, fold


def name_keys(first: str, last: str) -> list[str]:
    """The ``n:``/``s:`` keys for folded names (see the module docstring)."""
    surname = last.replace(" ", "")
    out: list[str] = []
    if surname:
        initials = {n[:1] for n in formal_names(first)} if first else {""}
        out.extend(f"n:{surname[:4]}|{i}" for i in sorted(initials))
    if first and surname:
        given = first.split(" ", 1)[0]
        a, b = sorted((given, surname))
        out.append(f"s:{a}|{b}")
    return out


def keys_from_folded(first: str, last: str, email_key: str, phone: str, company: str) -> list[str]:
    """All blocking keys from already folded names and normalised contact values."""
    keys = name_keys(first, last)
    if email_key:
        keys.append(f"e:{email_key}")
    if phone:
        keys.append(f"p:{phone}")
    if company:
        initials = {n[:1] for n in formal_names(first)} if first else {""}
        keys.extend(f"c:{company}|{i}" for i in sorted(initials))
    domain = split_email(email_key)[1]
    surname = last.replace(" ", "")
    if domain and surname and not is_free_domain(domain):
        keys.append(f"d:{domain}|{surname}")
    return keys


def blocking_keys(p: Person) -> list[str]:
    """The blocking keys of one record; a stored index keeps exactly these strings.

    ``blocking_keys(Person("1", "Şükrü", "Çağlar"))`` gives
    ``["n:cagl|s", "s:caglar|sukru"]``.
    """
    return keys_from_folded(
        fold(p.first_name), fold(p.last_name), p.email_key, p.phone, p.company_key
    )


def refine_key(p: Person) -> str:
    """The key that splits an oversize block: canonical first name and surname prefix."""
    return refine_from_folded(fold(p.first_name), fold(p.last_name))


def refine_from_folded(first: str, last: str) -> str:
    """``refine_key`` from already folded names."""
    return f"{canonical_first(first)}|{last.replace(' ', '')[:4]}"
