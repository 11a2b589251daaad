"""Facts that change: hotline numbers, fees, the minimum wage, deadlines.

They live once in `pamphlets/facts.yml`, each with its value, its source and the date it
was last checked, and pamphlets refer to them by name instead of repeating them in every
language:

    # pamphlets/facts.yml
    trafficking_hotline:
      value: "152"
      kind: phone          # shown as a tel: link
      tel: "152"
      source: https://insanalveri.gov.az/
      verified_on: 2025-06-01

    # pamphlets/trafficking-and-forced-labour/en.md
    Call the hotline {{ fact.trafficking_hotline }}, free of charge.

An unknown name is an error naming the file and line, and so is anything left of a
reference that was mistyped (`{{ fact.hotline }`, `{{ facts.hotline }}`, an invisible
character inside): after the facts are filled in, no `{{` or `}}` may remain. A fact's
value is one line of plain text without invisible direction or zero-width characters, and
the digits a phone fact shows are the digits its `tel:` dials. `stale_facts` lists the
facts that were checked longer ago than the project allows.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..problems import ProblemList, did_you_mean
from .markdown import MarkdownSettings, plain_text_problem
from .sources import MAX_YAML_BYTES, parse_mapping, read_text, record_from_mapping

FACT_REFERENCE = re.compile(r"\{\{\s*fact\.([A-Za-z0-9_]+)\s*\}\}")
FACT_NAME = re.compile(r"[a-z][a-z0-9_]*")
TEL_NUMBER = re.compile(r"\+?[0-9]+")
# What a reference mistyped leaves behind: braces, 'fact.' beside a brace, or a brace beside
# a reference (FILLED marks where one was filled in: {{ fact.hotline }}} leaves a '}').
FILLED = "\ue000"
GAP = r"(?:[^\S\n]|[\u200b-\u200f\u2060\ufeff])*"  # spaces, and invisible ones
LEFTOVER = re.compile(
    rf"\{{\{{|\}}\}}|\{{{GAP}facts?\.|\bfacts?\.[A-Za-z0-9_]+{GAP}\}}"
    rf"|\{{{GAP}{FILLED}|{FILLED}{GAP}\}}"
)
# How a phone number may be written around its digits: spaces, brackets, dashes, dots.
PHONE_DECORATION = re.compile(r"[\s().\-\u00a0\u202f]")


@dataclass(frozen=True)
class Fact:
    """One checked fact. `kind: phone` makes it a tel: link wherever it appears."""

    value: str
    source: str
    verified_on: datetime.date
    kind: Literal["text", "phone"] = "text"
    tel: str | None = None
    note: str | None = None
    # confirmed: somebody read `source` on `verified_on` and saw the value there.
    # unconfirmed: no source that states it could be read; a text must not state it as fact,
    # and a release build refuses a leaflet that uses it.
    status: Literal["confirmed", "unconfirmed"] = "confirmed"
    # For a phone: the languages its operators answer in, as the source says (codes: az, ru).
    languages: list[str] | None = None

    def as_markdown(self) -> str:
        """The Markdown that replaces a reference to this fact."""
        if self.kind == "phone" and self.tel:
            return f"[{self.value}](tel:{self.tel})"
        return self.value


def invisible_characters(text: str) -> list[str]:
    """The format characters in `text` (direction controls such as U+202E, zero-width
    spaces and joiners, the byte-order mark), as 'U+XXXX NAME'. They change what a reader
    sees without showing themselves: "+994 12 1234567" can dial ...7654321."""
    return [
        f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}"
        for c in dict.fromkeys(text)
        if unicodedata.category(c) == "Cf"
    ]


def _value_problem(name: str, fact: Fact, markdown: MarkdownSettings | None) -> str | None:
    """What is wrong with a fact's value (see the module's docstring), or None."""
    invisible = invisible_characters(fact.value + (fact.tel or ""))
    if invisible:
        return (
            f"fact '{name}' holds the invisible character {', '.join(invisible)}, which can "
            "make it show something other than it is; delete it (retype the value)"
        )
    if "\n" in fact.value:
        return f"fact '{name}': 'value' must be one line"
    if fact.kind == "phone":
        shown_digits = PHONE_DECORATION.sub("", fact.value)
        if shown_digits != fact.tel:
            return (
                f"fact '{name}' shows the number {fact.value!r} but dials {fact.tel!r}; the "
                "digits shown (and a leading +) must be the digits dialled: correct one of them"
            )
    problem = plain_text_problem("value", fact.value, markdown or MarkdownSettings())
    return f"fact '{name}': {problem}" if problem else None


def load_facts(
    path: Path,
    shown: str,
    problems: ProblemList,
    root: Path | None = None,
    markdown: MarkdownSettings | None = None,
) -> dict[str, Fact | None]:
    """Read and check `facts.yml`. A missing file means no facts.

    A fact with a problem is kept as None, so that references to it are not reported again
    as unknown names: the editor sees the one real problem. `root` is the project (the file
    must lie in it); `markdown` the site's Markdown settings (for the values' checks).
    """
    if not path.exists():
        return {}
    text = read_text(path, shown, problems, within=root, max_bytes=MAX_YAML_BYTES)
    if text is None:
        return {}
    entries = parse_mapping(text, shown, problems)
    if entries is None:
        return {}
    facts: dict[str, Fact | None] = {name: None for name in entries}
    for name, entry in entries.items():
        if not FACT_NAME.fullmatch(name):
            problems.add(
                shown,
                entry.line,
                f"fact name '{name}' must be lower-case letters, digits and '_', "
                "starting with a letter (like minimum_wage)",
            )
            continue
        if entry.children is None:
            problems.add(
                shown,
                entry.line,
                f"fact '{name}' must be a mapping with value, source and verified_on",
            )
            continue
        fact = record_from_mapping(Fact, entry.children, shown, problems, entry.line)
        if fact is None:
            continue
        if fact.kind == "phone" and not (fact.tel and TEL_NUMBER.fullmatch(fact.tel)):
            problems.add(
                shown,
                entry.line,
                f"fact '{name}' is a phone: give 'tel' as digits with an optional leading +, "
                'like tel: "+994503921331"',
            )
            continue
        if not fact.source.startswith(("https://", "http://")):
            problems.add(
                shown, entry.line, f"fact '{name}': 'source' must be a web address (https://...)"
            )
            continue
        problem = _value_problem(name, fact, markdown)
        if problem:
            problems.add(shown, entry.children["value"].line, problem)
            continue
        facts[name] = fact
    return facts


def expand_facts(
    text: str,
    facts: dict[str, Fact | None],
    shown: str,
    first_line: int,
    problems: ProblemList,
) -> str:
    """Replace every {{ fact.NAME }} in Markdown; report unknown names, and whatever is left
    of a mistyped reference, with their line."""

    before = len(problems)

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in facts:
            fact = facts[name]
            return fact.as_markdown() if fact else match.group(0)
        line = first_line + text.count("\n", 0, match.start())
        known = ", ".join(sorted(facts)) or "none"
        problems.add(
            shown,
            line,
            f"unknown fact '{name}'{did_you_mean(name, facts)}; use one of the names in "
            f"pamphlets/facts.yml ({known}) or add it there",
        )
        return match.group(0)

    expanded = FACT_REFERENCE.sub(replace, text)
    if len(problems) == before:
        # Every reference written right (filled in, or to a fact with a problem of its own)
        # becomes one mark; what is left around the marks is a mistyped reference.
        scanned = FACT_REFERENCE.sub(FILLED, text.replace(FILLED, " "))
        reported: set[int] = set()
        for match in LEFTOVER.finditer(scanned):
            line = first_line + scanned.count("\n", 0, match.start())
            if line in reported:
                continue  # one problem a line: '{{ facts.x }}' is one mistake, not two
            reported.add(line)
            start = scanned.rfind("\n", 0, match.start()) + 1
            end = scanned.find("\n", match.end())
            context = scanned[start : end if end >= 0 else len(scanned)].strip()[:60]
            context = context.replace(FILLED, "{{ fact }}")
            hidden = invisible_characters(context)
            problems.add(
                shown,
                line,
                f"'{match.group(0).replace(FILLED, '{{ fact }}')}' is left of a fact reference "
                "that is not written as "
                "{{ fact.NAME }}"
                + (f" (it holds the invisible {', '.join(hidden)})" if hidden else "")
                + f": {context!r}; write it as {{{{ fact.NAME }}}} with a name from "
                "pamphlets/facts.yml",
            )
    return expanded


def stale_facts(
    facts: dict[str, Fact | None], today: datetime.date, max_age_days: int
) -> list[tuple[str, Fact, int]]:
    """Facts last checked more than `max_age_days` ago: (name, fact, age in days), oldest first."""
    stale = [
        (name, fact, (today - fact.verified_on).days)
        for name, fact in facts.items()
        if fact and (today - fact.verified_on).days > max_age_days
    ]
    return sorted(stale, key=lambda item: -item[2])
