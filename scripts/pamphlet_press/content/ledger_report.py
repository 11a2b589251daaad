"""The print-run report (`pamphlets runs report`): what was printed and where it went, for the
person who runs the project and for grant reports (a spreadsheet takes the CSV, a script
the JSON). Unlike the site's public page, it shows everything, names included.

Totals are grouped by pamphlet and language (the default), or `by` one of:

    pamphlet    every language of a pamphlet together
    language    every pamphlet of a language together
    funder      the runs a funder paid for, and the copies of them handed out
    recipient   the copies each recipient got (printed, in stock and on order do not apply)

and the records themselves can be listed instead (`detail`): every run and every
distribution with all its fields.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import asdict, dataclass

from .ledger import Distribution, Ledger, Run

GROUPINGS = ("pamphlet-language", "pamphlet", "language", "funder", "recipient")
FIGURES = ("printed", "distributed", "in_stock", "on_order")


@dataclass(frozen=True)
class ReportRow:
    pamphlet: str
    language: str  # "" when the run did not record one
    printed: int
    distributed: int
    in_stock: int
    on_order: int  # planned or ordered, not yet delivered


@dataclass(frozen=True)
class Period:
    """Only runs and distributions dated within it count (none: everything)."""

    since: datetime.date | None = None
    until: datetime.date | None = None

    def holds(self, date: datetime.date | None) -> bool:
        if self.since is None and self.until is None:
            return True
        if date is None:
            return False
        return (self.since is None or date >= self.since) and (
            self.until is None or date <= self.until
        )


def _chosen_runs(ledger: Ledger, pamphlet: str | None, language: str | None) -> list[Run]:
    return [
        run
        for run in ledger.runs
        if (pamphlet is None or run.pamphlet == pamphlet)
        and (language is None or run.language == language)
    ]


def grouped(
    ledger: Ledger,
    by: str = "pamphlet-language",
    period: Period = Period(),
    pamphlet: str | None = None,
    language: str | None = None,
) -> tuple[tuple[str, ...], list[dict]]:
    """(the columns, a row per group): copies printed (delivered runs), distributed, in
    stock, on order, for the chosen runs, grouped as `by` says."""
    runs = {run.id: run for run in _chosen_runs(ledger, pamphlet, language)}

    def key(run: Run, distribution: Distribution | None = None) -> tuple[str, ...]:
        return {
            "pamphlet-language": (run.pamphlet, run.language or ""),
            "pamphlet": (run.pamphlet,),
            "language": (run.language or "",),
            "funder": (run.funder or "",),
            "recipient": (distribution.recipient if distribution else "",),
        }[by]

    rows: dict[tuple[str, ...], dict[str, int]] = {}
    if by != "recipient":
        for run in runs.values():
            row = rows.setdefault(key(run), dict.fromkeys(FIGURES, 0))
            if period.holds(run.date):
                row["printed" if run.status == "delivered" else "on_order"] += run.quantity
    for distribution in ledger.distributions:
        run = runs.get(distribution.run)
        if run is None or not period.holds(distribution.date):
            continue
        row = rows.setdefault(key(run, distribution), dict.fromkeys(FIGURES, 0))
        row["distributed"] += distribution.quantity
    names = {
        "pamphlet-language": ("pamphlet", "language"),
        "pamphlet": ("pamphlet",),
        "language": ("language",),
        "funder": ("funder",),
        "recipient": ("recipient",),
    }[by]
    figures = ("distributed",) if by == "recipient" else FIGURES
    table = []
    for group, row in sorted(rows.items()):
        row["in_stock"] = row["printed"] - row["distributed"]
        table.append({**dict(zip(names, group, strict=True)),
                      **{name: row[name] for name in figures}})  # fmt: skip
    return names + figures, table


def report(
    ledger: Ledger,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    pamphlet: str | None = None,
) -> list[ReportRow]:
    """Per pamphlet and language: copies printed, distributed, in stock, on order (the
    site's print-runs page and the default report)."""
    _columns, rows = grouped(ledger, "pamphlet-language", Period(since, until), pamphlet)
    return [ReportRow(**row) for row in rows]


def report_totals(rows: list[ReportRow]) -> ReportRow:
    return ReportRow(
        "total", "", *(sum(getattr(row, name) for row in rows) for name in FIGURES)
    )


def records(
    ledger: Ledger, period: Period = Period(), pamphlet: str | None = None,
    language: str | None = None,
) -> tuple[tuple[str, ...], list[dict]]:
    """Every chosen run and distribution with all its fields (the `detail` report)."""
    columns = ("record", "id", "pamphlet", "language", "edition", "run", "quantity", "status",
               "date", "printer", "funder", "recipient", "notes", "public")  # fmt: skip
    runs = {run.id: run for run in _chosen_runs(ledger, pamphlet, language)}
    rows = []
    for run in runs.values():
        if period.holds(run.date):
            rows.append({"record": "run", **asdict(run)})
    for distribution in ledger.distributions:
        run = runs.get(distribution.run)
        if run and period.holds(distribution.date):
            rows.append({"record": "distribution", "pamphlet": run.pamphlet,
                         "language": run.language, **asdict(distribution)})  # fmt: skip
    table = [{column: row.get(column) for column in columns} for row in rows]
    return columns, table


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def format_report(
    columns: tuple[str, ...], rows: list[dict], output_format: str, totals: bool = True
) -> str:
    """The report as a table (for people), CSV (a spreadsheet) or JSON (a script)."""
    figures = [column for column in columns if column in FIGURES]
    total = None
    if totals and figures:
        total = {column: "" for column in columns}
        total[columns[0]] = "total"
        total.update({name: sum(row[name] for row in rows) for name in figures})
    if output_format == "json":
        data = {"columns": list(columns), "rows": rows}
        if total:
            data["total"] = total
        return json.dumps(data, ensure_ascii=False, indent=1, default=_cell) + "\n"
    lines = [list(columns)] + [[_cell(row[column]) for column in columns] for row in rows]
    if total:
        lines.append([_cell(total[column]) for column in columns])
    if output_format == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(lines)
        return buffer.getvalue()
    shown = [[cell or "-" for cell in line] if index else line
             for index, line in enumerate(lines)]  # fmt: skip
    widths = [max(len(line[i]) for line in shown) for i in range(len(columns))]
    text = []
    for number, line in enumerate(shown):
        text.append("  ".join(
            cell.rjust(width) if columns[i] in FIGURES or columns[i] == "quantity"
            else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip())  # fmt: skip
        if number == 0 or (total and number == len(shown) - 2):
            text.append("  ".join("-" * width for width in widths))
    return "\n".join(text) + "\n"
