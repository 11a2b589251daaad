"""A new pamphlet, laid out as the catalog expects it (`pamphlets new SLUG`):

    pamphlets/<slug>/pamphlet.yml        order (after the others), source language, format,
                                         edition (today)
    pamphlets/<slug>/<source>.md         front matter (title, summary, status: draft) and a
                                         first heading, to write over

The source language is the one most pamphlets are written in (else the site's default).
"""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path

from ..problems import ProblemList
from ..settings import ProjectSettings
from .catalog import SLUG
from .sources import parse_mapping, read_text

MAX_SLUG_LENGTH = 60

TEXT = """---
title: {title}
summary: "One or two plain sentences: what this pamphlet tells, and for whom."
status: draft
---

What a reader must know first, in one short paragraph. (No heading here: the title is
the heading.)

## A first section

Short sentences; "you"; one idea a paragraph. Numbers and phone numbers that can change
go into pamphlets/facts.yml and are written here as fact references (see the README, "A
pamphlet in one language").
"""


def _settings_of_others(settings: ProjectSettings) -> list[dict]:
    found = []
    for path in sorted(settings.pamphlets_dir.glob("*/pamphlet.yml")):
        problems = ProblemList()
        text = read_text(path, settings.shown(path), problems)
        entries = parse_mapping(text, settings.shown(path), problems) if text else None
        if entries:
            found.append({key: entry.value for key, entry in entries.items()})
    return found


def new_pamphlet(settings: ProjectSettings, slug: str, format_name: str) -> list[Path]:
    """Write a new pamphlet's files; returns them (pamphlet.yml, then the text). Raises
    ContentError (nothing written) for a bad slug, a pamphlet that exists, or an unknown
    format."""
    problems = ProblemList()
    folder = settings.pamphlets_dir / slug
    shown = settings.shown(folder)
    if not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG_LENGTH:
        problems.add(
            shown, None, f"a pamphlet's name must be lower-case letters, digits and '-', at most "
            f"{MAX_SLUG_LENGTH} characters, like housing-rights",
        )  # fmt: skip
    elif folder.exists():
        problems.add(shown, None, "exists already; choose another name")
    if format_name not in settings.pdf.formats:
        problems.add(
            shown, None, f"'{format_name}' is not a leaflet format; use one of "
            f"{', '.join(settings.pdf.formats)}",
        )  # fmt: skip
    problems.raise_if_any()
    others = _settings_of_others(settings)
    # Values are the text typed (safe_yaml.py): an order is a whole number written in digits.
    orders = [int(item["order"]) for item in others if str(item.get("order", "")).isdigit()]
    sources = Counter(str(item.get("source_language")) for item in others)
    source = next(
        (code for code, _ in sources.most_common() if code in settings.language_codes),
        settings.default_language,
    )
    folder.mkdir(parents=True)
    pamphlet_yml = folder / "pamphlet.yml"
    pamphlet_yml.write_text(
        "# Settings of this pamphlet. See the README (\"Add a pamphlet\").\n"
        f"order: {max(orders, default=0) + 1}\n"
        f"source_language: {source}\n"
        f"format: {format_name}\n"
        f"edition: {datetime.date.today().isoformat()}\n",
        encoding="utf-8",
    )
    text = folder / f"{source}.md"
    title = slug.replace("-", " ").capitalize()
    text.write_text(TEXT.format(title=title), encoding="utf-8")
    return [pamphlet_yml, text]
