"""The CLI as a user runs it (subprocess): a lead to a paid invoice with --json only."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


class Cli:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {**os.environ, "SALESFLOW_HOME": str(home), "COLUMNS": "200"}
        self.env.pop("SALESFLOW_DATABASE_URL", None)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "flows.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def json(self, *args: str) -> Any:
        proc = self.run(*args, "--json")
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)


def _dump(db: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    with sqlite3.connect(db) as conn:
        names = [
            r[0]
            for r in conn.execute("select name from sqlite_master where type='table' order by name")
        ]
        return [(n, conn.execute(f'select * from "{n}" order by 1').fetchall()) for n in names]


def test_a_lead_reaches_a_paid_invoice_and_an_illegal_move_exits_2(tmp_path):
    cli = Cli(tmp_path / "home")
    assert cli.json("init")["config_written"] == "yes"
    lead = cli.json(
        "lead",
        "add",
        "--first-name",
        "ŞÜKRÜ",
        "--last-name",
        "ÇAĞLAR",
        "--email",
        "Sukru.Caglar+expo@Ege-Tekstil.com.tr",
        "--company",
        "Ege Tekstil Ltd. Şti.",
        "--phone",
        "0232 555 12 34",
    )
    assert lead["ref"] == "LEAD-1" and lead["status"] == "New"
    shown = cli.json("show", "LEAD-1")
    assert (shown["name"], shown["email"], shown["phone"]) == (
        "Şükrü Çağlar",
        "sukru.caglar+expo@ege-tekstil.com.tr",
        "+902325551234",
    )
    cli.json("product", "add", "TX-100", "Cotton yarn (kg)", "42.75", "--tax", "10")
    opp = cli.json("qualify", "LEAD-1")["related"]["opportunity"]
    assert (
        cli.json("opportunity", "add-line", opp, "TX-100", "200", "--discount", "5%")["related"][
            "estimated_revenue"
        ]
        == "8122.50"
    )
    quote = cli.json("quote", "create", opp)["ref"]
    assert quote.startswith("QUO-") and quote.endswith("-00001")
    cli.json("quote", "activate", quote)
    revised = cli.json("quote", "revise", quote)["ref"]
    assert revised == f"{quote}-R2"
    activated = cli.json("quote", "activate", revised)
    assert Path(activated["related"]["file"]).name == f"{revised}.xlsx"

    before = _dump(tmp_path / "home" / "salesflow.db")
    refused = cli.run("quote", "accept", quote, "--json")  # the Revised one: illegal
    assert refused.returncode == 2
    assert "Cannot win quote" in refused.stderr and refused.stdout == ""
    assert _dump(tmp_path / "home" / "salesflow.db") == before

    order = cli.json("quote", "accept", revised)["ref"]
    assert cli.json("order", "fulfil", order)["status"] == "Complete"
    invoice = cli.json("invoice", "create", order)
    # 200 x 42.75 = 8550.00; -5 % = 8122.50; +10 % = 812.25 -> 8934.75
    assert invoice["related"]["total"] == "8934.75"
    issued = Path(invoice["related"]["file"])
    assert issued.exists() and issued.parent.name == "invoices"
    again = cli.json("export", "invoice", invoice["ref"])
    assert again["sha256"] == invoice["related"]["sha256"]  # byte-identical regeneration
    tr = cli.json(
        "export", "invoice", invoice["ref"], "--lang", "tr", "--out", str(tmp_path / "tr")
    )
    assert Path(tr["file"]).exists() and tr["sha256"] != again["sha256"]
    part = cli.json("invoice", "pay", invoice["ref"], "--amount", "934.75")
    assert (part["status"], part["related"]["balance"]) == ("Partial", "8000.00")
    paid = cli.json("invoice", "pay", invoice["ref"])
    assert (paid["state"], paid["status"]) == ("Paid", "Complete")

    history = cli.json("history", invoice["ref"])
    assert [e["action"] for e in history] == ["created", "export", "export", "pay-partial", "pay"]
    assert [q["ref"] for q in cli.json("list", "quotes")] == [revised, quote]
    assert cli.run("list", "leads").returncode == 0


def test_unknown_reference_and_bad_reason_exit_2_with_one_sentence(tmp_path):
    cli = Cli(tmp_path / "home")
    cli.json("init")
    missing = cli.run("order", "fulfil", "ORD-2026-00042")
    assert missing.returncode == 2
    assert "No order found for reference 'ORD-2026-00042'." in missing.stderr
    bad = cli.run("disqualify", "LEAD-1", "--reason", "bored")
    assert bad.returncode == 2  # Typer's usage error


def test_commands_before_init_say_what_to_do(tmp_path):
    cli = Cli(tmp_path / "fresh")
    proc = cli.run("list", "leads")
    assert proc.returncode == 1
    assert "run `salesflow init` first" in proc.stderr


def test_ingest_prints_the_summary_keys_and_a_rerun_is_a_no_op(tmp_path):
    cli = Cli(tmp_path / "home")
    cli.json("init")
    sample = tmp_path / "form.csv"
    sample.write_text(
        "Ad;Soyad;E-posta\nAyşe;Yılmaz;ayse@firma.com.tr\n;;\nBurak;;x\n", encoding="utf-8"
    )
    first = cli.json("ingest", str(sample), "--no-imap")
    keys = [
        "files_seen",
        "messages_seen",
        "records_parsed",
        "leads_created",
        "duplicates_skipped",
        "quarantined",
        "auto_replies",
        "bounces",
    ]
    assert all(isinstance(first[k], int) for k in keys)
    assert (first["files_seen"], first["leads_created"], first["messages_seen"]) == (1, 2, 0)
    second = cli.json("ingest", str(sample), "--no-imap")
    assert (second["leads_created"], second["duplicates_skipped"]) == (0, 1)
    assert sample.exists()  # given paths are copied, never moved
    missing = cli.run("ingest", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
