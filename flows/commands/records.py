"""Leads, products, opportunities and the read commands (show, history, list)."""

from __future__ import annotations

from enum import StrEnum

import typer

from flows.context import app as get_app
from flows.context import run
from flows.leadinput import manual_lead
from flows.output import emit, emit_rows
from pipeline.domain.lead import DisqualifyReason
from pipeline.domain.lines import Discount
from pipeline.domain.money import to_decimal
from pipeline.services import catalogue, leads, queries

JSON = typer.Option(False, "--json", help="Machine-readable output.")


class Kind(StrEnum):
    leads = "leads"
    opportunities = "opportunities"
    quotes = "quotes"
    orders = "orders"
    invoices = "invoices"
    accounts = "accounts"
    contacts = "contacts"


LIST_COLUMNS = {
    "leads": ["ref", "name", "email", "company", "state", "status", "score", "rating"],
    "opportunities": ["ref", "name", "state", "status", "estimated_revenue", "currency"],
    "quotes": ["ref", "state", "status", "total", "currency", "valid_until"],
    "orders": ["ref", "state", "status", "total", "currency", "quote"],
    "invoices": ["ref", "state", "status", "total", "amount_paid", "balance", "due_on"],
    "accounts": ["ref", "name", "city", "country"],
    "contacts": ["ref", "name", "email", "phone", "account"],
}


def register(app: typer.Typer) -> None:
    lead_app = typer.Typer(help="Leads: people who showed interest.", no_args_is_help=True)
    product_app = typer.Typer(help="Products and their price-list prices.", no_args_is_help=True)
    opp_app = typer.Typer(help="Develop opportunities.", no_args_is_help=True)
    app.add_typer(lead_app, name="lead")
    app.add_typer(product_app, name="product")
    app.add_typer(opp_app, name="opportunity")

    @lead_app.command("add")
    def lead_add(
        first_name: str = typer.Option("", "--first-name"),
        last_name: str = typer.Option("", "--last-name"),
        email: str = typer.Option("", "--email"),
        company: str = typer.Option("", "--company"),
        phone: str = typer.Option("", "--phone"),
        title: str = typer.Option("", "--title"),
        json_out: bool = JSON,
    ) -> None:
        """Add a lead by hand (values are normalised like ingested ones)."""
        a = get_app()
        new = run(
            lambda: manual_lead(
                first_name, last_name, email, company, phone, title, a.settings.default_region
            )
        )
        result = run(lambda: leads.add_lead(a.uow(), new))
        emit(result.as_dict(), json_out, result.message)

    @app.command()
    def qualify(lead: str = typer.Argument(..., help="LEAD-7 or 7"), json_out: bool = JSON) -> None:
        """Qualify a lead: account + contact (created or linked) + opportunity."""
        a = get_app()
        result = run(
            lambda: leads.qualify(
                a.uow(),
                lead,
                currency=a.settings.currency,
                close_in_days=a.settings.opportunity_close_days,
            )
        )
        emit(result.as_dict(), json_out, result.message)

    @app.command()
    def disqualify(
        lead: str = typer.Argument(..., help="LEAD-7 or 7"),
        reason: DisqualifyReason = typer.Option(..., "--reason", help="Why."),
        note: str = typer.Option("", "--note", help="Free text kept in history."),
        json_out: bool = JSON,
    ) -> None:
        """Disqualify an open lead (refused once it produced an opportunity)."""
        result = run(lambda: leads.disqualify(get_app().uow(), lead, reason, note))
        emit(result.as_dict(), json_out, result.message)

    @product_app.command("add")
    def product_add(
        sku: str,
        name: str,
        price: str,
        tax: str = typer.Option(None, "--tax", help="Tax rate percent (default: settings)."),
        currency: str = typer.Option(None, "--currency", help="Default: settings."),
        unit: str = typer.Option("pcs", "--unit"),
        json_out: bool = JSON,
    ) -> None:
        """Add a product (or update its price) on the price list."""
        s = get_app().settings
        result = run(
            lambda: catalogue.add_product(
                get_app().uow(),
                sku,
                name,
                to_decimal(price, "price"),
                currency=(currency or s.currency).upper(),
                tax_rate=to_decimal(tax, "tax") if tax is not None else s.default_tax_rate,
                unit=unit,
            )
        )
        emit(result.as_dict(), json_out, result.message)

    @opp_app.command("add-line")
    def add_line(
        opportunity: str,
        sku: str,
        quantity: str,
        discount: str = typer.Option(None, "--discount", help="'10%' or an amount."),
        json_out: bool = JSON,
    ) -> None:
        """Add a product line to an opportunity at the price-list price."""
        result = run(
            lambda: catalogue.add_line(
                get_app().uow(),
                opportunity,
                sku,
                to_decimal(quantity, "quantity"),
                Discount.parse(discount),
            )
        )
        emit(result.as_dict(), json_out, result.message)

    @app.command()
    def show(
        ref: str = typer.Argument(..., help="LEAD-1, OPP-1, QUO-2026-00001, ..."),
        json_out: bool = JSON,
    ) -> None:
        """Show one record."""
        emit(run(lambda: queries.show(get_app().uow(), ref)), json_out)

    @app.command()
    def history(
        ref: str = typer.Argument(..., help="LEAD-1, OPP-1, QUO-2026-00001, ..."),
        json_out: bool = JSON,
    ) -> None:
        """Every event of a record, oldest first."""
        rows = run(lambda: queries.history(get_app().uow(), ref))
        if json_out:
            emit(rows, True)
        else:
            emit_rows(rows, ["at", "action", "from", "to", "actor", "details"], title=ref)

    @app.command("list")
    def list_(kind: Kind, limit: int = typer.Option(200, "--limit"), json_out: bool = JSON) -> None:
        """List records of one kind, newest first."""
        rows = run(lambda: queries.list_records(get_app().uow(), kind.value, limit))
        if json_out:
            emit(rows, True)
        else:
            emit_rows(rows, LIST_COLUMNS[kind.value], title=kind.value)
