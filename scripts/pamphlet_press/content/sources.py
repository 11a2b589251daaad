"""Reading source files: text, YAML mappings with line numbers, front matter, typed records.

Every source an editor writes (a pamphlet's `<lang>.md`, `pamphlet.yml`, `facts.yml`, the
interface strings, the ledger) goes through here, so that every file gets the same
treatment: it must be a regular file inside the project (not a pipe, not a link to a file
elsewhere) of a bounded size, UTF-8 is required (a byte-order mark is dropped, CRLF becomes
LF), an empty file is an error, and a YAML mistake is reported with the file and the line
it is on. YAML is read by safe_yaml.py: no aliases, no tags, limited nesting, and every
value the text that was typed.

Records are plain dataclasses. `record_from_mapping` checks a parsed mapping against the
dataclass's fields and type hints (str, int, date, bool, Literal choices, optional fields,
list[str]) and reports unknown keys, missing keys and wrong types with their lines. A
number, a date or true/false is converted from its text strictly: `010` (octal in YAML
1.1), `18:00` (sexagesimal) or `1_000` is an error that says how to write it.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import stat
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml

from ..problems import ProblemList
from .safe_yaml import RefusedYAML, compose, scalar_text

T = TypeVar("T")

# Limits that keep one file from stalling a build. A pamphlet text is at most 200 thousand
# characters (catalog.py says so with its own message), which UTF-8 may take up to four
# bytes each to write.
MAX_SOURCE_BYTES = 4_000_000
# The settings of a pamphlet, the facts and the interface strings: a few kilobytes each.
MAX_YAML_BYTES = 256_000
# The ledger grows with every run; 2 MB is thousands of records and parses in about 3 s.
MAX_LEDGER_BYTES = 2_000_000
# Front matter holds a title, a summary and a few review fields.
MAX_FRONT_MATTER_CHARACTERS = 4_000


@dataclass(frozen=True)
class Entry:
    """A value read from YAML, with the line its key is on (1-based, in the file).

    A scalar's value is its text as written (None for an unquoted null, ~ or nothing);
    `quoted` says whether it was written in quotes (or as a block). When the value is itself
    a mapping, `children` holds its entries with their own lines; when it is a list,
    `items` holds an Entry for each item.
    """

    value: Any
    line: int
    children: dict[str, Entry] | None = None
    items: list[Entry] | None = None
    quoted: bool = False


def source_problem(path: Path, within: Path | None = None) -> str | None:
    """Why `path` cannot be read as a source, or None.

    A source must be a regular file: a named pipe would stall the build for ever, a device
    would read without end. With `within`, it must also lie inside that folder once links
    are followed: a link must not bring a file from elsewhere on the machine (a key, another
    project) into a page or a leaflet.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror}); check that it exists"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a pipe, a device or a folder); replace it with a text file"
    if within is not None:
        real, root = path.resolve(), within.resolve()
        if real != root and root not in real.parents:
            return (
                f"is a link to '{real}', outside the project; copy the file into the project "
                "instead of linking it"
            )
    return None


def read_text(
    path: Path,
    shown: str,
    problems: ProblemList,
    within: Path | None = None,
    max_bytes: int = MAX_SOURCE_BYTES,
) -> str | None:
    """Read a UTF-8 text file; report a file that is not UTF-8, is empty or too large, or
    is not a regular file (inside `within`, when given: see source_problem).

    `shown` is the path as the editor knows it (relative to the project). Returns None
    when the file cannot be used (the problem is then in `problems`).
    """
    problem = source_problem(path, within)
    if problem:
        problems.add(shown, None, problem)
        return None
    with open(path, "rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        problems.add(
            shown,
            None,
            f"is larger than {max_bytes // 1000} KB; no source needs that much: split or "
            "shorten it",
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.add(
            shown,
            line,
            f"is not UTF-8 text (byte 0x{data[error.start]:02x}); "
            "save the file with the UTF-8 encoding",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.add(shown, None, "is empty; write its content or delete the file")
        return None
    return text


def parse_mapping(
    text: str, shown: str, problems: ProblemList, first_line: int = 1
) -> dict[str, Entry] | None:
    """Parse YAML that must be a mapping; keep each key's line.

    `first_line` is the file line on which `text` starts (front matter starts on line 2).
    Returns None (with a problem added) when the YAML is broken, refused (safe_yaml.py) or
    not a mapping.
    """
    try:
        node = compose(text)
    except RefusedYAML as error:
        problems.add(shown, error.problem_mark.line + first_line, str(error.problem))
        return None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + first_line
        problems.add(
            shown,
            line,
            f"holds the control character U+{error.character:04X}, which YAML does not "
            "allow; delete it",
        )
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + first_line if mark else first_line
        reason = getattr(error, "problem", None) or str(error)
        problems.add(
            shown, line, f"YAML syntax error: {reason}; check the indentation, colons and quotes"
        )
        return None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        problems.add(
            shown,
            node.start_mark.line + first_line,
            "must be a YAML mapping of 'key: value' lines",
        )
        return None
    return _entries(node, shown, problems, first_line)


def _entries(
    node: yaml.MappingNode, shown: str, problems: ProblemList, first_line: int
) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + first_line
        if not isinstance(key_node, yaml.ScalarNode) or scalar_text(key_node) is None:
            problems.add(shown, line, "a key must be a name, like 'title'; write 'name: value'")
            continue
        key = key_node.value
        if key in entries:
            problems.add(shown, line, f"'{key}' is given twice; keep one")
            continue
        entries[key] = _entry(value_node, line, shown, problems, first_line)
    return entries


def _entry(node: yaml.Node, line: int, shown: str, problems: ProblemList, first_line: int) -> Entry:
    """The Entry of a node, built from its leaves up, so that every value keeps its line."""
    if isinstance(node, yaml.MappingNode):
        children = _entries(node, shown, problems, first_line)
        return Entry({k: v.value for k, v in children.items()}, line, children=children)
    if isinstance(node, yaml.SequenceNode):
        items = [
            _entry(item, item.start_mark.line + first_line, shown, problems, first_line)
            for item in node.value
        ]
        return Entry([item.value for item in items], line, items=items)
    return Entry(scalar_text(node), line, quoted=node.style is not None)


def split_front_matter(
    text: str, shown: str, problems: ProblemList
) -> tuple[dict[str, Entry], str, int] | None:
    """Split a Markdown file into its YAML front matter and its body.

    Returns (front matter, body, line on which the body starts), or None with a problem.
    """
    lines = text.split("\n")
    if lines[0].strip() != "---":
        problems.add(
            shown,
            1,
            "must begin with YAML front matter: a line '---', then 'title: ...', "
            "'summary: ...', 'status: draft', then a line '---'",
        )
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            break
    else:
        problems.add(shown, 1, "the front matter has no closing '---' line; add one after it")
        return None
    front = "\n".join(lines[1:index])
    if len(front) > MAX_FRONT_MATTER_CHARACTERS:
        problems.add(
            shown,
            2,
            f"the front matter is {len(front):,} characters long; it holds a title, a summary "
            f"and the review (at most {MAX_FRONT_MATTER_CHARACTERS:,} characters): shorten it",
        )
        return None
    matter = parse_mapping(front, shown, problems, first_line=2)
    if matter is None:
        return None
    body = "\n".join(lines[index + 1 :])
    return matter, body, index + 2


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(str(value))


WHOLE_NUMBER = re.compile(r"[-+]?[0-9]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_DIGITS = 15


def _whole_number(key: str, text: str) -> tuple[int | None, str | None]:
    """A whole number from its text, strictly: digits only, no leading zero."""
    digits = text.lstrip("+-")
    if WHOLE_NUMBER.fullmatch(text):
        if len(digits) > 1 and digits.startswith("0"):
            plain = digits.lstrip("0") or "0"
            return None, (
                f"'{key}' is written {text}: a number must not start with 0 (YAML 1.1 reads "
                f"it as an octal number); write {text[: len(text) - len(digits)]}{plain}, or "
                f'put it in quotes ("{text}") in a field that is text'
            )
        if len(digits) > MAX_DIGITS:
            return None, f"'{key}' is {text}, far too large a number; check it"
        return int(text), None
    if ":" in text and re.fullmatch(r"[-+]?[0-9:]+", text):
        return None, (
            f"'{key}' is written {text}: YAML 1.1 reads numbers with ':' as base 60 (18:00 as "
            f"1080); '{key}' must be a whole number, written with digits only"
        )
    if re.fullmatch(r"[-+]?[0-9][0-9_ ,.']*", text):
        return None, (
            f"'{key}' must be a whole number written with digits only, without separators or a "
            f"decimal point; got {text!r}"
        )
    return None, f"'{key}' must be a whole number; got {text!r}"


def _check_value(key: str, value: Any, hint: Any) -> tuple[Any, str | None]:
    """Check one value (the text of a scalar, None, a list or a dict) against a type hint;
    return (the converted value, None) or (None, message)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if value is None:
            return None, None
        return _check_value(key, value, options[0])
    if origin is Literal:
        choices = typing.get_args(hint)
        if value in choices:
            return value, None
        return None, f"'{key}' must be one of {', '.join(choices)}; got {_describe(value)}"
    if origin is list:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return [item.strip() for item in value], None
        return None, f"'{key}' must be a list of names, like [en, az]; got {_describe(value)}"
    if not isinstance(value, str):
        what = {str: "text", int: "a whole number", bool: "true or false",
                datetime.date: "a date written as YYYY-MM-DD"}.get(hint, str(hint))  # fmt: skip
        return None, f"'{key}' must be {what}; got {_describe(value)}"
    text = value.strip()
    if hint is str:
        if not text:
            return None, f"'{key}' must not be empty"
        return text, None
    if hint is int:
        return _whole_number(key, text)
    if hint is bool:
        if text in ("true", "false"):
            return text == "true", None
        return None, f"'{key}' must be true or false; got {_describe(value)}"
    if hint is datetime.date:
        if ISO_DATE.fullmatch(text):
            try:
                return datetime.date.fromisoformat(text), None
            except ValueError:
                pass
        return None, f"'{key}' must be a date written as YYYY-MM-DD; got {_describe(value)}"
    raise TypeError(f"no check for {hint!r}")  # a programming error, not a user's


def record_from_mapping(
    cls: type[T],
    entries: dict[str, Entry],
    shown: str,
    problems: ProblemList,
    line_of_mapping: int | None = 1,
) -> T | None:
    """Build the dataclass `cls` from parsed YAML, reporting every problem with its line.

    A field is required when it has no default. Unknown keys are errors (a typo such as
    'stauts' must not be silently ignored). Returns None when anything was wrong.
    """
    hints = typing.get_type_hints(cls)
    fields = {field.name: field for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
    before = len(problems)
    values: dict[str, Any] = {}
    for key, entry in entries.items():
        if key not in fields:
            problems.add(
                shown,
                entry.line,
                f"'{key}' is not a known key; the known keys are {', '.join(fields)}",
            )
            continue
        value, message = _check_value(key, entry.value, hints[key])
        if message:
            problems.add(shown, entry.line, message)
        else:
            values[key] = value
    for name, field in fields.items():
        required = (
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
        if required and name not in entries:
            problems.add(shown, line_of_mapping, f"'{name}' is missing; add a line '{name}: ...'")
    if len(problems) > before:
        return None
    return cls(**values)
