"""Writing the print-run ledger: appending a run or a distribution, marking a run delivered.

Every change is made to the text, line by line, so that the file keeps its comments, its
order and its layout; under a lock (in `.cache/locks/`) and with an atomic replace that keeps
the file's mode and, if the ledger is a link, the link: two writers at once both land, and a
crash leaves the old file or the new one, never a broken one. It never loses a record: a
list written in flow style (`runs: [{...}]`) is refused with a message, text is written in
double quotes with line separators escaped, and the new file is read back with the very
reader that loads the ledger for a build (ledger.py) before it replaces the old one: it must
hold every record the old one held, in order, changed only as the command says.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from dataclasses import fields, replace
from pathlib import Path

import yaml

from ..files import exclusive_lock, write_atomically
from ..problems import ContentError, Problem, ProblemList
from .ledger import Run, load_ledger
from .markdown import MarkdownSettings
from .safe_yaml import compose
from .sources import MAX_LEDGER_BYTES, read_text


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
        text, newline, bom, ledger = _read_for_change(path, shown, slugs, languages, markdown)
        problems = ProblemList()
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


def _read_for_change(path: Path, shown: str, slugs, languages, markdown):
    """(text, newline, byte-order mark, the ledger it holds) of the ledger at `path`."""
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
    return text, newline, bom, ledger


def _run_node(text: str, run_id: str, shown: str) -> yaml.MappingNode:
    """The YAML node of the run `run_id` in the ledger's text (block style only)."""
    node = compose(text) if text.strip() else None
    runs = None
    if isinstance(node, yaml.MappingNode):
        runs = next((v for k, v in node.value if k.value == "runs"), None)
    if not isinstance(runs, yaml.SequenceNode) or runs.flow_style:
        raise ContentError([Problem(shown, None, (
            "the runs are not a list of '- id: ...' records; write them as the schema at the "
            "top of the file shows, then run the command again; nothing was written"
        ))])  # fmt: skip
    for item in runs.value:
        if isinstance(item, yaml.MappingNode) and any(
            k.value == "id" and v.value == run_id for k, v in item.value
        ):
            if item.flow_style:
                raise ContentError([Problem(shown, item.start_mark.line + 1, (
                    f"run '{run_id}' is written in flow style ({{...}}); write it as "
                    "'key: value' lines, then run the command again; nothing was written"
                ))])  # fmt: skip
            return item
    raise AssertionError(run_id)  # the caller checked that the run exists


def deliver_run(
    path: Path,
    shown: str,
    run_id: str,
    date: datetime.date | None,
    slugs: set[str],
    languages: list[str],
    *,
    lock_path: Path | None = None,
    markdown: MarkdownSettings | None = None,
) -> Run:
    """Mark the run `run_id` delivered (and set its date, when given), in place.

    Raises ContentError, with nothing written, for an unknown run (with the ids that are
    close), a run delivered already, or a ledger this cannot change line by line.
    """
    with locked(path, lock_path):
        text, newline, bom, ledger = _read_for_change(path, shown, slugs, languages, markdown)
        run = ledger.run(run_id)
        if run is None:
            ids = [item.id for item in ledger.runs]
            close = difflib.get_close_matches(run_id, ids, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ContentError([Problem(shown, None, (
                f"there is no run '{run_id}'{hint}; the runs are: {', '.join(ids) or 'none'}"
            ))])  # fmt: skip
        if run.status == "delivered":
            raise ContentError([Problem(shown, None, (
                f"run '{run_id}' is delivered already; nothing was written"
            ))])  # fmt: skip
        node = _run_node(text, run_id, shown)
        lines = text.split("\n")
        keys = {key.value: (key, value) for key, value in node.value}
        status_key, status_value = keys["status"]
        line = status_value.start_mark.line
        lines[line] = (
            lines[line][: status_value.start_mark.column] + "delivered"
            + lines[line][status_value.end_mark.column :]
        )  # fmt: skip
        if date is not None:
            if "date" in keys:
                date_value = keys["date"][1]
                at = date_value.start_mark.line
                lines[at] = (
                    lines[at][: date_value.start_mark.column] + date.isoformat()
                    + lines[at][date_value.end_mark.column :]
                )  # fmt: skip
            else:
                indent = " " * status_key.start_mark.column
                lines.insert(status_key.start_mark.line + 1, f"{indent}date: {date.isoformat()}")
        new_text = "\n".join(lines)
        problems = ProblemList()
        new = load_ledger(path, shown, slugs, languages, problems, new_text, markdown)
        problems.raise_if_any()
        delivered = replace(run, status="delivered", date=date or run.date)
        expected = tuple(delivered if item.id == run_id else item for item in ledger.runs)
        if (new.runs, new.distributions) != (expected, ledger.distributions):
            raise ContentError([Problem(shown, None, (
                "the ledger is laid out in a way this command cannot change without changing "
                "other records; nothing was written: set the run's status by hand"
            ))])  # fmt: skip
        write_atomically(path, new_text, newline=newline, bom=bom)
    return delivered
