"""Printed words of quotes, invoices and the pipeline report, in English and Turkish.

Labels are looked up by key; ``labels_for("tr-TR")`` accepts a locale tag and keeps its
language. Texts with values (payment terms, tax rate names) are built here too, with Babel for
dates and percents so each language writes them its own way (``KDV %20``, ``VAT 20%``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from babel.dates import format_date
from babel.numbers import format_percent

from exports.errors import UnsupportedLanguage

_EN: dict[str, str] = {
    "quote": "Quote",
    "invoice": "Invoice",
    "number": "Number",
    "date": "Date",
    "valid_until": "Valid until",
    "due_on": "Due date",
    "currency": "Currency",
    "status": "Status",
    "order": "Order",
    "quote_ref": "Quote",
    "customer": "Customer",
    "attention": "Attn.",
    "tax_id": "Tax ID",
    "email": "Email",
    "phone": "Phone",
    "iban": "IBAN",
    "line_no": "#",
    "sku": "SKU",
    "description": "Description",
    "quantity": "Quantity",
    "unit": "Unit",
    "unit_price": "Unit Price",
    "discount_pct": "Disc. %",
    "discount": "Discount",
    "tax_rate": "VAT %",
    "line_total": "Amount",
    "gross": "Total before discounts",
    "line_discounts": "Line discounts",
    "subtotal": "Subtotal",
    "overall_discount": "Discount",
    "net": "Net amount",
    "tax": "VAT",
    "tax_base": "on",
    "tax_total": "Total VAT",
    "total": "Grand Total",
    "amount_paid": "Amount paid",
    "balance": "Balance due",
    "notes": "Notes and terms",
    "payment_terms": "Payment terms",
    "bank": "Bank details",
    "no_date": "—",
    "valid_text": "This quote is valid until {date}.",
    "draft_text": "Draft: not yet offered; prices may change.",
    "quote_terms": "Payment within {days} days of the invoice date.",
    "invoice_terms": "Payment due within {days} days, by {due}.",
    "invoice_terms_now": "Payment due on receipt ({due}).",
}

_TR: dict[str, str] = {
    "quote": "Teklif",
    "invoice": "Fatura",
    "number": "Numara",
    "date": "Tarih",
    "valid_until": "Geçerlilik",
    "due_on": "Vade Tarihi",
    "currency": "Para Birimi",
    "status": "Durum",
    "order": "Sipariş",
    "quote_ref": "Teklif",
    "customer": "Müşteri",
    "attention": "İlgili",
    "tax_id": "Vergi No",
    "email": "E-posta",
    "phone": "Telefon",
    "iban": "IBAN",
    "line_no": "#",
    "sku": "Stok Kodu",
    "description": "Açıklama",
    "quantity": "Miktar",
    "unit": "Birim",
    "unit_price": "Birim Fiyat",
    "discount_pct": "İsk. %",
    "discount": "İndirim",
    "tax_rate": "KDV %",
    "line_total": "Tutar",
    "gross": "Brüt Toplam",
    "line_discounts": "Satır İndirimleri",
    "subtotal": "Ara Toplam",
    "overall_discount": "İndirim",
    "net": "Net Tutar",
    "tax": "KDV",
    "tax_base": "matrah",
    "tax_total": "Toplam KDV",
    "total": "Genel Toplam",
    "amount_paid": "Ödenen",
    "balance": "Kalan Bakiye",
    "notes": "Notlar ve Koşullar",
    "payment_terms": "Ödeme Koşulları",
    "bank": "Banka Bilgileri",
    "no_date": "—",
    "valid_text": "Bu teklif {date} tarihine kadar geçerlidir.",
    "draft_text": "Taslak: henüz sunulmadı; fiyatlar değişebilir.",
    "quote_terms": "Ödeme, fatura tarihinden itibaren {days} gün içinde.",
    "invoice_terms": "Ödeme {days} gün içinde, en geç {due} tarihinde.",
    "invoice_terms_now": "Ödeme teslimde ({due}).",
}

# Status reasons as the domain names them (Dynamics 365 English) -> Turkish.
_TR_STATUS: dict[str, str] = {
    "In Progress": "Hazırlanıyor",
    "Open": "Açık",
    "Won": "Kabul edildi",
    "Lost": "Kaybedildi",
    "Canceled": "İptal",
    "Revised": "Revize edildi",
    "New": "Yeni",
    "Billed": "Faturalandı",
    "Complete": "Ödendi",
    "Partial": "Kısmen ödendi",
}
_STATUS = {"en": MappingProxyType[str, str]({}), "tr": MappingProxyType(_TR_STATUS)}

LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"en": MappingProxyType(_EN), "tr": MappingProxyType(_TR)}
)
SUPPORTED = tuple(LABELS)


def language_of(lang: str) -> str:
    """The supported language of a tag (``"tr-TR"`` -> ``"tr"``) or ``UnsupportedLanguage``."""
    code = lang.replace("_", "-").split("-")[0].strip().lower()
    if code not in LABELS:
        raise UnsupportedLanguage(lang, SUPPORTED)
    return code


def labels_for(lang: str) -> Mapping[str, str]:
    """The label set of ``lang``."""
    return LABELS[language_of(lang)]


def status_text(status: str, lang: str) -> str:
    """A status reason in ``lang`` (the domain's English name when there is no translation)."""
    return _STATUS[language_of(lang)].get(status, status)


def format_day(day: date, lang: str) -> str:
    """A date written out in running text (``Mar 4, 2026``; ``4 Mar 2026`` in Turkish)."""
    return format_date(day, format="medium", locale=language_of(lang))


def rate_text(rate: Decimal, lang: str) -> str:
    """A tax or discount rate given in percent as text (``20%`` / ``%20``)."""
    # The locale's own pattern puts the sign where the language does; keep every decimal.
    return format_percent(rate / 100, locale=language_of(lang), decimal_quantization=False)


def tax_name(rate: Decimal, lang: str) -> str:
    """The name of a tax band (``VAT 20%``, ``KDV %20``)."""
    return f"{labels_for(lang)['tax']} {rate_text(rate, lang)}"


def payment_terms(lang: str, days: int, due: date | None) -> str:
    """Payment terms: relative to the invoice date (quotes) or with the due date (invoices)."""
    words = labels_for(lang)
    if due is None:
        return words["quote_terms"].format(days=days)
    if days <= 0:
        return words["invoice_terms_now"].format(due=format_day(due, lang))
    return words["invoice_terms"].format(days=days, due=format_day(due, lang))
