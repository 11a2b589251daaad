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

An unknown name is an error naming the file and line; `stale_facts` lists the facts
that were checked longer ago than the project allows.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..problems import ProblemList
from .sources import parse_mapping, read_text, record_from_mapping

FACT_REFERENCE = re.compile(r"\{\{\s*fact\.([A-Za-z0-9_]+)\s*\}\}")
FACT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
TEL_NUMBER = re.compile(r"^\+?[0-9]+$")


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


def load_facts(path: Path, shown: str, problems: ProblemList) -> dict[str, Fact | None]:
    """Read and check `facts.yml`. A missing file means no facts.

    A fact with a problem is kept as None, so that references to it are not reported again
    as unknown names: the editor sees the one real problem.
    """
    if not path.exists():
        return {}
    text = read_text(path, shown, problems)
    if text is None:
        return {}
    entries = parse_mapping(text, shown, problems)
    if entries is None:
        return {}
    facts: dict[str, Fact | None] = {name: None for name in entries}
    for name, entry in entries.items():
        if not FACT_NAME.match(name):
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
        if fact.kind == "phone" and not (fact.tel and TEL_NUMBER.match(fact.tel)):
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
        facts[name] = fact
    return facts


def expand_facts(
    text: str,
    facts: dict[str, Fact | None],
    shown: str,
    first_line: int,
    problems: ProblemList,
) -> str:
    """Replace every {{ fact.NAME }} in Markdown; report unknown names with their line."""

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
            f"unknown fact '{name}'; use one of the names in pamphlets/facts.yml "
            f"({known}) or add it there",
        )
        return match.group(0)

    return FACT_REFERENCE.sub(replace, text)


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
