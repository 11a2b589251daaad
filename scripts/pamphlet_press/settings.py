"""The project's settings, as read from mkdocs.yml: languages, folders, Markdown, leaflets.

Every stage reads these plain values (the catalog, the leaflets, the web pages); only
`web/project.py` knows that they come from mkdocs.yml, so nothing else depends on MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .content.licences import Licence
from .content.markdown import MarkdownSettings
from .leaflets.formats import BUILT_IN, Format


@dataclass(frozen=True)
class Language:
    """A language of the site, as configured in mkdocs.yml: its code and its own name."""

    code: str
    name: str


@dataclass(frozen=True)
class PdfSettings:
    """How leaflets are rendered (plugins.pamphlets.pdf in mkdocs.yml)."""

    enabled: bool = True
    fonts: tuple[str, ...] = ("Noto Sans", "Noto Naskh Arabic")
    icc_profile: Path | None = None
    output_condition: str = "FOGRA39"
    # Crop and fold marks outside the bleed (marks.py); some shops want none.
    crop_marks: bool = True
    # The PDF/X standard of the print files: x-4 or x-1a (leaflets/pdfx.py).
    standard: str = "x-4"
    # The most ink a colour may lay down (total area coverage), in percent, as preflight
    # checks it: the shop's limit for its paper (300 % for coated offset).
    max_ink_coverage: int = 300
    jobs: int = 0
    # A folder of this project's own leaflet templates and stylesheets: a file there takes
    # the place of the package's file of the same name (leaflets/templates/).
    templates_dir: Path | None = None
    # The leaflet formats pamphlets may use, by name: the built-in ones and the project's.
    formats: dict[str, Format] = field(default_factory=lambda: dict(BUILT_IN))


@dataclass(frozen=True)
class ProjectSettings:
    """What the catalog needs to know about the project, taken from mkdocs.yml."""

    root: Path
    languages: tuple[Language, ...]
    default_language: str
    pamphlets_dir: Path
    markdown: MarkdownSettings = MarkdownSettings()
    fallback: dict[str, list[str]] = field(default_factory=dict)
    site_url: str = ""
    facts_max_age_days: int = 365
    pdf: PdfSettings = PdfSettings()
    # The licence of the texts and leaflets (plugins.pamphlets.content_licence); None when
    # the project has chosen none (content/licences.py).
    content_licence: Licence | None = None

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]

    @property
    def cache_dir(self) -> Path:
        """Where builds keep what they can reuse (rendered PDFs, fingerprints, locks)."""
        return self.root / ".cache"

    def shown(self, path: Path) -> str:
        """A path as the editor knows it: relative to the project."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
