"""The ledger's commands as the person who runs the print runs uses them: a delivery
recorded in place, and reports for a grant (totals by funder or recipient, every record)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import run_pamphlets

LEDGER = "pamphlets/print-runs.yml"


def test_deliver_changes_the_run_in_place_and_keeps_the_rest(mini: Path) -> None:
    before = (mini / LEDGER).read_text(encoding="utf-8")
    result = run_pamphlets(mini, "runs", "deliver", "run-2026-001", "--date", "2026-03-05")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "run-2026-001: delivered on 2026-03-05, 2500 copies\n"
    after = (mini / LEDGER).read_text(encoding="utf-8")
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [
        ("    date: 2026-02-01", "    date: 2026-03-05"),
        ("    status: ordered", "    status: delivered"),
    ]
    # Now its copies can be handed out.
    handed = run_pamphlets(
        mini, "runs", "distribute", "--run", "run-2026-001", "--quantity", "50", "--to", "Shelter"
    )
    assert handed.returncode == 0, handed.stderr


def test_deliver_refuses_what_it_cannot_do_and_writes_nothing(mini: Path) -> None:
    before = (mini / LEDGER).read_bytes()
    unknown = run_pamphlets(mini, "runs", "deliver", "run-2026-01")
    assert unknown.returncode == 1
    assert "there is no run 'run-2026-01' (did you mean 'run-2026-001'?)" in unknown.stderr
    again = run_pamphlets(mini, "runs", "deliver", "run-2025-001")
    assert "run 'run-2025-001' is delivered already; nothing was written" in again.stderr
    assert (mini / LEDGER).read_bytes() == before


def test_deliver_adds_a_date_a_run_did_not_have(mini: Path) -> None:
    text = (mini / LEDGER).read_text(encoding="utf-8")
    (mini / LEDGER).write_text(text.replace("    date: 2026-02-01\n", ""), encoding="utf-8")
    result = run_pamphlets(mini, "runs", "deliver", "run-2026-001", "--date", "2026-04-01")
    assert result.returncode == 0, result.stderr
    assert "    status: delivered\n    date: 2026-04-01\n" in (mini / LEDGER).read_text("utf-8")


def report(mini: Path, *args: str) -> dict:
    result = run_pamphlets(mini, "runs", "report", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_reports_by_funder_and_by_recipient(mini: Path) -> None:
    assert run_pamphlets(
        mini, "runs", "add", "--pamphlet", "beta", "--language", "en", "--quantity", "200",
        "--status", "ordered", "--funder", "Grant 2027", "--date", "2026-12-01",
    ).returncode == 0  # fmt: skip
    by_funder = report(mini, "--by", "funder")
    assert by_funder["columns"] == ["funder", "printed", "distributed", "in_stock", "on_order"]
    rows = {row["funder"]: row for row in by_funder["rows"]}
    assert rows["Grant 2027"]["on_order"] == 200
    assert rows[""]["printed"] == 1300 and rows[""]["distributed"] == 500
    by_recipient = report(mini, "--by", "recipient")
    assert by_recipient["rows"] == [
        {"recipient": "Partner CSO", "distributed": 100},
        {"recipient": "Workshop", "distributed": 400},
    ]
    assert by_recipient["total"]["distributed"] == 500


def test_a_detailed_report_lists_every_record_for_a_spreadsheet(mini: Path) -> None:
    result = run_pamphlets(mini, "runs", "report", "--detail", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["record"], row["id"]) for row in rows] == [
        ("run", "run-2025-001"), ("run", "run-2026-001"), ("run", "run-2020-001"),
        ("distribution", "dist-2025-001"), ("distribution", "dist-2025-002"),
    ]  # fmt: skip
    workshop = rows[3]
    assert (workshop["recipient"], workshop["quantity"], workshop["date"]) == (
        "Workshop", "400", "2025-04-01",
    )  # fmt: skip
    assert workshop["pamphlet"] == "alpha" and workshop["language"] == "ru"


def test_an_unknown_pamphlet_or_language_is_an_error(mini: Path) -> None:
    pamphlet = run_pamphlets(mini, "runs", "report", "--pamphlet", "alfa")
    assert pamphlet.returncode == 2
    assert "there is no pamphlet 'alfa' (did you mean 'alpha'?)" in pamphlet.stderr
    language = run_pamphlets(mini, "runs", "report", "--language", "de")
    assert language.returncode == 2
    assert "'de' is not a language of this site" in language.stderr
