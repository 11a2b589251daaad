"""The print-run ledger: how many leaflets were printed, and where they went.

It is a YAML file that people read and edit by hand (`pamphlets/print-runs.yml`):

    runs:
      - id: run-2026-001
        pamphlet: rights-and-duties      # a pamphlet's folder name
        language: ru                     # a language of the site (may be left out for an old
                                         # run whose language nobody recorded)
        edition: "2026-11-28"            # which version of the text (pamphlet.yml's edition)
        quantity: 1000
        date: 2026-12-05                 # when it was ordered or delivered (optional)
        printer: Print shop name         # optional
        status: ordered                  # planned, ordered or delivered
        funder: Grant or funder          # optional
        notes: Free text                 # optional
        public: true                     # optional: the site shows printer, funder, notes
    distributions:
      - id: dist-2026-001
        run: run-2026-001                # the run the copies come from
        quantity: 200
        recipient: Organisation or event
        date: 2026-12-18                 # optional
        notes: Free text                 # optional
        public: true                     # optional: the site names the recipient, notes

The public page (web/runs_page.py) shows totals and reach; printers, funders, recipients
and notes only of records that say `public: true`. `pamphlets runs report` shows everything.

`load_ledger` checks it against the catalog (pamphlets, languages) and itself (unique ids
of letters, digits, '.', '_' and '-'; quantities from 1 to ten million; distributions from
delivered runs, never more than was delivered; free text that is plain text, as it reaches
the site's pages).

Writing it (`pamphlets runs add`, `distribute`, `deliver`) is ledger_writer.py; the report
(`pamphlets runs report`) is ledger_report.py.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..problems import ProblemList
from .markdown import MarkdownSettings, plain_text_problem
from .sources import MAX_LEDGER_BYTES, Entry, parse_mapping, read_text, record_from_mapping

RUN_STATUSES = ("planned", "ordered", "delivered")
RECORD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_COPIES = 10_000_000
# The fields a person writes freely; they reach the site's print-runs page.
FREE_TEXT = ("edition", "printer", "funder", "notes", "recipient")


@dataclass(frozen=True)
class Run:
    """One print run of one pamphlet in one language."""

    id: str
    pamphlet: str
    edition: str
    quantity: int
    status: Literal["planned", "ordered", "delivered"]
    language: str | None = None
    date: datetime.date | None = None
    printer: str | None = None
    funder: str | None = None
    notes: str | None = None
    # The site shows printer, funder and notes only of a run that says public: true.
    public: bool = False


@dataclass(frozen=True)
class Distribution:
    """Copies of a run handed out to an organisation or at an event."""

    id: str
    run: str
    quantity: int
    recipient: str
    date: datetime.date | None = None
    notes: str | None = None
    # The site names the recipient and shows the notes only when this says public: true
    # (shelters and people who received leaflets are not for the public).
    public: bool = False


@dataclass(frozen=True)
class Ledger:
    runs: tuple[Run, ...] = ()
    distributions: tuple[Distribution, ...] = ()

    def distributed(self, run_id: str) -> int:
        return sum(d.quantity for d in self.distributions if d.run == run_id)

    def run(self, run_id: str) -> Run | None:
        return next((run for run in self.runs if run.id == run_id), None)

    def current_run(self, pamphlet: str, language: str, edition: str) -> Run | None:
        """The run an imprint states: the latest planned or ordered run of this text."""
        candidates = [
            (run.date or datetime.date.min, index, run)
            for index, run in enumerate(self.runs)
            if (run.pamphlet, run.language, run.edition) == (pamphlet, language, edition)
            and run.status in ("planned", "ordered")
        ]
        return max(candidates, key=lambda item: item[:2])[2] if candidates else None


def load_ledger(
    path: Path,
    shown: str,
    slugs: set[str],
    languages: list[str],
    problems: ProblemList,
    text: str | None = None,
    markdown: MarkdownSettings | None = None,
    root: Path | None = None,
) -> Ledger:
    """Read and check the ledger; a missing file is an empty ledger.

    `markdown` is the site's Markdown settings (free text is checked with them); `root`
    the project, which the file must lie in (a link to it may lie elsewhere in it).
    """
    if text is None:
        if not path.exists() and not path.is_symlink():
            return Ledger()
        text = read_text(path, shown, problems, within=root, max_bytes=MAX_LEDGER_BYTES)
        if text is None:
            return Ledger()
    entries = parse_mapping(text, shown, problems)
    if entries is None:
        return Ledger()
    for key, entry in entries.items():
        if key not in ("runs", "distributions"):
            problems.add(
                shown, entry.line, f"'{key}' is not a known key; use runs and distributions"
            )
    runs = _records(Run, entries.get("runs"), shown, problems)
    distributions = _records(Distribution, entries.get("distributions"), shown, problems)
    seen: dict[str, int] = {}
    for record, line in [*runs, *distributions]:
        if not RECORD_ID.fullmatch(record.id):
            problems.add(
                shown, line, f"id {record.id!r} must be letters, digits, '.', '_' and '-' "
                "(at most 64), like run-2026-001",
            )  # fmt: skip
        for name in FREE_TEXT:
            value = getattr(record, name, None)
            problem = value and plain_text_problem(name, value, markdown or MarkdownSettings())
            if problem:
                problems.add(shown, line, f"{record.id}: {problem}")
        if record.id in seen:
            problems.add(
                shown, line, f"id '{record.id}' is used twice (also on line {seen[record.id]}); "
                "give each record its own id",
            )  # fmt: skip
        seen.setdefault(record.id, line)
        if record.quantity <= 0:
            problems.add(
                shown, line, f"{record.id}: 'quantity' must be a positive whole number; "
                f"got {record.quantity}",
            )  # fmt: skip
        elif record.quantity > MAX_COPIES:
            problems.add(
                shown, line, f"{record.id}: 'quantity' is {record.quantity:,} copies, more "
                f"than any print run ({MAX_COPIES:,}); check it",
            )  # fmt: skip
    for run, line in runs:
        if run.pamphlet not in slugs:
            problems.add(
                shown, line, f"{run.id}: there is no pamphlet '{run.pamphlet}' "
                f"(there are: {', '.join(sorted(slugs))})",
            )  # fmt: skip
        if run.language is not None and run.language not in languages:
            problems.add(
                shown, line, f"{run.id}: '{run.language}' is not a language of this site "
                f"({', '.join(languages)})",
            )  # fmt: skip
    run_by_id = {run.id: run for run, _line in runs}
    handed_out: dict[str, int] = {}
    for distribution, line in distributions:
        run = run_by_id.get(distribution.run)
        if run is None:
            problems.add(
                shown, line, f"{distribution.id}: there is no run '{distribution.run}'; "
                "give the id of a run listed under runs",
            )  # fmt: skip
            continue
        if run.status != "delivered":
            problems.add(
                shown, line, f"{distribution.id}: run '{run.id}' is {run.status}, not delivered; "
                "copies can be handed out once the run is delivered (set its status)",
            )  # fmt: skip
            continue
        handed_out[run.id] = handed_out.get(run.id, 0) + distribution.quantity
        if handed_out[run.id] > run.quantity:
            problems.add(
                shown, line, f"{distribution.id}: run '{run.id}' delivered {run.quantity} copies, "
                f"but {handed_out[run.id]} are handed out with this record; check the quantities",
            )  # fmt: skip
    return Ledger(tuple(run for run, _ in runs), tuple(d for d, _ in distributions))


def _records(cls, entry: Entry | None, shown: str, problems: ProblemList) -> list:
    if entry is None or entry.value is None:
        return []
    if entry.items is None:
        problems.add(shown, entry.line, "must be a list of records, each starting with '- id: ...'")
        return []
    records = []
    for item in entry.items:
        if item.children is None:
            problems.add(shown, item.line, "each record must be a mapping of 'key: value' lines")
            continue
        record = record_from_mapping(cls, item.children, shown, problems, item.line)
        if record is not None:
            records.append((record, item.line))
    return records


# ------------------------------------------------------------------ writing
