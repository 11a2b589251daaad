"""The leaflets of a language in one file: a ZIP per language, and one of every language.

Partner organisations download a language's leaflets at once (the downloads page links the
ZIPs). A ZIP is written again only when what goes into it changed (a key of its members'
checksums is kept beside it, with the ZIP's own size and checksum): a one-edit rebuild does
not re-zip every PDF, nor read every ZIP again.

A ZIP travels without the page it was downloaded from (forwarded to a print shop, copied to
another partner), so when the project has chosen a content licence each ZIP carries it too:
LICENCE.txt says in the language of its leaflets (every language, in the ZIP of all) what
partners may do, whom they must name, and where the licence is.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from ..content.catalog import Catalog
from ..files import write_zip
from ..outputs import FILE_KINDS, Bundle, LeafletOutputs

LICENCE_MEMBER = "LICENCE.txt"


def in_use(path: Path) -> bool:
    """A temporary file another command may be writing right now (`pamphlets pdf` while
    `pamphlets build` runs): hidden, and younger than an hour. An older one is a leftover of
    a killed command, and goes."""
    return path.name.startswith(".") and time.time() - path.stat().st_mtime < 3600


def licence_notices(catalog: Catalog) -> dict[str, str]:
    """The text of LICENCE.txt per language (the site's languages, in their order), and for
    the ZIP of every language ("all"); empty when the project has chosen no licence."""
    licence = catalog.settings.content_licence
    if licence is None:
        return {}
    notices = {}
    for language in catalog.settings.language_codes:
        ui = catalog.ui.get(language)
        if ui is None:
            continue
        terms = ui.licence_terms(licence).replace("{organisation}", ui.organisation)
        notices[language] = (f"{terms}\n{ui.licence_label} {licence.name}\n"
                             f"{licence.deed(language)}\n")  # fmt: skip
    notices["all"] = "\n".join(notices.values())
    return notices


def make_bundles(
    outputs: LeafletOutputs, folder: Path, notices: dict[str, str] | None = None
) -> list[Bundle]:
    """A ZIP per language (its screen and print PDFs, and LICENCE.txt from `notices` when
    the project has a licence) and one with every language."""
    folder.mkdir(parents=True, exist_ok=True)
    cache_dir = folder.parent
    pdfs = [f for f in outputs.files if FILE_KINDS[f.variant].in_bundles]
    groups = {language: [f for f in pdfs if f.language == language]
              for language in sorted({f.language for f in pdfs})}  # fmt: skip
    groups["all"] = pdfs
    bundles = []
    for language, files in groups.items():
        if not files:
            continue
        name = f"leaflets-{language}.zip"
        members: list[tuple[str, Path | bytes]] = [
            (f.file if language != "all" else f"{f.language}/{f.file}", cache_dir / f.file)
            for f in files
        ]
        # The ZIP is written again only when what goes into it changed.
        digest = hashlib.sha256(
            "".join(
                f"{member} {f.sha256}\n" for (member, _), f in zip(members, files, strict=True)
            ).encode()
        )
        notice = (notices or {}).get(language)
        if notice:
            members.append((LICENCE_MEMBER, notice.encode("utf-8")))
            digest.update(f"{LICENCE_MEMBER} {notice}".encode())
        key = digest.hexdigest()
        record = folder / f".{name}.key"
        figures = _kept_figures(record, key, folder / name)
        if figures is None:
            write_zip(folder / name, members)
            figures = _figures(folder / name, key)
            record.write_text(json.dumps(figures))
        bundles.append(
            Bundle(language, name, figures["bytes"], figures["sha256"],
                   tuple(sorted(member for member, _ in members)))
        )  # fmt: skip
    keep = {bundle.file for bundle in bundles} | {f".{bundle.file}.key" for bundle in bundles}
    for stale in folder.iterdir():
        if stale.name not in keep and not in_use(stale):
            stale.unlink()
    return bundles


def _figures(bundle: Path, key: str) -> dict:
    """The record kept beside a ZIP: the key of what went into it, and its size, checksum
    and modification time (a ZIP of every language is 30 MB at 20x5: read and hashed on
    every build, it cost more than writing it)."""
    stat = bundle.stat()
    checksum = hashlib.sha256(bundle.read_bytes()).hexdigest()
    return {"key": key, "bytes": stat.st_size, "sha256": checksum, "mtime_ns": stat.st_mtime_ns}


def _kept_figures(record: Path, key: str, bundle: Path) -> dict | None:
    """The record's figures, if the ZIP holds what `key` says and is still the file the
    record saw; else None: write it again (a record unreadable or of an older version, a ZIP
    gone or changed by hand)."""
    try:
        figures = json.loads(record.read_text(encoding="utf-8"))
        stat = bundle.stat()
        same = (
            figures["key"] == key
            and figures["bytes"] == stat.st_size
            and figures["mtime_ns"] == stat.st_mtime_ns
            and isinstance(figures["sha256"], str)
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return figures if same else None
