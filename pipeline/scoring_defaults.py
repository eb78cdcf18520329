"""Default lead-scoring lists: free-mail domains, spam words, job titles, source weights.

These are the values used when ``salesflow.toml`` has no ``[scoring]`` section, and the base that
a section's tables are merged onto (see ``pipeline.scoring_rules``). Titles and spam words are
written as people write them (Turkish letters included); matching folds them.
"""

from __future__ import annotations

FREE_MAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.com.tr",
    "hotmail.co.uk",
    "hotmail.de",
    "hotmail.fr",
    "outlook.com",
    "outlook.com.tr",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.com.tr",
    "yahoo.co.uk",
    "yahoo.de",
    "ymail.com",
    "yandex.com",
    "yandex.com.tr",
    "yandex.ru",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.ru",
    "mail.com",
    "protonmail.com",
    "proton.me",
    "zoho.com",
    "mynet.com",
    "superonline.com",
    "ttmail.com",
    "windowslive.com",
)

SPAM_WORDS: tuple[str, ...] = (
    "viagra",
    "cialis",
    "casino",
    "bitcoin",
    "crypto",
    "forex",
    "lottery",
    "loan offer",
    "seo services",
    "backlink",
    "kredi",
    "bahis",
    "kumar",
    "iddaa",
    "seo hizmeti",
    "takipçi satın al",
    "escort",
)

# Points by job-title phrase; the longest phrase found in a title wins.
TITLES: dict[str, int] = {
    # Owners and top management.
    "genel müdür": 25,
    "ceo": 25,
    "chief executive officer": 25,
    "managing director": 25,
    "general manager": 25,
    "owner": 25,
    "founder": 25,
    "co-founder": 25,
    "kurucu": 25,
    "kurucu ortak": 25,
    "yönetim kurulu": 25,
    "president": 25,
    "chairman": 25,
    "firma sahibi": 25,
    "işletme sahibi": 25,
    # Buyers, directors and department heads.
    "genel müdür yardımcısı": 20,
    # Base forms: suffixes ("müdürü", "müdürlüğü") and "satınalma" written together also match.
    "satın alma müdür": 20,
    "purchasing manager": 20,
    "procurement": 20,
    "procurement manager": 20,
    "head of purchasing": 20,
    "director": 20,
    "direktör": 20,
    "müdür": 20,
    "head of": 20,
    "vice president": 20,
    "cfo": 20,
    "coo": 20,
    "cto": 20,
    # Purchasing staff and specialists.
    "satın alma": 15,
    "purchasing": 15,
    "buyer": 15,
    "manager": 10,
    "sorumlu": 10,
    "uzman": 10,
    "specialist": 10,
    "şef": 10,
    "supervisor": 10,
    "engineer": 10,
    "mühendis": 10,
    "koordinatör": 10,
    "coordinator": 10,
    # Not a buyer.
    "intern": -5,
    "stajyer": -5,
    "student": -5,
    "öğrenci": -5,
}

SOURCE_WEIGHTS: dict[str, int] = {"email": 10, "sheet": 5, "vcard": 8, "manual": 0, "scan": 5}
