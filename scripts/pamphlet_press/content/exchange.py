"""Translations through a translation tool: a pamphlet's segments as a PO file, and back.

A volunteer who works in Weblate, Poedit or OmegaT gets one PO file per pamphlet and
language (`pamphlets export SLUG LANG`): each segment of the source text (the title, the
summary, every heading, paragraph, list item and table row) is an entry whose `msgid` is
the source and whose `msgstr` is the current translation, when there is one whose blocks
line up with the source. `pamphlets import FILE.po` writes the Markdown back:

- the translation's own file is the template when its blocks line up with the entries (so
  its layout, blank lines and front matter stay as they are), otherwise the source's;
- the Markdown around the text (heading marks, list markers, indentation, fenced code,
  attribute lists) is not in the entries and cannot be broken by a translator; inside an
  entry, `{{ fact.NAME }}` references and link targets must stay as they are (an entry that
  loses or adds one is refused, with the PO file's line);
- an entry left empty (or fuzzy) keeps the text the file had; while any is left, a new
  translation stays `status: untranslated` (not published);
- a reviewed text whose words change goes back to `status: draft`: the review was of the
  old text.

Export then import without a change gives back the file byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib
import yaml

from ..problems import ProblemList
from .catalog import Catalog, Pamphlet
from .markdown import PAMPHLET_LINK
from .sources import parse_mapping
from .translation_status import STUB_COMMENT, base_source_text, is_outdated

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")
LIST_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
QUOTE = re.compile(r"^(\s*>\s?)(.*)$")
SKELETON_LINE = re.compile(r"^\s*(\{:.*\}|<!--.*-->)\s*$")
PLACEHOLDER = re.compile(r"\{\{\s*fact\.[A-Za-z0-9_]+\s*\}\}")
LINK_TARGET = re.compile(r"\]\(([^)]*)\)")


@dataclass
class Unit:
    """One segment of a Markdown body: the lines it spans, the markup before its text on
    the first line, the indentation of its other lines, and its text."""

    kind: str
    first: int
    last: int
    prefix: str
    indents: list[str]
    text: str


def split_file(text: str) -> tuple[list[str], int]:
    """The file's lines and the index of the first body line (after the front matter)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ValueError("the file does not begin with front matter ('---')")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise ValueError("the front matter has no closing '---' line")
    return lines, end + 1


def body_units(lines: list[str], start: int) -> list[Unit]:
    """The segments of the body that begins at line index `start`."""
    units: list[Unit] = []
    current: Unit | None = None
    fence: str | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        fenced = FENCE.match(line)
        if fence or fenced:
            if fence and fenced and fenced.group(1) == fence:
                fence = None
            elif not fence:
                fence = fenced.group(1) if fenced else None
            current = None
            continue
        if not line.strip() or SKELETON_LINE.match(line) or TABLE_RULE.match(line):
            current = None
            continue
        for kind, pattern in (("heading", HEADING), ("item", LIST_ITEM), ("quote", QUOTE)):
            match = pattern.match(line)
            if match:
                current = Unit(kind, index, index, match.group(1), [], match.group(2))
                units.append(current)
                if kind != "item":
                    current = None  # headings and quote lines are one line each
                break
        else:
            if line.lstrip().startswith("|"):
                units.append(Unit("row", index, index, "", [], line))
                current = None
            elif current is not None:
                stripped = line.lstrip()
                current.indents.append(line[: len(line) - len(stripped)])
                current.text += "\n" + stripped
                current.last = index
            else:
                stripped = line.lstrip()
                current = Unit("paragraph", index, index, line[: len(line) - len(stripped)],
                               [], stripped)  # fmt: skip
                units.append(current)
    return units


def front_values(lines: list[str], body_start: int) -> dict:
    """The front matter's values as typed, read as safely as every source (safe_yaml.py)."""
    entries = parse_mapping("\n".join(lines[1 : body_start - 1]), "", ProblemList(), 2)
    return {key: entry.value for key, entry in (entries or {}).items()}


def _layout(units: list[Unit]) -> list[str]:
    return [unit.kind for unit in units]


@dataclass(frozen=True)
class Segments:
    """The entries of a PO file for one pamphlet in one language."""

    source: list[tuple[str, str, int]]  # (context, text, line in the source file)
    translated: list[str] | None  # the translation's texts, when its blocks line up


def segments(pamphlet: Pamphlet, language: str, root: Path) -> Segments:
    source = pamphlet.translations[pamphlet.settings.source_language]
    lines, start = split_file((root / source.path).read_text(encoding="utf-8"))
    units = body_units(lines, start)
    entries = [("title", source.front.title, 2), ("summary", source.front.summary, 3)]
    entries += [
        (f"{number:03d} {unit.kind}", unit.text, unit.first + 1)
        for number, unit in enumerate(units, start=1)
    ]
    target = pamphlet.translations.get(language)
    if target is None:
        return Segments(entries, None)
    target_lines, target_start = split_file((root / target.path).read_text(encoding="utf-8"))
    target_units = body_units(target_lines, target_start)
    if _layout(target_units) != _layout(units):
        return Segments(entries, None)
    texts = [target.front.title, target.front.summary] + [unit.text for unit in target_units]
    return Segments(entries, texts)


def export_po(catalog: Catalog, pamphlet: Pamphlet, language: str) -> polib.POFile:
    """The PO file of a pamphlet's segments for translation into `language`."""
    source = pamphlet.translations[pamphlet.settings.source_language]
    found = segments(pamphlet, language, catalog.settings.root)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"{pamphlet.slug} {pamphlet.settings.edition.isoformat()}",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Pamphlet": pamphlet.slug,
        "X-Source-Language": source.language,
        "X-Source-Version": source.version,
    }
    po.header = (
        f"{pamphlet.slug}: {source.front.title}, from {source.language} into {language}.\n"
        "Keep {{ fact.NAME }} references and the (targets) of links exactly as they are;\n"
        "translate the words around them. Headings, list markers and layout are not here:\n"
        "they stay as they are. Import with: pamphlets import THIS-FILE.po"
    )
    changed = _changed_since_translation(catalog, pamphlet, language, found)
    for index, (context, text, line) in enumerate(found.source):
        translated = found.translated[index] if found.translated else ""
        po.append(
            polib.POEntry(
                msgctxt=context,
                msgid=text,
                msgstr=translated,
                occurrences=[(source.path, str(line))],
                comment="Keep {{ fact.NAME }} and link targets." if (
                    PLACEHOLDER.search(text) or LINK_TARGET.search(text)) else "",
                # The source changed here since the translation was made: check it.
                flags=["fuzzy"] if translated and index in changed else [],
            )
        )  # fmt: skip
    return po


def _changed_since_translation(
    catalog: Catalog, pamphlet: Pamphlet, language: str, found: Segments
) -> set[int]:
    """The entries (by index) whose source changed since the translation was made: all of
    them when the source it was made from cannot be found or is laid out differently."""
    translation = pamphlet.translations.get(language)
    if translation is None or not is_outdated(catalog, pamphlet, language):
        return set()
    source = pamphlet.translations[pamphlet.settings.source_language]
    every = set(range(len(found.source)))
    base = base_source_text(catalog, source, translation.front.translated_from or "")
    if base is None:
        return every
    base_units = body_units(["---", "---", *base[0].split("\n")], 2)
    current = found.source[2:]
    if [unit.kind for unit in base_units] != [context.split()[1] for context, _t, _l in current]:
        return every
    # Title and summary are not in the kept text: count them as changed.
    return {0, 1} | {
        index + 2
        for index, (unit, (_context, text, _line)) in enumerate(zip(base_units, current,
                                                                     strict=True))
        if unit.text != text
    }


def _kept_parts(pattern: re.Pattern[str], text: str) -> list[str]:
    """What a translation must keep of a text: its fact references, and its link targets (a
    link to another pamphlet by the pamphlet only: its language and anchor are the
    translation's own)."""
    found = pattern.findall(text)
    if pattern is LINK_TARGET:
        found = [
            f"../{match.group(1)}/" if (match := PAMPHLET_LINK.match(target)) else target
            for target in found
        ]
    return sorted(found)


def _problems_of(entry: polib.POEntry, shown: str, problems: ProblemList) -> None:
    for what, pattern in (("fact references", PLACEHOLDER), ("link targets", LINK_TARGET)):
        wanted = _kept_parts(pattern, entry.msgid)
        found = _kept_parts(pattern, entry.msgstr)
        if wanted != found:
            problems.add(
                shown,
                entry.linenum,
                f"entry '{entry.msgctxt}': the translation must keep the {what} of the source "
                f"({', '.join(wanted) or 'none'}); it has {', '.join(found) or 'none'}",
            )


def _with_texts(lines: list[str], units: list[Unit], texts: list[str]) -> list[str]:
    """The file's lines with each unit's text replaced (markup and indentation kept)."""
    body = list(lines)
    for unit, text in sorted(zip(units, texts, strict=True), key=lambda pair: -pair[0].first):
        parts = text.split("\n")
        indent = unit.indents[-1] if unit.indents else " " * len(unit.prefix)
        rest = [
            (unit.indents[number] if number < len(unit.indents) else indent) + part
            for number, part in enumerate(parts[1:])
        ]
        body[unit.first : unit.last + 1] = [unit.prefix + parts[0], *rest]
    return body


def _scalar(value: str) -> str:
    """A YAML scalar for a front matter line, quoted only when it must be."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=100_000).removesuffix("\n")
    return dumped.removesuffix("\n...")


def _front_lines(lines: list[str], body_start: int, changes: dict[str, str]) -> list[str]:
    """The front matter lines with the keys in `changes` set (other lines as they are)."""
    front = lines[1 : body_start - 1]
    done = set()
    for index, line in enumerate(front):
        key = line.split(":", 1)[0].strip()
        if key in changes and not line.startswith((" ", "#")):
            front[index] = f"{key}: {changes[key]}"
            done.add(key)
    front += [f"{key}: {value}" for key, value in changes.items() if key not in done]
    return front


def import_po(catalog: Catalog, po_path: Path, shown: str) -> tuple[Path, str, list[str]]:
    """Write a translation back from a PO file made by `export_po`.

    Returns (the file written, its new text, notes for the person importing). Raises
    ContentError, writing nothing, when an entry breaks a fact reference or a link.
    """
    problems = ProblemList()
    try:
        po = polib.pofile(str(po_path), wrapwidth=0)
    except (OSError, ValueError) as error:
        problems.add(shown, None, f"cannot be read as a PO file ({error})")
        problems.raise_if_any()
    slug, language = po.metadata.get("X-Pamphlet", ""), po.metadata.get("Language", "")
    pamphlet = next((p for p in catalog.pamphlets if p.slug == slug), None)
    if pamphlet is None or language not in catalog.settings.language_codes:
        problems.add(
            shown, None, f"names pamphlet '{slug}' and language '{language}', which this project "
            "does not have; export the file again with `pamphlets export SLUG LANG`",
        )  # fmt: skip
        problems.raise_if_any()
    if language == pamphlet.settings.source_language:
        problems.add(shown, None, f"'{language}' is the source language of '{slug}'")
        problems.raise_if_any()
    entries = [entry for entry in po if not entry.obsolete]
    for entry in entries:
        if entry.msgstr and "fuzzy" not in entry.flags:
            _problems_of(entry, shown, problems)
    found = segments(pamphlet, language, catalog.settings.root)
    if [context for context, _text, _line in found.source] != [e.msgctxt for e in entries]:
        problems.add(
            shown, None, f"its entries do not match the source text of '{slug}' any more (it "
            "changed since the export); export again and carry the translations over",
        )  # fmt: skip
    problems.raise_if_any()

    existing = pamphlet.translations.get(language)
    aligned = found.translated is not None  # the translation's own file is the template
    source = pamphlet.translations[pamphlet.settings.source_language]
    template = existing if aligned and existing else source
    lines, start = split_file((catalog.settings.root / template.path).read_text(encoding="utf-8"))
    units = body_units(lines, start)
    kept = found.translated or [entry.msgid for entry in entries]
    texts, left = [], 0
    for entry, had in zip(entries, kept, strict=True):
        done = bool(entry.msgstr) and "fuzzy" not in entry.flags
        left += not done
        texts.append(entry.msgstr if done else had)
    body = _with_texts(lines, units, texts[2:])
    old_front = front_values(lines, start) if aligned else {}
    changes: dict[str, str] = {}
    for key, text in (("title", texts[0]), ("summary", texts[1])):
        if old_front.get(key) != text:
            changes[key] = _scalar(text)
    reworded = body != lines or bool(changes)
    state = old_front.get("status", "untranslated")
    if state == "untranslated" and left == 0:
        state = "draft"  # every entry translated: the translator is done
    elif state == "reviewed" and reworded:
        state = "draft"  # the review was of the old words
    if old_front.get("status") != state:
        changes["status"] = state
    version = po.metadata.get("X-Source-Version", "")
    if left == 0 and old_front.get("translated_from") != version:
        changes["translated_from"] = version  # it follows the source it was exported from
    front = [
        line
        for line in _front_lines(body, start, changes)
        if not line.startswith(STUB_COMMENT)
        and not (line.startswith(("reviewed_by:", "reviewed_on:")) and state != "reviewed")
    ]
    text = "\n".join(["---", *front, *body[start - 1 :]])
    target = catalog.settings.pamphlets_dir / slug / f"{language}.md"
    notes = []
    if left:
        notes.append(f"{left} of {len(entries)} entries are not translated yet (empty or fuzzy)")
    notes.append(f"status: {state}")
    return target, text, notes
