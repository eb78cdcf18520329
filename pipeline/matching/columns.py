"""Records turned into columns once, so pair features are array operations, not Python loops.

Strings are folded (transliterated, lower case) and every comparable value gets an integer
code per column (``-1`` for empty), so "same value" is one vectorised ``==``. The count of each
full name among the records gives the term-frequency weight of a name agreement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pipeline.matching.addresses import is_free_domain, is_role_local, split_email
from pipeline.matching.nicknames import canonical_first
from pipeline.matching.person import Person, fold

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjArray = npt.NDArray[np.object_]


def _codes(values: Iterable[str]) -> IntArray:
    """An integer code per distinct non-empty value; ``-1`` for ``""``."""
    items = values if isinstance(values, list) else list(values)
    table = dict(zip(dict.fromkeys(items), range(len(items)), strict=False))
    table[""] = -1
    return np.fromiter(map(table.__getitem__, items), np.int64, len(items))


def _organisation(company_key: str, domain: str) -> str:
    """The company key without spaces, else a corporate domain's first label.

    ``"anadolu makine"`` and ``ayse@anadolumakine.com.tr`` both give ``"anadolumakine"``.
    """
    if company_key:
        return company_key.replace(" ", "")
    if domain and not is_free_domain(domain):
        return domain.split(".", 1)[0].replace("-", "")
    return ""


def _shared(value_code: IntArray, last_code: IntArray, people: int = 3) -> BoolArray:
    """Values (a switchboard number) written by ``people`` or more different surnames."""
    known = (value_code >= 0) & (last_code >= 0)
    width = np.int64(last_code.max(initial=0) + 1)
    distinct = np.unique(value_code[known] * width + last_code[known]) // width
    surnames = np.bincount(distinct, minlength=int(value_code.max(initial=0)) + 1)
    return (value_code >= 0) & (surnames[np.maximum(value_code, 0)] >= people)


def _strings(values: list[str]) -> ObjArray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@dataclass(frozen=True, slots=True)
class Columns:
    """Folded, coded columns of a list of records (row ``i`` is record ``i``)."""

    ids: list[str]
    first: ObjArray
    last: ObjArray
    local: ObjArray
    first_code: IntArray
    last_code: IntArray
    canon_code: IntArray
    first_word: IntArray
    last_word: IntArray
    email_code: IntArray
    domain_code: IntArray
    phone_code: IntArray
    company_code: IntArray
    org_code: IntArray
    phone_shared: BoolArray
    digits_code: IntArray
    initial_code: IntArray
    is_initial: BoolArray
    short_local: BoolArray
    city_code: IntArray
    role: BoolArray
    free: BoolArray
    name_count: IntArray

    @classmethod
    def of(cls, records: Sequence[Person]) -> Columns:
        """Fold and code ``records``."""
        first = [fold(p.first_name) for p in records]
        last = [fold(p.last_name) for p in records]
        parts = [split_email(p.email_key) for p in records]
        local = [lp for lp, _ in parts]
        domain = [d for _, d in parts]
        phone_code = _codes(p.phone for p in records)
        last_code = _codes(la.replace(" ", "") for la in last)
        # One vocabulary for both names, so a swap is two equalities across the columns.
        words = _codes([*first, *(la.replace(" ", "") for la in last)])
        full = _codes(f"{f}|{la}" if f and la else "" for f, la in zip(first, last, strict=True))
        counts = np.bincount(full[full >= 0], minlength=1)
        return cls(
            ids=[p.id for p in records],
            first=_strings(first),
            last=_strings(last),
            local=_strings(local),
            first_code=_codes(first),
            last_code=last_code,
            first_word=words[: len(first)],
            last_word=words[len(first) :],
            canon_code=_codes(canonical_first(f) for f in first),
            email_code=_codes(p.email_key for p in records),
            domain_code=_codes(domain),
            phone_code=phone_code,
            company_code=_codes(p.company_key for p in records),
            org_code=_codes(
                _organisation(p.company_key, d) for p, d in zip(records, domain, strict=True)
            ),
            phone_shared=_shared(phone_code, last_code),
            digits_code=_codes("".join(ch for ch in lp if ch.isdigit()) for lp in local),
            initial_code=_codes(f[:1] for f in first),
            is_initial=np.fromiter((len(f) == 1 for f in first), np.bool_, len(first)),
            short_local=np.fromiter((len(lp) < 6 for lp in local), np.bool_, len(local)),
            city_code=_codes(fold(p.city) for p in records),
            role=np.fromiter((is_role_local(lp) for lp in local), np.bool_, len(records)),
            free=np.fromiter((is_free_domain(d) for d in domain), np.bool_, len(records)),
            name_count=np.where(full >= 0, counts[np.maximum(full, 0)], 0),
        )
