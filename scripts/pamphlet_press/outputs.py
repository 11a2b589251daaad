"""What a build hands to the site: the files each leaflet became, and the manifest of them.

This is the seam between the leaflets (which make the files) and the web pages (which link
them): the web side reads these records and never the PDF builder. Each leaflet (one
pamphlet in one language) becomes files of these kinds:

    screen          rights-and-duties-fa-screen.pdf          to read and share (tagged, RGB)
    print           rights-and-duties-fa-print.pdf           for the print shop (PDF/X-4)
    print-imposed   rights-and-duties-fa-print-imposed.pdf   the same on press sheets
    cover           rights-and-duties-fa-cover.png           a picture of the cover

The files and the ZIP bundles are listed in `site/downloads.json` (written here, once per
build, by `write_manifest`), for partner organisations and their scripts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .content.licences import Licence
from .files import replace_with_text
from .settings import ProjectSettings

# The record of the last PDF build's files, kept beside them (see save_outputs).
OUTPUTS_RECORD = "outputs.json"


def files_dir(settings: ProjectSettings) -> Path:
    """Where the leaflet files are made and kept between builds (`.cache/pdf/`)."""
    return settings.cache_dir / "pdf"


@dataclass(frozen=True)
class FileKind:
    """A kind of file a leaflet becomes, and what the site does with it."""

    name: str
    # The interface string (pamphlets/ui/<lang>.yml) that names a download of this kind.
    label: str | None
    # Offered where a reader is (the pamphlet's own page), not only to partner organisations.
    for_readers: bool
    # Put into the ZIP bundles and listed in downloads.json.
    in_bundles: bool
    in_manifest: bool


# In the order downloads are listed.
FILE_KINDS: dict[str, FileKind] = {
    kind.name: kind
    for kind in (
        FileKind("screen", "download_screen", True, True, True),
        FileKind("print", "download_print", False, True, True),
        FileKind("print-imposed", "download_imposed", False, False, True),
        FileKind("cover", None, False, False, False),
    )
}


@dataclass(frozen=True)
class LeafletFile:
    """One file a leaflet became (a manifest entry of `site/downloads.json`)."""

    pamphlet: str
    language: str
    variant: str  # a FILE_KINDS name
    file: str  # the file name, in site/pdf/
    pages: int
    bytes: int
    sha256: str
    status: str  # draft or reviewed
    edition: str
    format: str
    # issue 11: how a print leaflet was set (copyfit): its body size in points and its
    # leading; None for the screen PDF, whose size is fixed.
    body_pt: float | None = None
    leading: float | None = None

    @property
    def path(self) -> str:
        """Where the file is in the site, relative to its root."""
        return f"pdf/{self.file}"

    @property
    def kind(self) -> FileKind:
        return FILE_KINDS[self.variant]

    def manifest_entry(self) -> dict:
        entry = asdict(self)
        entry["path"] = self.path
        return entry


@dataclass(frozen=True)
class Bundle:
    """A ZIP of leaflets: every leaflet of one language, or of all languages."""

    language: str  # a language code, or "all"
    file: str
    bytes: int
    sha256: str
    contents: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"pdf/bundles/{self.file}"

    def manifest_entry(self) -> dict:
        entry = asdict(self)
        entry["path"] = self.path
        entry["contents"] = list(self.contents)
        return entry


@dataclass(frozen=True)
class OfflineCopy:
    """The whole site in one ZIP, to open from a USB stick."""

    path: str
    bytes: int
    sha256: str

    def manifest_entry(self) -> dict:
        return {"path": self.path, "bytes": self.bytes, "sha256": self.sha256,
                "open": "site/index.html"}  # fmt: skip


@dataclass
class LeafletOutputs:
    """Every file the leaflets of a build became, and the bundles of them."""

    files: list[LeafletFile] = field(default_factory=list)
    bundles: list[Bundle] = field(default_factory=list)
    _index: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _indexed: list | None = field(default=None, init=False, repr=False, compare=False)
    _indexed_count: int = field(default=0, init=False, repr=False, compare=False)

    def for_translation(self, slug: str, language: str) -> list[LeafletFile]:
        # By an index of the files, made again when the list changed: the downloads pages
        # ask for every translation in every language, 5,000 times over 2,500 files at
        # 50x10, and the time of going through the list grew with the square of the size.
        if self._indexed is not self.files or self._indexed_count != len(self.files):
            index: dict[tuple[str, str], list[LeafletFile]] = {}
            for file in self.files:
                index.setdefault((file.pamphlet, file.language), []).append(file)
            self._index, self._indexed, self._indexed_count = index, self.files, len(self.files)
        return list(self._index.get((slug, language), ()))

    def bundle(self, language: str) -> Bundle | None:
        return next((bundle for bundle in self.bundles if bundle.language == language), None)


def write_manifest(
    outputs: LeafletOutputs,
    target: Path,
    offline: OfflineCopy | None = None,
    licence: Licence | None = None,
) -> None:
    """`downloads.json`: the licence of every file (id, name, url; when the project has
    chosen one), every leaflet file with pamphlet, language, variant, path, pages, bytes and
    sha256; the bundles; and the offline copy when there is one."""
    entries = [file.manifest_entry() for file in outputs.files if file.kind.in_manifest]
    entries.sort(key=lambda entry: (entry["pamphlet"], entry["language"], entry["variant"]))
    manifest: dict = {}
    if licence:  # issue 14: one licence for every file, so once, at the top
        manifest["licence"] = licence.manifest_entry()
    manifest["files"] = entries
    manifest["bundles"] = [bundle.manifest_entry() for bundle in outputs.bundles]
    if offline:
        manifest["offline"] = offline.manifest_entry()
    target.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def save_outputs(outputs: LeafletOutputs, target: Path) -> None:
    """Keep the record of a build's leaflet files beside them (in the PDF cache), so that a
    plain `mkdocs build` or `mkdocs serve` can link the leaflets the last build made."""
    data = {
        "files": [asdict(file) for file in outputs.files],
        "bundles": [asdict(bundle) for bundle in outputs.bundles],
    }
    replace_with_text(target, json.dumps(data, ensure_ascii=False))


def load_outputs(source: Path) -> LeafletOutputs | None:
    """The record `save_outputs` kept, with only the files that are still there; None when
    there is none (no build made leaflets yet) or it cannot be read."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        files = [LeafletFile(**item) for item in data["files"]]
        bundles = [
            Bundle(**dict(item, contents=tuple(item["contents"]))) for item in data["bundles"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    folder = source.parent
    return LeafletOutputs(
        [file for file in files if (folder / file.file).exists()],
        [bundle for bundle in bundles if (folder / "bundles" / bundle.file).exists()],
    )
