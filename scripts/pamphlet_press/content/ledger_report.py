"""Plain-text, CSV and JSON renderings of the print-run report, for people and for grant
reports (a spreadsheet takes the CSV, a script the JSON)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from .ledger import ReportRow

COLUMNS = ("pamphlet", "language", "printed", "distributed", "in_stock", "on_order")


def format_report(
    rows: list[ReportRow], total: ReportRow, output_format: str, as_dict: Callable
) -> str:
    if output_format == "json":
        data = {"rows": [as_dict(row) for row in rows], "total": as_dict(total)}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in [*rows, total]:
            writer.writerow([getattr(row, column) for column in COLUMNS])
        return buffer.getvalue()
    cells = [list(COLUMNS)]
    for row in [*rows, total]:
        cells.append([str(getattr(row, column)) if getattr(row, column) != "" else "-"
                      for column in COLUMNS])  # fmt: skip
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = []
    for number, line in enumerate(cells):
        lines.append("  ".join(
            cell.ljust(width) if index < 2 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip())  # fmt: skip
        if number == 0 or number == len(cells) - 2:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"
