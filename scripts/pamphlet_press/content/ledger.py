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

`append_record` appends a record to the text, so the file keeps its comments and order,
under a lock (in `.cache/`) and with an atomic replace that keeps the file's mode and, if
the ledger is a link, the link: two writers at once both land, and a crash leaves the old
file or the new one, never a broken one. It never loses a record: a list written in flow
style (`runs: [{...}]`) is refused with a message, text is written in double quotes with
line separators escaped, and the new file is read back before it replaces the old one: it
must hold every record the old one held, in order, and the new one.

(Longer than most modules: reading, checking and writing the ledger stay together, so
that the writer is checked by the very reader that loads the ledger for a build.)
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Literal

import yaml

from ..files import exclusive_lock, write_atomically
from ..problems import ContentError, Problem, ProblemList
from .markdown import MarkdownSettings, plain_text_problem
from .safe_yaml import compose
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


def lock_path_for(path: Path) -> Path:
    """Where the lock of the ledger `path` lives when the caller names none: in the
    project's `.cache/` folder (git ignores it), the project being the folder that holds
    the pamphlets folder."""
    return path.absolute().parent.parent / ".cache" / "locks" / f"{path.name}.lock"


def locked(path: Path, lock_path: Path | None = None):
    """The ledger's lock, held while it is read, changed and written."""
    return exclusive_lock(lock_path or lock_path_for(path))


class UneditableLedger(ValueError):
    """The ledger is written in a way that `_insert_record` cannot extend safely."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


# Characters a YAML reader (1.1) or an editor takes for a line break, or that are
# invisible: written as escapes in a double-quoted text.
_ESCAPED = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}
_ESCAPED.update({chr(c): f"\\u{c:04x}" for c in range(0x7F, 0xA0) if chr(c) not in _ESCAPED})
_PLAIN = re.compile(r"[A-Za-z0-9\u00c0-\u024f\u0370-\u06ff][^:#'\"{}\[\],&*!|>%@`\\]*")


def _yaml_scalar(value: object) -> str:
    """A value as YAML that any reader (1.1 or 1.2) reads back as the same value."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    resolved = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    if (
        _PLAIN.fullmatch(text)
        and text == text.strip()
        and resolved == "tag:yaml.org,2002:str"
        and text not in ("null", "Null", "NULL", "~")
        and not any(character in text for character in _ESCAPED)
        and text.isprintable()
    ):
        return text
    # JSON's double-quoted strings are YAML's; then the line breaks JSON leaves alone.
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(_ESCAPED.get(character, character) for character in quoted)


# The order in which a written record lists its keys: as a person reads a record.
KEY_ORDER = (
    "id", "pamphlet", "language", "edition", "run", "quantity", "recipient", "date", "printer",
    "status", "funder", "notes", "public",
)  # fmt: skip


def _record_lines(record: object, dash: int, key: int | None = None) -> list[str]:
    """The lines of a record as a list item: its '-' in column `dash`, its keys in column
    `key` (the columns of the records before it)."""
    key = dash + 2 if key is None or key <= dash else key
    names = sorted((field.name for field in fields(record)), key=KEY_ORDER.index)  # type: ignore[arg-type]
    lines = []
    for name in names:
        value = getattr(record, name)
        if value is None or value is False:  # left out: the defaults
            continue
        lead = " " * dash + "-" + " " * (key - dash - 1) if not lines else " " * key
        lines.append(f"{lead}{name}: {_yaml_scalar(value)}")
    return lines


def _insert_record(text: str, key: str, record: object) -> str:
    """The ledger text with `record` appended to the list under `key`, all else unchanged.

    Raises UneditableLedger for a layout this cannot extend line by line (flow style)."""
    lines = text.split("\n")
    node = compose(text) if text.strip() else None
    section = None
    if isinstance(node, yaml.MappingNode):
        if node.flow_style:
            raise UneditableLedger(
                "the ledger is written in flow style ({runs: [...]}); write it as 'runs:' "
                "and 'distributions:' lines with one '- id: ...' record under the other, as "
                "the schema at the top of the file shows",
                node.start_mark.line + 1,
            )
        section = next(((k, v) for k, v in node.value if k.value == key), None)
    if section is None:
        body = "\n".join(_record_lines(record, 2))
        return text.rstrip("\n") + f"\n{key}:\n{body}\n"
    key_node, value_node = section
    if isinstance(value_node, yaml.SequenceNode) and value_node.flow_style and value_node.value:
        raise UneditableLedger(
            f"'{key}' is a list written in flow style ([{{...}}, {{...}}]); write each record "
            "as '- id: ...' lines, one under the other, as the schema at the top of the file "
            "shows, then run the command again",
            key_node.start_mark.line + 1,
        )
    if isinstance(value_node, yaml.SequenceNode) and value_node.value:
        first, last = value_node.value[0], value_node.value[-1]
        dash, column = value_node.start_mark.column, first.start_mark.column
        if isinstance(first, yaml.MappingNode) and first.flow_style:
            column = dash + 2  # - {id: ...}: the keys of a new block record go here
        end = last.end_mark.line if last.end_mark.column == 0 else last.end_mark.line + 1
        # Do not take the blank lines and comments that follow the last record along.
        while end > last.start_mark.line + 1 and not lines[end - 1].strip():
            end -= 1
        new = lines[:end] + _record_lines(record, dash, column) + lines[end:]
        return "\n".join(new).rstrip("\n") + "\n"
    # An empty list (`runs: []` or `runs:`): the record becomes its first item.
    line = key_node.start_mark.line
    lines[line] = f"{key}:"
    new = lines[: line + 1] + _record_lines(record, 2) + lines[line + 1 :]
    return "\n".join(new).rstrip("\n") + "\n"


def next_id(existing: set[str], prefix: str, year: int) -> str:
    numbers = [
        int(match.group(1))
        for identifier in existing
        if (match := re.fullmatch(rf"{prefix}-{year}-(\d+)", identifier))
    ]
    return f"{prefix}-{year}-{max(numbers, default=0) + 1:03d}"


def _trimmed(record):
    """The record with its texts as the ledger keeps them (no spaces around them)."""
    texts = {
        field.name: value.strip()
        for field in fields(record)
        if isinstance(value := getattr(record, field.name), str)
    }
    return replace(record, **texts)


def append_record(
    path: Path,
    shown: str,
    key: str,
    make_record,
    slugs: set[str],
    languages: list[str],
    *,
    lock_path: Path | None = None,
    markdown: MarkdownSettings | None = None,
):
    """Append a record under `key` ('runs' or 'distributions'), validated, under the lock.

    `make_record(ledger)` builds the record from the current ledger (it picks the next id).
    Raises ContentError, with nothing written, when the new ledger would not be valid, or
    would not hold every record of the old one and the new one (see the module docstring).
    `lock_path` is the lock's file (by default in the project's .cache/, lock_path_for);
    `markdown` the site's Markdown settings, to check the record's texts with.
    """
    with locked(path, lock_path):
        problems = ProblemList()
        text, newline, bom = "", "\n", False
        if path.exists() or path.is_symlink():
            text = read_text(path, shown, problems, max_bytes=MAX_LEDGER_BYTES) or ""
            problems.raise_if_any()
            head = path.read_bytes()[:4096]
            newline = "\r\n" if b"\r\n" in head else "\n"
            bom = head.startswith(b"\xef\xbb\xbf")
        ledger = load_ledger(path, shown, slugs, languages, problems, text or "{}", markdown)
        problems.raise_if_any()
        record = _trimmed(make_record(ledger))
        try:
            new_text = _insert_record(text, key, record)
        except (UneditableLedger, yaml.YAMLError) as error:
            line = getattr(error, "line", None)
            raise ContentError([Problem(shown, line, f"{error}; nothing was written")]) from None
        new = load_ledger(path, shown, slugs, languages, problems, new_text, markdown)
        problems.raise_if_any()
        expected = (
            (*ledger.runs, record) if key == "runs" else ledger.runs,
            (*ledger.distributions, record) if key == "distributions" else ledger.distributions,
        )
        if (new.runs, new.distributions) != expected:
            raise ContentError([Problem(shown, None, (
                "the ledger is laid out in a way this command cannot extend without changing "
                "other records; nothing was written: add the record by hand, or write the "
                "records as '- id: ...' lines as the schema at the top of the file shows"
            ))])  # fmt: skip
        write_atomically(path, new_text, newline=newline, bom=bom)
    return record


# ------------------------------------------------------------------ report


@dataclass(frozen=True)
class ReportRow:
    pamphlet: str
    language: str  # "" when the run did not record one
    printed: int
    distributed: int
    in_stock: int
    on_order: int  # planned or ordered, not yet delivered


def report(
    ledger: Ledger,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    pamphlet: str | None = None,
) -> list[ReportRow]:
    """Per pamphlet and language: copies printed (delivered runs), distributed, in stock,
    on order. With a date range, only runs and distributions dated within it count."""

    def within(date: datetime.date | None) -> bool:
        if since is None and until is None:
            return True
        if date is None:
            return False
        return (since is None or date >= since) and (until is None or date <= until)

    totals: dict[tuple[str, str], list[int]] = {}
    for run in ledger.runs:
        if pamphlet and run.pamphlet != pamphlet:
            continue
        row = totals.setdefault((run.pamphlet, run.language or ""), [0, 0, 0])
        if within(run.date):
            if run.status == "delivered":
                row[0] += run.quantity
            else:
                row[2] += run.quantity
    for distribution in ledger.distributions:
        run = ledger.run(distribution.run)
        if run is None or (pamphlet and run.pamphlet != pamphlet) or not within(distribution.date):
            continue
        totals.setdefault((run.pamphlet, run.language or ""), [0, 0, 0])[1] += distribution.quantity
    return [
        ReportRow(slug, language, printed, distributed, printed - distributed, on_order)
        for (slug, language), (printed, distributed, on_order) in sorted(totals.items())
    ]


def report_totals(rows: list[ReportRow]) -> ReportRow:
    return ReportRow(
        "total",
        "",
        sum(r.printed for r in rows),
        sum(r.distributed for r in rows),
        sum(r.in_stock for r in rows),
        sum(r.on_order for r in rows),
    )


def row_dict(row: ReportRow) -> dict:
    return asdict(row)
