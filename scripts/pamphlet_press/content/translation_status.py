"""Translation status: which texts are missing, draft, reviewed or outdated.

Each pamphlet has a source language (pamphlet.yml). A translation records the version of
the source text it was made from, in its front matter:

    translated_from: 3f9a1c0b2d4e      # the source's `version` when the translation was made

The version is a fingerprint of the source's title, summary and Markdown as written (facts
are not part of it: a new hotline number changes no translation). When the source changes,
its version changes and the translation is **outdated**. If the project is a git checkout,
the source text the translation was made from is found in the history: the status then
says since when the translation is behind and shows what changed (a diff).
"""

from __future__ import annotations

import datetime
import difflib
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from .catalog import Catalog, Pamphlet, Translation, version_of_text

State = Literal["missing", "draft", "reviewed", "outdated"]


@dataclass(frozen=True)
class TranslationStatus:
    pamphlet: str
    language: str
    state: State
    is_source: bool = False
    review: str = ""  # draft or reviewed, also for an outdated text
    outdated_since: str = ""  # date of the first source change after the translation's base
    source_changes: str = ""  # unified diff of the source text since the translation's base
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "pamphlet": self.pamphlet,
            "language": self.language,
            "state": self.state,
            "is_source": self.is_source,
            "review": self.review,
            "outdated_since": self.outdated_since,
            "reason": self.reason,
        }


def _split(text: str) -> tuple[dict, str] | None:
    if not text.startswith("---"):
        return None
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        return None
    try:
        front = yaml.safe_load(parts[0].removeprefix("---")) or {}
    except yaml.YAMLError:
        return None
    body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    return front, body


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return None
    return result.stdout if result.returncode == 0 else None


@dataclass(frozen=True)
class _SourceVersion:
    commit: str
    date: str
    version: str
    text: str


def source_history(root: Path, relative: str) -> list[_SourceVersion]:
    """The committed versions of a source file, oldest first (empty outside git)."""
    log = _git(root, "log", "--reverse", "--format=%H %cs", "--", relative)
    history = []
    for line in (log or "").splitlines():
        commit, date = line.split(" ", 1)
        text = _git(root, "show", f"{commit}:{relative}")
        parsed = _split(text.replace("\r\n", "\n")) if text else None
        if parsed is None:
            continue
        front, body = parsed
        version = version_of_text(str(front.get("title", "")), str(front.get("summary", "")), body)
        history.append(_SourceVersion(commit, date, version, body))
    return history


def _outdated(catalog: Catalog, source: Translation, translation: Translation) -> TranslationStatus:
    base = translation.front.translated_from
    status = dict(
        pamphlet=translation.slug,
        language=translation.language,
        state="outdated",
        review=translation.front.status,
    )
    if not base:
        return TranslationStatus(
            **status,  # type: ignore[arg-type]
            reason="it does not say which version of the source it was made from (translated_from)",
        )
    history = source_history(catalog.settings.root, source.path)
    index = next((i for i, item in enumerate(history) if item.version == base), None)
    if index is None:
        return TranslationStatus(
            **status,  # type: ignore[arg-type]
            reason=f"the source version {base} it was made from is not in the history",
        )
    since = next(
        (item.date for item in history[index + 1 :] if item.version != base),
        datetime.date.today().isoformat(),  # changed, but not committed yet
    )
    diff = "".join(
        difflib.unified_diff(
            history[index].text.strip().splitlines(keepends=True),
            source.source_text.strip().splitlines(keepends=True),
            fromfile=f"{source.path} (version {base}, {history[index].date})",
            tofile=f"{source.path} (now, version {source.version})",
        )
    )
    return TranslationStatus(
        **status,  # type: ignore[arg-type]
        outdated_since=since,
        source_changes=diff,
        reason=f"the source changed on {since}",
    )


def translation_status(catalog: Catalog, pamphlet: Pamphlet, language: str) -> TranslationStatus:
    translation = pamphlet.translations.get(language)
    source_language = pamphlet.settings.source_language
    if translation is None:
        return TranslationStatus(pamphlet.slug, language, "missing")
    if language == source_language:
        return TranslationStatus(
            pamphlet.slug, language, translation.front.status, True, translation.front.status
        )
    source = pamphlet.translations[source_language]
    if translation.front.translated_from == source.version:
        return TranslationStatus(
            pamphlet.slug, language, translation.front.status, False, translation.front.status
        )
    return _outdated(catalog, source, translation)


def status_matrix(catalog: Catalog) -> list[TranslationStatus]:
    return [
        translation_status(catalog, pamphlet, language)
        for pamphlet in catalog.pamphlets
        for language in catalog.settings.language_codes
    ]


def is_outdated(catalog: Catalog, pamphlet: Pamphlet, language: str) -> bool:
    """Cheap check (no git): does a translation lag behind its source?"""
    translation = pamphlet.translations.get(language)
    source = pamphlet.translations.get(pamphlet.settings.source_language)
    if translation is None or source is None or translation is source:
        return False
    return translation.front.translated_from != source.version


def new_translation_text(pamphlet: Pamphlet, language: str) -> str:
    """A new <lang>.md to translate: the source text with its front matter filled in."""
    source = pamphlet.translations[pamphlet.settings.source_language]
    front = {
        "title": source.front.title,
        "summary": source.front.summary,
        "status": "draft",
        "translated_from": source.version,
    }
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return (
        f"---\n# Translate the title, the summary and the text below from "
        f"{pamphlet.settings.source_language}.md into '{language}'; keep the Markdown and the "
        "{{ fact.NAME }} references as they are. translated_from records the version of the "
        "source this is made from.\n"
        f"{head}---\n{source.source_text}"
    )


def status_table(catalog: Catalog, matrix: list[TranslationStatus]) -> str:
    """The matrix as plain text for a terminal, then the outdated translations and why."""
    codes = catalog.settings.language_codes
    width = max((len(pamphlet.slug) for pamphlet in catalog.pamphlets), default=8)
    lines = ["pamphlet".ljust(width) + "  " + "  ".join(code.ljust(22) for code in codes)]
    by_key = {(item.pamphlet, item.language): item for item in matrix}
    for pamphlet in catalog.pamphlets:
        cells = []
        for code in codes:
            item = by_key[(pamphlet.slug, code)]
            text = item.state + (" (source)" if item.is_source else "")
            if item.state == "outdated":
                text += f" {item.outdated_since or '?'}"
            cells.append(text.ljust(22))
        lines.append(pamphlet.slug.ljust(width) + "  " + "  ".join(cells))
    outdated = [item for item in matrix if item.state == "outdated"]
    if outdated:
        lines.append("\nOutdated translations (see `pamphlets translate SLUG LANG`):")
        lines.extend(f"  {item.pamphlet} ({item.language}): {item.reason}" for item in outdated)
    return "\n".join(lines) + "\n"
