"""The header vocabulary: which column titles mean which canonical field (``records.FIELDS``).

Keys are *normalised* header texts (see ``headers.normalise_header``: case-folded, diacritics
removed, Turkish dotless i folded to i, punctuation turned into single spaces). English and
Turkish web-form titles, contact-manager exports (Thunderbird, Outlook, Google) and CRM exports
(Odoo, Salesforce, both display titles and technical names) are covered. This module is data
only; the matching rules live in ``ingest.headers``.
"""

from __future__ import annotations

# One "|"-separated string per field keeps this table readable and compact.
_ALIASES: dict[str, str] = {
    "full_name": (
        "name|full name|fullname|display name|contact name|contact|contact person|your name|"
        "person|person name|lead name|ad soyad|adi soyadi|ad soyadi|adi soyad|adsoyad|"
        "adisoyadi|ad ve soyad|adiniz soyadiniz|isim soyisim|isim soyad|ad soyisim|isminiz|"
        "yetkili|yetkili kisi|yetkili adi|ilgili kisi|iletisim kisisi"
    ),
    "first_name": (
        "first name|firstname|given name|forename|first|name first|ad|adi|adiniz|isim|ismi|ilk ad"
    ),
    "last_name": (
        "last name|lastname|surname|family name|last|name last|soyad|soyadi|soyadiniz|"
        "soyisim|soyismi|soyisminiz"
    ),
    "email": (
        "email|e mail|mail|email address|e mail address|mail address|email id|email from|"
        "your email|e posta|eposta|e posta adresi|eposta adresi|e posta adresiniz|"
        "mail adresi|e mail adresi|email adresi|elektronik posta"
    ),
    "phone": (
        "phone|phone number|telephone|telephone number|tel|tel no|phone no|contact number|"
        "landline|telefon|telefon no|telefon numarasi|telefonunuz|sabit telefon|is telefonu|"
        "telefonu"
    ),
    "mobile": (
        "mobile|mobile phone|mobile number|mobile no|cell|cell phone|cellphone|gsm|gsm no|"
        "cep|cep telefonu|cep tel|cep no|mobil|mobil telefon|cep telefonu numarasi"
    ),
    "company": (
        "company|company name|organization|organisation|organization name|organisation name|"
        "account|account name|business name|firm|employer|partner name|related company|firma|"
        "firma adi|firma unvani|sirket|sirket adi|sirket unvani|ticari unvan|kurum|kurum adi|"
        "kurulus|kurulus adi|isletme|isletme adi"
    ),
    "title": (
        "title|job title|position|job position|role|job role|function|designation|"
        "organization title|unvan|unvani|gorev|gorevi|pozisyon|pozisyonu|meslek|kadro"
    ),
    "website": (
        "website|web site|web page|webpage|url|homepage|home page|web|web sitesi|web adresi|"
        "internet sitesi|internet adresi"
    ),
    "street": (
        "street|address|street address|address line|address street|adres|adresi|acik adres|"
        "sokak|cadde"
    ),
    "city": ("city|town|sehir|il|sehir il|il sehir"),
    "postcode": ("zip|zip code|zipcode|postal code|postcode|post code|zip postal code|posta kodu"),
    "country": ("country|country region|country name|country id|country code|ulke|ulke adi"),
    "product": (
        "product|products|product name|item|product interest|interested in|service|urun|"
        "urunler|urun adi|ilgilenilen urun|talep edilen urun|hizmet"
    ),
    "quantity": ("quantity|qty|units|pieces|pcs|number of units|adet|miktar|miktari|adedi"),
    "notes": (
        "notes|note|message|your message|comments|comment|description|remarks|inquiry|"
        "enquiry|request|details|internal notes|mesaj|mesajiniz|aciklama|not|notlar|talep|"
        "talebiniz|yorum|yorumlar"
    ),
    "subject": ("subject|topic|opportunity|konu|basvuru konusu"),
}

ALIASES: dict[str, str] = {
    alias: canonical for canonical, joined in _ALIASES.items() for alias in joined.split("|")
}
"""Normalised header text -> canonical field."""

QUALIFIED_FIELDS = frozenset(
    {"email", "phone", "mobile", "street", "city", "postcode", "country", "website"}
)
"""Fields whose header may carry a qualifier word. Names, company and title never do: there the
word changes the meaning ("Company Name" is not a person's name, "Screen Name" not a name)."""

QUALIFIERS = frozenset(
    (
        "work business primary secondary other home private personal office main contact "
        "company mailing billing shipping lead customer your address ev ozel firma sirket "
        "musteri iletisim"
    ).split()
)
"""Leading words that only say *which* phone/address/email it is ("Work Phone", "Mailing City",
"Firma Telefonu"); stripped when the full header is not known by itself."""

SUFFIXES = frozenset({"value"})
"""Trailing words that add nothing ("E-mail 1 - Value" in Google exports)."""
