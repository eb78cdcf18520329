"""Quotes, orders and invoices."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path

import typer

from flows.context import app as get_app
from flows.context import run
from flows.output import emit
from pipeline.domain.money import to_decimal
from pipeline.services import documents as docs
from pipeline.services.results import Done

JSON = typer.Option(False, "--json", help="Machine-readable output.")


class DocKind(StrEnum):
    quote = "quote"
    invoice = "invoice"


def _show(result: Done, json_out: bool) -> None:
    emit(result.as_dict(), json_out, result.message)


def _with_export(result: Done, kind: str) -> Done:
    """Write the document's workbook right after the step that issues it."""
    from flows.exporting import export_document

    path, sha256 = run(lambda: export_document(get_app(), kind, result.ref))
    related = {**result.related, "file": str(path), "sha256": sha256}
    return replace(result, related=related, message=f"{result.message} Wrote {path}.")


def register(app: typer.Typer) -> None:
    quote_app = typer.Typer(
        help="Quotes: create, activate, revise, accept, lose.", no_args_is_help=True
    )
    order_app = typer.Typer(help="Orders: fulfil or cancel.", no_args_is_help=True)
    invoice_app = typer.Typer(
        help="Invoices: create from an order, record payments.", no_args_is_help=True
    )
    app.add_typer(quote_app, name="quote")
    app.add_typer(order_app, name="order")
    app.add_typer(invoice_app, name="invoice")

    @app.command("export")
    def export(
        kind: DocKind,
        ref: str,
        out: Path = typer.Option(
            None,
            "--out",
            help="Folder to write to (default: the "
            "home's exports/; files elsewhere are not recorded).",
        ),
        lang: str = typer.Option(None, "--lang", help="en or tr (default: settings)."),
        json_out: bool = JSON,
    ) -> None:
        """Write the workbook of a quote or an invoice (byte-identical when regenerated)."""
        from flows.exporting import export_document

        path, sha256 = run(lambda: export_document(get_app(), kind.value, ref, out=out, lang=lang))
        emit(
            {"kind": kind.value, "ref": ref, "file": str(path), "sha256": sha256},
            json_out,
            f"Wrote {path} (sha256 {sha256[:12]}…).",
        )

    @quote_app.command("create")
    def quote_create(opportunity: str, json_out: bool = JSON) -> None:
        """Create a Draft quote from an opportunity's lines."""
        _show(run(lambda: docs.create(get_app().uow(), opportunity)), json_out)

    @quote_app.command("activate")
    def quote_activate(quote: str, json_out: bool = JSON) -> None:
        """Offer a Draft quote to the customer (lines freeze)."""
        days = get_app().settings.quote_validity_days
        result = run(lambda: docs.activate(get_app().uow(), quote, days))
        _show(_with_export(result, "quote"), json_out)

    @quote_app.command("revise")
    def quote_revise(quote: str, json_out: bool = JSON) -> None:
        """Close an Active quote as Revised and open a new Draft revision."""
        _show(run(lambda: docs.revise(get_app().uow(), quote)), json_out)

    @quote_app.command("accept")
    def quote_accept(quote: str, json_out: bool = JSON) -> None:
        """The customer accepted an Active quote: create the order; quote and opportunity Won."""
        _show(run(lambda: docs.accept(get_app().uow(), quote)), json_out)

    @quote_app.command("lose")
    def quote_lose(
        quote: str, reason: str = typer.Option("", "--reason"), json_out: bool = JSON
    ) -> None:
        """Close an Active quote as Lost."""
        _show(run(lambda: docs.lose(get_app().uow(), quote, reason)), json_out)

    @order_app.command("fulfil")
    def order_fulfil(
        order: str, partial: bool = typer.Option(False, "--partial"), json_out: bool = JSON
    ) -> None:
        """Mark an order fulfilled (complete, or partial with --partial)."""
        _show(run(lambda: docs.fulfil(get_app().uow(), order, partial)), json_out)

    @order_app.command("cancel")
    def order_cancel(
        order: str, reason: str = typer.Option("", "--reason"), json_out: bool = JSON
    ) -> None:
        """Cancel an order that is not fulfilled yet."""
        _show(run(lambda: docs.cancel_order(get_app().uow(), order, reason)), json_out)

    @invoice_app.command("create")
    def invoice_create(order: str, json_out: bool = JSON) -> None:
        """Issue the invoice of a fulfilled order."""
        days = get_app().settings.payment_days
        result = run(lambda: docs.invoice(get_app().uow(), order, days))
        _show(_with_export(result, "invoice"), json_out)

    @invoice_app.command("pay")
    def invoice_pay(
        invoice: str,
        amount: str = typer.Option(None, "--amount", help="Default: the whole balance."),
        json_out: bool = JSON,
    ) -> None:
        """Record a payment on an invoice."""
        value = to_decimal(amount, "amount") if amount is not None else None
        _show(run(lambda: docs.pay(get_app().uow(), invoice, value)), json_out)

    @invoice_app.command("cancel")
    def invoice_cancel(
        invoice: str, reason: str = typer.Option("", "--reason"), json_out: bool = JSON
    ) -> None:
        """Cancel an unpaid invoice."""
        _show(run(lambda: docs.cancel_invoice(get_app().uow(), invoice, reason)), json_out)
