"""The leaflets of a language in one file: a ZIP per language, and one of every language.

Partner organisations download a language's leaflets at once (the downloads page links the
ZIPs). A ZIP is written again only when what goes into it changed (a key of its members'
checksums is kept beside it): a one-edit rebuild does not re-zip every PDF.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from ..files import write_zip
from ..outputs import FILE_KINDS, Bundle, LeafletOutputs


def in_use(path: Path) -> bool:
    """A temporary file another command may be writing right now (`pamphlets pdf` while
    `pamphlets build` runs): hidden, and younger than an hour. An older one is a leftover of
    a killed command, and goes."""
    return path.name.startswith(".") and time.time() - path.stat().st_mtime < 3600


def make_bundles(outputs: LeafletOutputs, folder: Path) -> list[Bundle]:
    """A ZIP per language (its screen and print PDFs) and one with every language."""
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
        members = [(f.file if language != "all" else f"{f.language}/{f.file}", cache_dir / f.file)
                   for f in files]  # fmt: skip
        # The ZIP is written again only when what goes into it changed.
        key = hashlib.sha256(
            "".join(
                f"{member} {f.sha256}\n" for (member, _), f in zip(members, files, strict=True)
            ).encode()
        ).hexdigest()
        record = folder / f".{name}.key"
        if not (record.exists() and record.read_text() == key and (folder / name).exists()):
            write_zip(folder / name, members)
            record.write_text(key)
        data = (folder / name).read_bytes()
        bundles.append(
            Bundle(language, name, len(data), hashlib.sha256(data).hexdigest(),
                   tuple(sorted(member for member, _ in members)))
        )  # fmt: skip
    keep = {bundle.file for bundle in bundles} | {f".{bundle.file}.key" for bundle in bundles}
    for stale in folder.iterdir():
        if stale.name not in keep and not in_use(stale):
            stale.unlink()
    return bundles
