"""Reading YAML safely, and as it was written.

PyYAML speaks YAML 1.1, and an editor's file should not be able to make a build slow or
change what it says:

- **Aliases and anchors are refused** (`&a` / `*a`). Seven lines of them make a 340-byte
  file that takes minutes and gigabytes to expand; a pamphlet's settings, the facts, the
  interface strings and the ledger never need them.
- **Nesting is limited** (`MAX_DEPTH`): the deepest source, the ledger, is three levels deep.
- **Tags are refused** (`!!python/...`, `!!binary`, `!custom`).
- **Scalars stay text, as typed.** YAML 1.1 reads `0125105050` as an octal number (the site
  would dial another number), `345.50` as 345.5, `18:00` as 1080 and `yes` as true. Here a
  scalar is the text that was written; only `null`, `~` and an empty value mean "nothing".
  A field that wants a number, a date or true/false converts the text itself, strictly
  (sources.py), and says how to write it when it cannot.
- **Line separators are refused.** YAML 1.1 takes U+2028, U+2029 and U+0085 for line
  breaks, Python and editors do not: the lines YAML reports would no longer be the file's,
  and a tool that edits the file by its lines (`pamphlets runs add`) would cut a record.

The composer stops at the first problem and reports its line; the problem is raised as a
`yaml.MarkedYAMLError`, so a caller handles it like any YAML syntax error.
"""

from __future__ import annotations

import yaml

# The ledger is the deepest source: the file's mapping, its `runs` list, a record (3).
MAX_DEPTH = 6
LINE_SEPARATORS = {"\u2028": "U+2028 LINE SEPARATOR", "\u2029": "U+2029 PARAGRAPH SEPARATOR",
                   "\x85": "U+0085 NEXT LINE"}  # fmt: skip
NOTHING = {"", "~", "null", "Null", "NULL"}


class RefusedYAML(yaml.MarkedYAMLError):
    """Something YAML allows but the sources must not hold (an alias, a tag, deep nesting)."""


class _Composer(yaml.SafeLoader):
    """PyYAML's safe reader and composer, refusing aliases, anchors, tags and deep nesting.

    Only `compose` is used: nothing is ever constructed into Python objects by YAML's
    (1.1) rules; sources.py reads the nodes' text.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 (PyYAML's signature)
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise RefusedYAML(
                None, None,
                f"an alias (*{event.anchor}) repeats a value marked elsewhere; YAML aliases are "
                "not allowed here: write the value out in full",
                event.start_mark,
            )  # fmt: skip
        if getattr(event, "anchor", None):
            raise RefusedYAML(
                None, None,
                f"an anchor (&{event.anchor}) marks a value to repeat; YAML anchors and aliases "
                "are not allowed here: remove it and write each value out in full",
                event.start_mark,
            )  # fmt: skip
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise RefusedYAML(
                None, None,
                f"a YAML tag ({tag}) is not allowed here; write the plain value (put it in "
                "quotes if it is text)",
                event.start_mark,
            )  # fmt: skip
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise RefusedYAML(
                    None, None,
                    f"lists and mappings are nested more than {MAX_DEPTH} levels deep; no "
                    "source needs that many: flatten it",
                    event.start_mark,
                )  # fmt: skip
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
        return super().compose_node(parent, index)


def line_separator(text: str) -> tuple[int, str] | None:
    """(line from 1, the character's name) of the first line separator YAML would break
    at but the file does not, if any."""
    for character, name in LINE_SEPARATORS.items():
        index = text.find(character)
        if index >= 0:
            return text.count("\n", 0, index) + 1, name
    return None


def compose(text: str) -> yaml.Node | None:
    """The YAML node tree of `text` (one document), or None for an empty document.

    Raises yaml.YAMLError (with a mark where there is one) for broken or refused YAML.
    """
    found = line_separator(text)
    if found:
        line, name = found
        mark = yaml.Mark("", 0, line - 1, 0, None, None)
        raise RefusedYAML(
            None, None,
            f"the invisible character {name} breaks the line for YAML but not for the "
            r"editor; delete it (in a quoted text, write it as \u2028 if it is meant)",
            mark,
        )  # fmt: skip
    loader = _Composer(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def scalar_text(node: yaml.ScalarNode) -> str | None:
    """The value of a scalar as written: its text, or None for an unquoted null, ~ or empty.

    A quoted or block scalar is always text (`"null"` is the word null)."""
    if node.style is None and node.value in NOTHING:
        return None
    return node.value
