"""Reading source files: text, YAML mappings with line numbers, front matter, typed records.

Every source an editor writes (a pamphlet's `<lang>.md`, `pamphlet.yml`, `facts.yml`, the
interface strings) goes through here, so that every file gets the same treatment: UTF-8 is
required (a byte-order mark is dropped, CRLF becomes LF), an empty file is an error, and a
YAML mistake is reported with the file and the line it is on.

Records are plain dataclasses. `record_from_mapping` checks a parsed mapping against the
dataclass's fields and type hints (str, int, date, bool, Literal choices, optional fields,
list[str]) and reports unknown keys, missing keys and wrong types with their lines.
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml

from ..problems import ProblemList

T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """A value read from YAML, with the line its key is on (1-based, in the file).

    When the value is itself a mapping, `children` holds its entries with their own lines;
    when it is a list, `items` holds an Entry for each item.
    """

    value: Any
    line: int
    children: dict[str, Entry] | None = None
    items: list[Entry] | None = None


def read_text(path: Path, shown: str, problems: ProblemList) -> str | None:
    """Read a UTF-8 text file; report a file that is not UTF-8 or is empty.

    `shown` is the path as the editor knows it (relative to the project). Returns None
    when the file cannot be used (the problem is then in `problems`).
    """
    data = path.read_bytes()
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
    Returns None (with a problem added) when the YAML is broken or not a mapping.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
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
        key = str(key_node.value)
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
    try:
        value = yaml.SafeLoader("").construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError):
        # A value YAML takes for a date or a number but cannot read (2026-13-45): keep the
        # text, so that the field's check says what was expected.
        value = node.value
    return Entry(value, line)


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
    matter = parse_mapping("\n".join(lines[1:index]), shown, problems, first_line=2)
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


def _check_value(key: str, value: Any, hint: Any) -> tuple[Any, str | None]:
    """Check one value against a type hint; return (value, None) or (None, message)."""
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
            return value, None
        return None, f"'{key}' must be a list of names, like [en, az]; got {_describe(value)}"
    if hint is str:
        # YAML reads 15 or 1.5 as numbers; for a text field the editor meant the text.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return None, f"'{key}' must be text; got {_describe(value)}"
        if not value.strip():
            return None, f"'{key}' must not be empty"
        return value.strip(), None
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        return None, f"'{key}' must be a whole number; got {_describe(value)}"
    if hint is bool:
        if isinstance(value, bool):
            return value, None
        return None, f"'{key}' must be true or false; got {_describe(value)}"
    if hint is datetime.date:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value, None
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
