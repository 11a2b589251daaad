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
import re
import subprocess
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

import yaml

from ..problems import ProblemList
from .catalog import Catalog, Pamphlet, Translation, version_of_text
from .sources import MAX_FRONT_MATTER_CHARACTERS, parse_mapping

# missing: no file; untranslated: a stub waiting for a translator (not published).
State = Literal["missing", "untranslated", "draft", "reviewed", "outdated"]

# A word, for counting what a translator has to do: letters and digits, with the marks and
# joiners of Persian and Azerbaijani words (ZWNJ inside a Persian word keeps it one word).
WORD = re.compile(r"[^\W_](?:[\w\u200c'’-]*[^\W_])?")
FACT_OR_LINK_TARGET = re.compile(r"\{\{[^}]*\}\}|\]\([^)]*\)")


@lru_cache(maxsize=2048)  # every translation of a pamphlet counts the same source's words
def count_words(text: str) -> int:
    """Words a translator translates: fact references and link targets do not count."""
    return len(WORD.findall(FACT_OR_LINK_TARGET.sub("]", text)))


def source_words(source: Translation) -> int:
    return count_words(f"{source.front.title}\n{source.front.summary}\n{source.source_text}")


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
    # Words of the source text; words still to translate (all of them for a missing or
    # untranslated text, those of the changed lines for an outdated one).
    words: int = 0
    to_translate: int = 0

    def as_dict(self) -> dict:
        return {
            "pamphlet": self.pamphlet,
            "language": self.language,
            "state": self.state,
            "is_source": self.is_source,
            "review": self.review,
            "outdated_since": self.outdated_since,
            "reason": self.reason,
            "words": self.words,
            "to_translate": self.to_translate,
        }


def _split(text: str) -> tuple[dict, str] | None:
    """(front matter values, body) of a text as git holds it, read as safely as the
    sources (content/safe_yaml.py: an old version with an alias bomb must not stall)."""
    if not text.startswith("---"):
        return None
    parts = text.split("\n---", 1)
    if len(parts) != 2 or len(parts[0]) > MAX_FRONT_MATTER_CHARACTERS:
        return None
    entries = parse_mapping(parts[0].removeprefix("---"), "", ProblemList())
    if entries is None:
        return None
    front = {key: entry.value for key, entry in entries.items()}
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


@cache
def _in_git_work_tree(root: Path) -> bool:
    """Whether the project is in a git repository (asked once per process: outside one, a
    status of many outdated translations would run git for each, in vain)."""
    return (_git(root, "rev-parse", "--is-inside-work-tree") or "").strip() == "true"


def source_history(root: Path, relative: str) -> list[_SourceVersion]:
    """The committed versions of a source file, oldest first (empty outside git)."""
    if not _in_git_work_tree(root):
        return []
    head = _git(root, "rev-parse", "HEAD")
    # Every translation of a pamphlet asks for the same source's history: read once per
    # commit of the repository (a new commit may add a version).
    return list(_history_at(root, relative, head)) if head else []


@lru_cache(maxsize=256)
def _history_at(root: Path, relative: str, head: str) -> tuple[_SourceVersion, ...]:
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
    return tuple(history)


def snapshot_dir(catalog: Catalog, slug: str) -> Path:
    """Where the source texts translations were made from are kept on this machine, so that
    what changed since can be shown even when that version was never committed."""
    return catalog.settings.cache_dir / "sources" / slug


def keep_source_version(catalog: Catalog, source: Translation) -> None:
    """Keep the source text as it is now (its version's file), for later diffs."""
    folder = snapshot_dir(catalog, source.slug)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{source.version}.md"
    if not target.exists():
        target.write_text(source.source_text, encoding="utf-8")


def base_source_text(catalog: Catalog, source: Translation, base: str) -> tuple[str, str] | None:
    """(the source text of version `base`, its date) from git history, else from the texts
    kept on this machine; None if neither has it."""
    history = source_history(catalog.settings.root, source.path)
    index = next((i for i, item in enumerate(history) if item.version == base), None)
    if index is not None:
        since = next(
            (item.date for item in history[index + 1 :] if item.version != base),
            datetime.date.today().isoformat(),  # changed, but not committed yet
        )
        return history[index].text, since
    kept = snapshot_dir(catalog, source.slug) / f"{base}.md"
    if kept.exists():
        changed = datetime.date.fromtimestamp(source_mtime(catalog, source)).isoformat()
        return kept.read_text(encoding="utf-8"), changed
    return None


def source_mtime(catalog: Catalog, source: Translation) -> float:
    return (catalog.settings.root / source.path).stat().st_mtime


def _outdated(catalog: Catalog, source: Translation, translation: Translation) -> TranslationStatus:
    base = translation.front.translated_from
    status = dict(
        pamphlet=translation.slug,
        language=translation.language,
        state="outdated",
        review=translation.front.status,
        words=source_words(source),
    )
    if not base:
        return TranslationStatus(
            **status,  # type: ignore[arg-type]
            reason="it does not say which version of the source it was made from (translated_from)",
        )
    found = base_source_text(catalog, source, base)
    if found is None:
        return TranslationStatus(
            **status,  # type: ignore[arg-type]
            reason=f"the source version {base} it was made from is neither in the git history "
            "nor kept on this machine; compare the texts by hand",
            to_translate=status["words"],
        )
    base_text, since = found
    diff = "".join(
        difflib.unified_diff(
            base_text.strip().splitlines(keepends=True),
            source.source_text.strip().splitlines(keepends=True),
            fromfile=f"{source.path} (version {base})",
            tofile=f"{source.path} (now, version {source.version})",
        )
    )
    changed = sum(
        count_words(line[1:])
        for line in diff.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    )
    return TranslationStatus(
        **status,  # type: ignore[arg-type]
        outdated_since=since,
        source_changes=diff,
        reason=f"the source changed on {since}",
        to_translate=changed,
    )


def translation_status(catalog: Catalog, pamphlet: Pamphlet, language: str) -> TranslationStatus:
    translation = pamphlet.translations.get(language)
    source_language = pamphlet.settings.source_language
    source = pamphlet.translations[source_language]
    words = source_words(source)
    if language in pamphlet.untranslated:
        return TranslationStatus(pamphlet.slug, language, "untranslated", words=words,
                                 to_translate=words)  # fmt: skip
    if translation is None:
        return TranslationStatus(pamphlet.slug, language, "missing", words=words,
                                 to_translate=words)  # fmt: skip
    state = translation.front.status
    if language == source_language:
        return TranslationStatus(pamphlet.slug, language, state, True, state, words=words)
    if translation.front.translated_from == source.version:
        return TranslationStatus(pamphlet.slug, language, state, False, state, words=words)
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
    """A stub <lang>.md to translate: the source text, with its front matter filled in and
    `status: untranslated`, so that it is not published until a translator says it is done
    (`pamphlets translate --done`, or status: draft)."""
    source = pamphlet.translations[pamphlet.settings.source_language]
    front = {
        "title": source.front.title,
        "summary": source.front.summary,
        "status": "untranslated",
        "translated_from": source.version,
    }
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return (
        f"---\n# Translate the title, the summary and the text below from "
        f"{pamphlet.settings.source_language}.md into '{language}'; keep the Markdown and the "
        "{{ fact.NAME }} references as they are. It is not published while its status is "
        "untranslated: when it is done, run `pamphlets translate --done "
        f"{pamphlet.slug} {language}`.\n"
        f"{head}---\n{source.source_text}"
    )


def status_table(catalog: Catalog, matrix: list[TranslationStatus]) -> str:
    """The matrix as plain text for a terminal, then the outdated translations and why."""
    codes = catalog.settings.language_codes
    width = max([len("pamphlet")] + [len(pamphlet.slug) for pamphlet in catalog.pamphlets])
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
    lines.append("")
    lines.append("Words, per language: the source texts, still to translate (missing and")
    lines.append("untranslated texts whole, outdated ones by the changed lines of the source):")
    for code in codes:
        items = [item for item in matrix if item.language == code]
        total = sum(item.words for item in items)
        left = sum(item.to_translate for item in items)
        lines.append(f"  {code}: {total} words, {left} to translate")
    outdated = [item for item in matrix if item.state == "outdated"]
    if outdated:
        lines.append("\nOutdated translations (see `pamphlets translate SLUG LANG`):")
        lines.extend(f"  {item.pamphlet} ({item.language}): {item.reason}" for item in outdated)
    return "\n".join(lines) + "\n"


STUB_COMMENT = "# Translate the title, the summary and the text below"


def marked_translated(text: str, version: str) -> str:
    """A translation's file text, with its front matter saying that it follows the source
    version `version`: `translated_from` set, a stub's `status: untranslated` turned into
    `status: draft`, the stub's instructions removed. Everything else stays as written."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ValueError("the file does not begin with front matter ('---')")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise ValueError("the front matter has no closing '---' line")
    front = [line for line in lines[1:end] if not line.startswith(STUB_COMMENT)]
    front = [
        "status: draft" if re.fullmatch(r"status:\s*untranslated\s*", line) else line
        for line in front
    ]
    recorded = f"translated_from: {version}"
    for index, line in enumerate(front):
        if re.match(r"translated_from\s*:", line):
            front[index] = recorded
            break
    else:
        front.append(recorded)
    return "\n".join(["---", *front, *lines[end:]])
