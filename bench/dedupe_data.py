"""A labelled lead benchmark: people who write, leave cards and fill forms, 1-4 records each.

Records carry the values the ingest step hands dedupe (lower-case emails with a plus-free
``email_key``, E.164 phones, company keys), with realistic noise: Turkish names written with
and without their letters, nicknames, typos, swapped first/last names, UPPER case, initials,
missing fields, plus-addressing, work and private emails, shared role boxes (info@, satis@) and
switchboard numbers, and many different people with the same common name (Zipf pools, so
"Mehmet Yılmaz" is everywhere, plus a long tail of compound surnames).
"""

from __future__ import annotations

import random
import string
import sys
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.turkish import transliterate  # noqa: E402

TR_FIRST = """Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer Ramazan
Halil Süleyman Abdullah Mahmut Recep Salih Fatih Kadir Emre Hakan Adem Kemal Yaşar Bekir Musa
Metin Serkan Burak Şükrü Cem Can Barış Onur Selim Tolga Volkan Uğur Gökhan Erkan Oğuz Çağlar
Tuncay Levent Kaan Deniz Arda Alihan Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra
Sultan Hanife Merve Havva Zeliha Esra Fadime Özlem Hacer Melek Yasemin Ayşegül Gül Derya Sibel
Tuğba Büşra Gamze Ebru Seda Aslı Pınar Gülşen Şule Ilgın Işıl Çiğdem Öznur Nur Dilek Songül
Aysel Ayşen Emin Sercan Hasancan""".split()
TR_LAST = """Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç
Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Özcan Korkmaz Çakır Erdoğan Yavuz Can Acar Şen
Aktaş Güler Yalçın Güneş Bozkurt Bulut Keskin Ünal Turan Gül Özer Işık Kaplan Avcı Sarı Tekin
Taş Köse Yüksel Ateş Aksoy Çağlar Ağaoğlu Karaca Tunç Uçar Toprak Erdem Özgür Sönmez""".split()
TR_PRE = (
    "Kara Ak Öz Er Gün Kurt Demir Yıldız Ay Tok Bay Koca Uz Sarı Al Bal Taş Gök Tan Ata".split()
)
TR_SUF = "oğlu soy han can kan demir türk er el taş ay yol dağ göz ok baş kaya".split()
EN_FIRST = """James John Robert Michael William David Richard Joseph Thomas Charles Christopher
Daniel Matthew Anthony Mark Steven Andrew Paul Joshua Kenneth Mary Patricia Jennifer Linda
Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Margaret Sandra Emily Rebecca Katherine
Laura Emma Olivia Edward Peter Samuel Benjamin Nicholas Victoria""".split()
EN_LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Wilson
Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson
Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts
Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers""".split()
EN_PRE = "Ash Black White Green Brook Stone Wood Hart Well Field Cole Fair Lang Red Win".split()
EN_SUF = "ford wood field ton ley well worth man by ham stead more bury wick".split()
NICK = {
    "Robert": ["Bob", "Rob"],
    "William": ["Bill", "Will"],
    "Elizabeth": ["Liz", "Beth"],
    "Michael": ["Mike"],
    "Richard": ["Rick", "Dick"],
    "James": ["Jim", "Jimmy"],
    "Thomas": ["Tom"],
    "Christopher": ["Chris"],
    "Daniel": ["Dan"],
    "Matthew": ["Matt"],
    "Anthony": ["Tony"],
    "Andrew": ["Andy"],
    "Joseph": ["Joe"],
    "Margaret": ["Maggie", "Peggy"],
    "Katherine": ["Kate", "Kathy"],
    "Jennifer": ["Jen"],
    "Jessica": ["Jess"],
    "Edward": ["Ed"],
    "Samuel": ["Sam"],
    "Benjamin": ["Ben"],
    "Nicholas": ["Nick"],
    "Victoria": ["Vicky"],
    "Rebecca": ["Becky"],
    "Susan": ["Sue"],
    "Mehmet": ["Memo"],
    "Mustafa": ["Musti"],
    "Hüseyin": ["Hüso"],
    "Abdullah": ["Apo"],
    "Fatma": ["Fatoş"],
    "İbrahim": ["İbo"],
}
TR_CITY = "İstanbul Ankara İzmir Bursa Antalya Konya Adana Gaziantep Kocaeli Kayseri".split()
EN_CITY = "London Manchester Birmingham Leeds Glasgow Bristol Boston Chicago Denver".split()
TR_WORD = """Anadolu Marmara Ege Boğaziçi Yıldız Doğu Akdeniz Karadeniz Başkent Atlas Kuzey Güney
Tekno Mavi Beyaz Altın Demir Çelik Öncü Yeni""".split()
TR_TRADE = "Makine Lojistik İnşaat Tekstil Gıda Kimya Elektrik Yazılım Enerji Plastik".split()
EN_WORD = "Acme Globex Initech Umbrella Stark Wayne Summit Apex Vertex Nova Orion".split()
EN_TRADE = "Systems Logistics Foods Energy Software Metals Tools Labs Devices".split()
FREE = "gmail.com hotmail.com yahoo.com outlook.com yandex.com icloud.com mynet.com".split()
ROLES = "info sales satis iletisim contact office muhasebe destek".split()


def zipf_pick(rng: random.Random, pool: list[str], s: float = 1.0) -> str:
    """A Zipf-weighted draw: the first names of the pool are much more common."""
    cum = _CUM.get((len(pool), s))
    if cum is None:
        cum = _CUM[(len(pool), s)] = list(accumulate(1 / (i + 1) ** s for i in range(len(pool))))
    return rng.choices(pool, cum_weights=cum)[0]


_CUM: dict[tuple[int, float], list[float]] = {}


def key_of(text: str) -> str:
    """The folded key the ingest step would give (lower ASCII words)."""
    return " ".join(transliterate(text).lower().replace("ı", "i").split())


def typo(rng: random.Random, word: str) -> str:
    """One keyboard slip away from the first letter: substitute, delete, insert or swap."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letter = rng.choice(string.ascii_lowercase)
    if kind == 0:
        return word[:i] + letter + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + letter + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


class World:
    """Companies and people, and the records they leave."""

    def __init__(self, n_records: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_emails: set[str] = set()
        n_companies = max(50, n_records // 12)
        self.companies = [self._company(i) for i in range(n_companies)]

    def _company(self, i: int) -> tuple[str, str, str, bool]:
        """(key, domain, switchboard phone, turkish)."""
        rng = self.rng
        turkish = rng.random() < 0.6
        words, trades = (TR_WORD, TR_TRADE) if turkish else (EN_WORD, EN_TRADE)
        key = key_of(f"{rng.choice(words)} {rng.choice(trades)} {i}")
        domain = key.replace(" ", "") + (".com.tr" if turkish else ".com")
        phone = f"+90212{i:07d}" if turkish else f"+4420{i:08d}"
        return key, domain, phone, turkish

    def _surname(self, turkish: bool) -> str:
        rng = self.rng
        if rng.random() < 0.6:
            return zipf_pick(rng, TR_LAST if turkish else EN_LAST)
        pre, suf = (TR_PRE, TR_SUF) if turkish else (EN_PRE, EN_SUF)
        return rng.choice(pre) + rng.choice(suf)

    def _email(self, local: str, domain: str) -> str:
        address = f"{local}@{domain}"
        n = 1
        while address in self.used_emails:
            n += 1
            address = f"{local}{n}@{domain}"
        self.used_emails.add(address)
        return address

    def person(self, pid: int) -> dict[str, object]:
        """One true person: names, company, emails, mobile, city."""
        rng = self.rng
        company = rng.choice(self.companies) if rng.random() < 0.75 else None
        turkish = company[3] if company and rng.random() < 0.9 else rng.random() < 0.6
        first = zipf_pick(rng, TR_FIRST if turkish else EN_FIRST, 0.8)
        last = self._surname(turkish)
        f, la = key_of(first).replace(" ", ""), key_of(last)
        local = rng.choice([f"{f}.{la}", f"{f[0]}{la}", f"{f}{la[0]}", f"{f}_{la}", f])
        work = self._email(local, company[1]) if company else ""
        private = (
            self._email(f"{f}.{la}", rng.choice(FREE)) if not work or rng.random() < 0.3 else ""
        )
        mobile = f"+905{pid:09d}" if turkish else f"+447{pid:09d}"
        city = zipf_pick(rng, TR_CITY if turkish else EN_CITY)
        return {
            "first": first,
            "last": last,
            "company": company,
            "work": work,
            "private": private,
            "mobile": mobile,
            "city": city,
            "turkish": turkish,
        }

    def _name(self, p: dict[str, object]) -> tuple[str, str]:
        rng = self.rng
        first, last = str(p["first"]), str(p["last"])
        if first in NICK and rng.random() < 0.15:
            first = rng.choice(NICK[first])
        if p["turkish"] and rng.random() < 0.35:
            first, last = transliterate(first), transliterate(last)
        roll = rng.random()
        if roll < 0.07:
            first, last = typo(rng, first), last
        elif roll < 0.12:
            first, last = first, typo(rng, last)
        roll = rng.random()
        if roll < 0.03:
            first, last = last, first
        elif roll < 0.06:
            first = first[0] + "."
        elif roll < 0.09:
            first = ""
        elif roll < 0.12:
            first = last = ""
        if rng.random() < 0.1:
            first, last = first.upper(), last.upper()
        return first, last

    def _contact(self, p: dict[str, object]) -> tuple[str, str, str]:
        """(email, email_key, phone)."""
        rng = self.rng
        company = p["company"]
        main = str(p["work"] or p["private"])
        roll = rng.random()
        if roll < 0.5:
            email = main
        elif roll < 0.62:
            email = str(p["private"] or main)
        elif roll < 0.7 and company:
            email = f"{rng.choice(ROLES)}@{company[1]}"  # type: ignore[index]
        elif roll < 0.76:
            local, _, domain = main.partition("@")
            email = f"{local}+{rng.choice(['expo', 'web', 'news'])}@{domain}"
        elif roll < 0.79:
            local, _, domain = main.partition("@")
            email = f"{typo(rng, local)}@{domain}"
        else:
            email = ""
        key = email.split("+")[0] + "@" + email.split("@")[1] if "+" in email else email
        roll = rng.random()
        phone = str(p["mobile"]) if roll < 0.45 else ""
        if company and 0.45 <= roll < 0.6:
            phone = company[2]  # type: ignore[index]
        return email, key, phone

    def record(self, rid: int, p: dict[str, object]) -> dict[str, str]:
        """One record a person leaves (email, card or web form)."""
        rng = self.rng
        first, last = self._name(p)
        email, key, phone = self._contact(p)
        company = p["company"]
        company_key = ""
        if company and rng.random() < 0.7:
            company_key = company[0]  # type: ignore[index]
        city = str(p["city"]) if rng.random() < 0.6 else ""
        return {
            "id": f"r{rid}",
            "first_name": first,
            "last_name": last,
            "email": email,
            "email_key": key,
            "phone": phone,
            "company_key": company_key,
            "city": city,
            "source": rng.choice(["email", "vcard", "webform"]),
        }


def generate(n_records: int, seed: int = 7) -> tuple[list[dict[str, str]], list[int]]:
    """``n_records`` records and the true person of each, 1-4 records per person."""
    world = World(n_records, seed)
    rng = world.rng
    records: list[dict[str, str]] = []
    truth: list[int] = []
    pid = 0
    while len(records) < n_records:
        p = world.person(pid)
        for _ in range(rng.choices((1, 2, 3, 4), cum_weights=(55, 80, 93, 100))[0]):
            if len(records) < n_records:
                records.append(world.record(len(records), p))
                truth.append(pid)
        pid += 1
    order = list(range(n_records))
    rng.shuffle(order)
    return [records[i] for i in order], [truth[i] for i in order]
