"""Lead scoring: facts about a lead in, a 0–100 score with a rating and its reasons out.

Pure functions (standard library only). Callers build ``LeadFacts`` from a lead and its records
(email/phone validity, matched product interests, quantities, bounces, repeated inquiries);
``score_lead`` applies ``ScoringRules`` (from the ``[scoring]`` config section, versioned) and
returns a ``Score`` whose contributions say, one sentence each, why every point was given or
taken. ``decide`` turns facts and score into the auto-qualification decision, and ``explain``
renders the lines that ``salesflow score LEAD --explain`` prints.

Signals, in the order they are listed: email (corporate, free-mail, invalid, competitor,
bounced), job-title seniority (EN + TR, longest phrase wins), company, phone, product interest,
quantity, budget, source, repeated inquiries, target country, spam words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from pipeline.scoring_rules import DEFAULT_RULES, Points, ScoringRules
from pipeline.scoring_text import fold, fold_letters

__all__ = [
    "DEFAULT_RULES",
    "Contribution",
    "Decision",
    "LeadFacts",
    "Points",
    "Rating",
    "Score",
    "ScoringRules",
    "decide",
    "explain",
    "rating_for",
    "score_lead",
    "score_many",
]

Rating = Literal["Hot", "Warm", "Cold"]


@dataclass(frozen=True, slots=True)
class LeadFacts:
    """What scoring sees of a lead. Validity flags are the caller's checks and are ignored
    when the value itself is empty; ``inquiries`` counts inquiries from this lead (1 = first);
    ``text`` is notes and subjects, searched for spam words."""

    email: str = ""
    email_valid: bool = True
    phone: str = ""
    phone_valid: bool = True
    company: str = ""
    title: str = ""
    country: str = ""
    source: str = "manual"
    interests_matched: int = 0
    quantity_total: int | None = None
    budget_mentioned: bool = False
    inquiries: int = 1
    undeliverable: bool = False
    text: str = ""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One rule that fired: its stable name, its points and a sentence for people."""

    rule: str
    points: int
    reason: str


@dataclass(frozen=True, slots=True)
class Score:
    """A lead's score (clamped to 0–100), its rating, why, and the rules version used."""

    value: int
    rating: Rating
    contributions: tuple[Contribution, ...]
    version: str

    @property
    def raw(self) -> int:
        """The unclamped sum of all contributions."""
        return sum(c.points for c in self.contributions)


class Decision(StrEnum):
    """What auto-qualification does with a scored lead."""

    QUALIFY = "qualify"
    DISQUALIFY_CANNOT_CONTACT = "disqualify-cannot-contact"
    KEEP_OPEN = "keep-open"


# Most contributions repeat across leads ("source email (+10)", "valid phone number (+10)"); being
# immutable they are shared, which makes a batch several times cheaper than building each anew.
_SHARED: dict[tuple[str, int, str], Contribution] = {}
_SHARED_LIMIT = 65536


def _fired(rule: str, points: int, reason: str) -> Contribution:
    key = (rule, points, reason)
    found = _SHARED.get(key)
    if found is None:
        found = Contribution(rule, points, f"{reason} ({points:+d})")
        if len(_SHARED) < _SHARED_LIMIT:
            _SHARED[key] = found
    return found


def _domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def _is_competitor(domain: str, rules: ScoringRules) -> bool:
    # A competitor's subdomains (mail.rakip.com) are the competitor too: test the domain and
    # each parent against the set rather than every competitor against the domain.
    competitors = rules.competitor_domains
    if not competitors:
        return False
    labels = domain.split(".")
    return any(".".join(labels[i:]) in competitors for i in range(len(labels) - 1))


def _email_signals(facts: LeadFacts, rules: ScoringRules, out: list[Contribution]) -> None:
    email = facts.email.strip()
    if not email:
        return
    p = rules.points
    domain = _domain_of(email)
    if not facts.email_valid or "@" not in email or not domain:
        out.append(_fired("email.invalid", p.invalid_email, f"invalid email address {email}"))
    elif _is_competitor(domain, rules):
        out.append(_fired("email.competitor", p.competitor, f"competitor email domain {domain}"))
    elif domain in rules.free_mail_domains:
        out.append(_fired("email.free_mail", p.free_mail, f"free-mail domain {domain}"))
    else:
        out.append(_fired("email.corporate", p.corporate_email, f"corporate email domain {domain}"))
    if facts.undeliverable:
        reason = f"mail to {email} bounced (undeliverable)"
        out.append(_fired("email.undeliverable", p.undeliverable, reason))


def _title_signal(facts: LeadFacts, rules: ScoringRules, out: list[Contribution]) -> None:
    title = facts.title.strip()
    if not title:
        return
    found = rules.title_matcher.longest(fold(title))
    if found is not None:
        phrase, points = found
        out.append(_fired("title", points, f"job title '{title}' matches '{phrase}'"))


def _contact_signals(facts: LeadFacts, p: Points, out: list[Contribution]) -> None:
    company = facts.company.strip()
    if company:
        out.append(_fired("company", p.company, "company given"))
    phone = facts.phone.strip()
    if phone and facts.phone_valid:
        out.append(_fired("phone.valid", p.phone_valid, "valid phone number"))
    elif phone:
        reason = "phone number given but not valid"
        out.append(_fired("phone.unverified", p.phone_unverified, reason))


def _interest_signals(facts: LeadFacts, p: Points, out: list[Contribution]) -> None:
    n = facts.interests_matched
    if n > 0:
        points = min(n * p.interest_each, p.interest_max)
        noun = "product" if n == 1 else "products"
        out.append(_fired("interest", points, f"interest matched {n} catalogue {noun}"))
    if facts.quantity_total is not None and facts.quantity_total > 0:
        reason = f"quantity mentioned ({facts.quantity_total} in total)"
        out.append(_fired("quantity", p.quantity, reason))
    if facts.budget_mentioned:
        out.append(_fired("budget", p.budget, "budget mentioned"))


def _context_signals(facts: LeadFacts, rules: ScoringRules, out: list[Contribution]) -> None:
    p = rules.points
    weight = rules.source_weights.get(facts.source)
    if weight is not None:
        out.append(_fired("source", weight, f"source {facts.source}"))
    repeats = facts.inquiries - 1
    if repeats > 0:
        points = min(repeats * p.repeat_each, p.repeat_max)
        out.append(_fired("repeat", points, f"{facts.inquiries} inquiries from this lead"))
    country = facts.country.strip()
    if country and fold(country) in rules.country_keys:
        out.append(_fired("country", p.target_country, f"target country {country}"))
    spam = rules.spam_matcher.find_all(fold_letters(facts.text)) if facts.text else ()
    if spam:
        words = ", ".join(f"'{w}'" for w in spam)
        out.append(_fired("spam", p.spam, f"spam words in the text: {words}"))


def rating_for(value: int, rules: ScoringRules = DEFAULT_RULES) -> Rating:
    """Hot at or above the hot threshold, Warm at or above the warm threshold, else Cold."""
    if value >= rules.hot_threshold:
        return "Hot"
    if value >= rules.warm_threshold:
        return "Warm"
    return "Cold"


def score_lead(facts: LeadFacts, rules: ScoringRules = DEFAULT_RULES) -> Score:
    """Score one lead: every fired rule's contribution, their sum clamped to 0–100, a rating."""
    out: list[Contribution] = []
    _email_signals(facts, rules, out)
    _title_signal(facts, rules, out)
    _contact_signals(facts, rules.points, out)
    _interest_signals(facts, rules.points, out)
    _context_signals(facts, rules, out)
    value = min(100, max(0, sum([c.points for c in out])))
    return Score(value, rating_for(value, rules), tuple(out), rules.version)


def score_many(facts: Sequence[LeadFacts], rules: ScoringRules = DEFAULT_RULES) -> list[Score]:
    """Score a batch of leads with one set of rules (the rules' matchers are compiled once)."""
    return [score_lead(f, rules) for f in facts]


def decide(facts: LeadFacts, score: Score, rules: ScoringRules = DEFAULT_RULES) -> Decision:
    """Auto-qualification: unreachable leads are disqualified, high scores qualify.

    Clearly unreachable means: no usable email address (missing or invalid) and no valid phone,
    or a bounced (undeliverable) address and no phone at all. Reachability is checked first, so
    a high-scoring lead nobody can contact is not qualified.
    """
    email_usable = bool(facts.email.strip()) and facts.email_valid
    has_phone = bool(facts.phone.strip())
    valid_phone = has_phone and facts.phone_valid
    if (not email_usable and not valid_phone) or (facts.undeliverable and not has_phone):
        return Decision.DISQUALIFY_CANNOT_CONTACT
    if score.value >= rules.qualify_threshold:
        return Decision.QUALIFY
    return Decision.KEEP_OPEN


def explain(score: Score) -> list[str]:
    """Lines for ``--explain``: contributions by size (largest effect first), the total last."""
    ordered = sorted(score.contributions, key=lambda c: abs(c.points), reverse=True)
    lines = [c.reason for c in ordered]
    clamped = f"sum {score.raw}, clamped to 0-100; " if score.raw != score.value else ""
    lines.append(f"total {score.value}: {score.rating} ({clamped}rules {score.version})")
    return lines
