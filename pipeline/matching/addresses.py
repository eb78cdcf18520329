"""Email addresses that do not identify one person: shared role boxes and free-mail domains.

A shared ``info@acme.com`` is written by everyone at Acme, so the same address with two
different names is two people. A free-mail domain (gmail.com) says nothing about an employer,
so "same domain" only counts for corporate domains.
"""

from __future__ import annotations

from functools import lru_cache

ROLE_LOCAL_PARTS = frozenset(
    """info information contact contacts iletisim bilgi sales satis satinalma purchasing
    purchase procurement office ofis admin administrator muhasebe accounting accounts finance
    finans destek support help helpdesk hello merhaba hi team ekip mail email post webmaster
    marketing pazarlama hr ik insankaynaklari ik careers kariyer jobs noreply no-reply
    donotreply service servis hizmet customerservice musterihizmetleri orders siparis
    billing fatura invoice invoices export ihracat import ithalat teklif quote quotes
    reception resepsiyon enquiries inquiries general genel management yonetim it bt
    tech teknik operations operasyon logistics lojistik legal hukuk press basin media
    """.split()
)

FREE_MAIL_DOMAINS = frozenset(
    """gmail.com googlemail.com hotmail.com hotmail.com.tr hotmail.co.uk hotmail.de hotmail.fr
    outlook.com outlook.com.tr outlook.de live.com live.co.uk msn.com windowslive.com
    yahoo.com yahoo.com.tr yahoo.co.uk yahoo.de yahoo.fr ymail.com rocketmail.com
    yandex.com yandex.com.tr yandex.ru ya.ru icloud.com me.com mac.com mynet.com mynet.com.tr
    aol.com gmx.de gmx.net gmx.com web.de t-online.de protonmail.com proton.me pm.me
    mail.com mail.ru zoho.com zohomail.com tutanota.com superonline.com ttmail.com
    turk.net windowslive.com qq.com 163.com fastmail.com hushmail.com inbox.com
    """.split()
)


def split_email(address: str) -> tuple[str, str]:
    """``(local part, domain)`` of a lower-case address; ``("", "")`` when there is none."""
    local, at, domain = address.rpartition("@")
    return (local, domain) if at else ("", "")


@lru_cache(maxsize=1 << 16)
def is_role_local(local: str) -> bool:
    """Whether a local part names a shared box (``info``, ``satis``, ``sales.tr``, ``info2``)."""
    if local in ROLE_LOCAL_PARTS:
        return True
    head = local.replace("_", ".").replace("-", ".").split(".", 1)[0].rstrip("0123456789")
    return head in ROLE_LOCAL_PARTS


def is_free_domain(domain: str) -> bool:
    """Whether the domain is a public free-mail service rather than an organisation's own."""
    return domain in FREE_MAIL_DOMAINS
