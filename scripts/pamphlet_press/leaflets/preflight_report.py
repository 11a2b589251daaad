"""Preflight reports for people and scripts, and the preflight of the files a build made.

    format_table       a plain-text table, one row per file and one column per check, the
                       body size a leaflet was set in, then every finding in full
    reports_json       the same as JSON (every finding of every check)
    check_print_files  make (or reuse) the print PDFs and sheets, then preflight them
    preflight_files    preflight the print and imposed files of a build (LeafletFile records)
"""

from __future__ import annotations

import json
from pathlib import Path

from .preflight import Check, PreflightReport, preflight

CELL_DETAIL_LENGTH = 30
# Findings listed per failed check in the text report (the JSON report has all).
FINDINGS_SHOWN = 10


def format_table(reports: list[PreflightReport]) -> str:
    """A plain-text table of preflight reports, then every failure's findings.

    One row per file and one column per check (and the body size a print leaflet was set
    in, when known); a cell reads "ok" or "FAIL: <detail>", the detail cut short to keep the
    table narrow (the list below the table has each finding whole).
    """
    if not reports:
        return "no PDF files to preflight\n"
    names = [str(report.path) for report in reports]
    short_names = [report.path.name for report in reports]
    if len(set(short_names)) == len(short_names):
        names = short_names  # the file name is enough when no two files share it

    columns: list[str] = []
    for report in reports:
        for check in report.checks:
            if check.name not in columns:
                columns.append(check.name)
    with_body = any(report.body_pt for report in reports)

    def cell(check: Check | None) -> str:
        if check is None:
            return "-"
        if check.ok:
            return "ok"
        detail = check.detail
        if len(detail) > CELL_DETAIL_LENGTH:
            detail = detail[: CELL_DETAIL_LENGTH - 3] + "..."
        return f"FAIL: {detail}"

    rows = [["file", *(["body"] if with_body else []), *columns]]
    for name, report in zip(names, reports, strict=True):
        checks = {check.name: check for check in report.checks}
        body = [f"{report.body_pt:g} pt" if report.body_pt else "-"] if with_body else []
        rows.append([name, *body, *(cell(checks.get(column)) for column in columns)])
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]

    def line(row: list[str]) -> str:
        return " | ".join(
            text.ljust(width) for text, width in zip(row, widths, strict=True)
        ).rstrip()

    lines = [line(rows[0]), "-+-".join("-" * width for width in widths)]
    lines += [line(row) for row in rows[1:]]

    set_in = [
        f"  {name}: {report.typesetting}"
        for name, report in zip(names, reports, strict=True)
        if report.typesetting
    ]
    if set_in:
        lines += ["", "Typesetting (chosen to fill the pages):", *set_in]

    failures: list[str] = []
    for name, report in zip(names, reports, strict=True):
        failed = [check for check in report.checks if not check.ok]
        if len(failed) > 1 and len({check.detail for check in failed}) == 1:
            # An unreadable file fails every check for the same reason: say it once.
            failures.append(f"{name}: {failed[0].detail}")
            continue
        for check in failed:
            findings = check.findings or (check.detail,)
            shown = findings[:FINDINGS_SHOWN]
            failures += [f"{name}: {check.name}: {finding}" for finding in shown]
            if len(findings) > FINDINGS_SHOWN:
                failures.append(
                    f"{name}: {check.name}: ... and {len(findings) - FINDINGS_SHOWN} more"
                )
    lines.append("")
    lines.append("Failures:" if failures else "All checks passed.")
    lines += [f"  {failure}" for failure in failures]
    return "\n".join(lines) + "\n"


def reports_json(reports: list[PreflightReport]) -> str:
    """The reports as JSON: per file, every check with its detail and all its findings."""
    data = {
        "ok": all(report.ok for report in reports),
        "files": [report.as_dict() for report in reports],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def check_print_files(
    catalog,
    jobs: int,
    pamphlets: set[str] | None = None,
    languages: set[str] | None = None,
    release: bool = False,
):
    """Make (or reuse) the print PDFs and imposed sheets of the catalog, or of the chosen
    pamphlets and languages, and preflight each against its format (the imposed sheets
    against the sheet the format describes): (reports, the PDF build's result)."""
    from ..outputs import files_dir
    from .pdfs import build_pdfs

    settings = catalog.settings
    result = build_pdfs(
        catalog, files_dir(settings), jobs, pamphlets, languages, {"print"}, release=release
    )
    return preflight_files(settings, result.files, files_dir(settings)), result


def preflight_files(settings, files, folder: Path) -> list[PreflightReport]:
    """Preflight the print and imposed files among `files` (outputs.LeafletFile) in
    `folder`, with the project's standard and ink limit."""
    reports = []
    for file in files:
        if file.variant not in ("print", "print-imposed"):
            continue
        fmt = settings.pdf.formats[file.format]
        imposed = file.variant == "print-imposed"
        expected = fmt.sheet_format() if imposed else fmt
        if expected is None:
            continue
        report = preflight(
            folder / file.file, expected, settings.pdf.standard,
            settings.pdf.max_ink_coverage, imposed=imposed,
        )  # fmt: skip
        if file.body_pt:
            described = f"body {file.body_pt:g} pt, leading {file.leading or 0:g}"
            report = PreflightReport(report.path, report.checks, described, file.body_pt)
        reports.append(report)
    return reports
