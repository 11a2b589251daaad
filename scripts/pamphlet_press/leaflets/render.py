"""Rendering a leaflet to PDF with WeasyPrint, in one of its variants (variants.py).

- print: the pamphlet's format (formats.py: an A5 booklet, a six-panel trifold, ...), 3 mm
  bleed, crop marks (optional), PDF/X-4 with the print shop's CMYK profile as output intent,
  colours in device-cmyk, body text 100 % K. It is padded with intentionally blank pages to
  a page count the format takes; a text longer than the format's largest is an error.
- screen: A5 pages, RGB, tagged PDF/UA-1 with title and language, clickable links.

Renders are reproducible (the same sources give the same bytes): the dates come from the
edition, the PDF identifier and the XMP DocumentID from the content. Nothing is fetched
from the network, and no file outside the project is read.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..files import temporary_beside
from .formats import Format
from .leaflet import Leaflet, leaflet_html, page_css, stylesheet_paths, template_dirs
from .variants import Variant


class RenderError(Exception):
    """A leaflet cannot be rendered; the message names the source, what and how to fix it."""


@dataclass(frozen=True)
class RenderedPdf:
    path: Path
    pages: int
    blank_pages: int
    # Time spent inside WeasyPrint (layout and writing), for the benchmark.
    weasyprint_seconds: float = 0.0


# ---------------------------------------------------------------- fonts and glyphs


def _fontconfig_match(family: str) -> tuple[str, str]:
    """(family, file) of the font fontconfig picks for `family`, regular face: through the
    fontconfig that WeasyPrint itself loads (its cffi bindings), so that no system tool is
    needed and the answer is the font WeasyPrint will use."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    pattern = fontconfig.FcPatternCreate()
    try:
        fontconfig.FcPatternAddString(pattern, b"family", family.encode())
        fontconfig.FcPatternAddString(pattern, b"style", b"Regular")
        fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(config, pattern, result)
        if match == ffi.NULL:
            return "", ""
        values = []
        for key in (b"family", b"file"):
            value = ffi.new("FcChar8 **")
            found = fontconfig.FcPatternGetString(match, key, 0, value)
            values.append(ffi.string(value[0]).decode() if found == 0 else "")
        fontconfig.FcPatternDestroy(match)
        return values[0], values[1]
    finally:
        fontconfig.FcPatternDestroy(pattern)
        fontconfig.FcConfigDestroy(config)


@cache
def font_file(family: str) -> Path:
    """The installed file of a font family (its regular face), through fontconfig."""
    found_family, file = _fontconfig_match(family)
    if not file or family.lower() not in found_family.lower():
        raise RenderError(
            f"the font '{family}' (plugins.pamphlets.pdf.fonts in mkdocs.yml) is not installed; "
            "run scripts/setup.sh or name an installed font"
        )
    return Path(file)


@cache
def font_characters(family: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font_file(family), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_characters(text: str, families: tuple[str, ...]) -> list[str]:
    """Characters of `text` that none of the fonts has, as 'U+XXXX (name)'."""
    covered: set[int] = set()
    for family in families:
        covered |= font_characters(family)
    missing = []
    for character in sorted(set(text)):
        # Spaces, line breaks and format characters (ZWNJ in Persian) are not drawn glyphs.
        if unicodedata.category(character) in ("Zs", "Zl", "Zp", "Cc", "Cf"):
            continue
        if ord(character) not in covered:
            name = unicodedata.name(character, "unnamed")
            missing.append(f"U+{ord(character):04X} '{character}' ({name})")
    return missing


def visible_text(html: str) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]*"', "", html))
    import html as html_module

    return html_module.unescape(without_tags)


# ---------------------------------------------------------------- no network, no escape


class FetchRefused(Exception):
    """Raised for an address a leaflet may not read (becomes WeasyPrint's fatal error)."""


def _hidden_part(path: Path, root: Path) -> str | None:
    """The first part of `path` below `root` that is hidden (.git, .env), if any."""
    return next((part for part in path.relative_to(root).parts if part.startswith(".")), None)


def allowed_file(url: str, folders: list[Path], files: list[Path], source: str) -> Path:
    """The file a file: URL names, if a leaflet may read it; else FetchRefused.

    Allowed: files inside `folders` (the pamphlet's own folder, the templates, the system's
    colour profiles), never a hidden file or a file in a hidden folder (.git, .env), and
    the single `files` (the print shop's colour profile). Links are followed first: a link
    in the pamphlet's folder to a file elsewhere is outside.
    """
    parsed = urlparse(url)
    if parsed.scheme != "file":
        raise FetchRefused(
            f"{source}: '{url}' is on the network; the leaflets are made without network: "
            "put the file into the pamphlet's folder"
        )
    path = Path(unquote(parsed.path))
    real = path.resolve()
    if real in [file.resolve() for file in files]:
        return real
    for folder in (folder.resolve() for folder in folders):
        if real == folder or folder not in real.parents:
            continue
        hidden = _hidden_part(real, folder)
        if hidden is None and (folder not in path.parents or not _hidden_part(path, folder)):
            return real
        raise FetchRefused(
            f"{source}: '{path}' is a hidden file ({hidden or path.name}); a leaflet never "
            "reads hidden files or folders such as .git"
        )
    raise FetchRefused(
        f"{source}: '{path}' is outside the pamphlet's folder; a leaflet may only use "
        "files of its own folder (images given by file name)"
    )


@cache
def _fetcher_class():
    """ProjectOnlyFetcher, made on first use (WeasyPrint is imported only when rendering)."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    from ..content.images import without_metadata

    class ProjectOnlyFetcher(URLFetcher):
        """A WeasyPrint URL fetcher that reads data: URLs and the files `allowed_file`
        allows, nothing else; images come without their metadata (content/images.py)."""

        def __init__(self, folders: list[Path], files: list[Path], source: str):
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
            self.folders, self.files, self.source = folders, files, source

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                path = allowed_file(url, self.folders, self.files, self.source)
            except FetchRefused as error:
                raise FatalURLFetchingError(str(error)) from None
            if not path.is_file():
                raise FatalURLFetchingError(f"{self.source}: '{path}' does not exist")
            data = path.read_bytes()
            if path.suffix.lower() in (".png", ".jpg", ".jpeg"):
                # Not a file: URL, or WeasyPrint would read the file again, metadata and all.
                return URLFetcherResponse(f"cleaned:{path.name}", without_metadata(data))
            return URLFetcherResponse(path.as_uri(), data)

    return ProjectOnlyFetcher


def project_only_fetcher(folders: list[Path], files: list[Path], source: str):
    """A WeasyPrint URL fetcher limited to `folders` and `files` (see allowed_file)."""
    return _fetcher_class()(folders, files, source)


def _attachments(document) -> list[str]:
    """What a rendered document would embed as PDF attachments (rel="attachment" links
    and <link rel="attachment">): a leaflet embeds none."""
    linked = [link[1] for page in document.pages for link in page.links if link[0] == "attachment"]
    listed = document.metadata.attachments
    return linked + [str(item.name or item.description or "a file") for item in listed]


# ---------------------------------------------------------------- rendering


class _WarningsCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _stable_metadata(document, identifier: str) -> None:
    """Replace WeasyPrint's random XMP DocumentID (PDF/X-4) by one derived from the content."""
    from weasyprint.pdf.metadata import DocumentMetadata

    class StableMetadata(DocumentMetadata):
        def generate_rdf_metadata(self, variant, version, conformance):
            rdf = super().generate_rdf_metadata(variant, version, conformance)
            return re.sub(rb"xmp\.did:[0-9a-f-]+", f"xmp.did:{identifier}".encode(), rdf)

    document.metadata.__class__ = StableMetadata


def blank_pages_to_reserve(fmt: Format) -> int:
    """The most blank pages a text of any length can need to reach a page count the format
    takes (a text has at least two pages: the cover and the imprint)."""
    counts = fmt.page_counts
    pairs = zip(counts, counts[1:], strict=False)
    gaps = [counts[0] - 2] + [later - earlier - 1 for earlier, later in pairs]
    return max(0, *gaps)


def render_leaflet(
    leaflet: Leaflet,
    variant: Variant,
    fmt: Format,
    target: Path,
    project_root: Path,
    icc_profile: Path | None,
    output_condition: str,
    project_templates: Path | None = None,
) -> RenderedPdf:
    """Render one leaflet variant to `target` (written atomically)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    where = f"{leaflet.source_path} ({leaflet.slug}, {leaflet.language})"
    html = leaflet_html(leaflet, variant, project_templates)
    missing = missing_characters(visible_text(html), leaflet.fonts)
    if missing:
        raise RenderError(
            f"{where}: no configured font ({', '.join(leaflet.fonts)}) has "
            f"{', '.join(missing)}; remove the character or add a font that has it "
            "to plugins.pamphlets.pdf.fonts"
        )
    # The pamphlet's own folder (its images), the templates (the package's are outside the
    # project) and the colour profiles: nothing else may be read into a leaflet, not even
    # another file of the project (`project_root` is not a root: .git, .env, ...).
    folders = [Path(leaflet.base_dir), *template_dirs(project_templates), *_system_data_dirs()]
    fetcher = project_only_fetcher(folders, [icc_profile] if icc_profile else [], where)
    font_config = FontConfiguration()
    color_profiles: dict = {}
    stylesheets = [
        CSS(filename=str(path), font_config=font_config, url_fetcher=fetcher)
        for path in stylesheet_paths(variant, fmt, project_templates)
    ]
    profile_css = ""
    if variant.cmyk:
        if icc_profile is None or not icc_profile.exists():
            raise RenderError(
                f"the CMYK colour profile '{icc_profile}' (plugins.pamphlets.pdf.icc_profile) "
                "does not exist; run scripts/setup.sh, or set the print shop's profile"
            )
        profile_url = icc_profile.resolve().as_uri()
        profile_css = (
            f"@color-profile device-cmyk {{ components: c, m, y, k; src: url('{profile_url}'); }}\n"
        )
    stylesheets.append(
        CSS(
            string=profile_css + page_css(leaflet, variant, fmt),
            font_config=font_config,
            url_fetcher=fetcher,
            color_profiles=color_profiles,
        )
    )

    weasyprint_seconds = 0.0

    def render(blank_pages: int):
        nonlocal weasyprint_seconds
        source = leaflet_html(leaflet, variant, project_templates, blank_pages)
        started = time.perf_counter()
        document = HTML(string=source, base_url=leaflet.base_dir + "/", url_fetcher=fetcher).render(
            stylesheets=stylesheets,
            font_config=font_config,
            color_profiles=color_profiles,
            pdf_tags=variant.tagged,
            output_intent="device-cmyk" if variant.cmyk else None,
        )
        weasyprint_seconds += time.perf_counter() - started
        return source, document

    from weasyprint.urls import FatalURLFetchingError

    collector = _WarningsCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        # A leaflet laid out in its format must have a page count the binding takes: pad it
        # with blank pages before the imprint (the last page). Rather than render twice,
        # render once with the most blank pages it can need, then keep as many as it needs.
        reserve = blank_pages_to_reserve(fmt) if variant.uses_format else 0
        try:
            source, document = render(reserve)
        except FatalURLFetchingError as error:
            raise RenderError(str(error)) from None
        pages = len(document.pages) - reserve  # cover, text and imprint
        blank_pages = 0
        if variant.uses_format:
            fitting = fmt.pages_for(pages)
            if fitting is None:
                largest = fmt.max_pages
                unit = "panels" if fmt.is_panels else "pages"
                raise RenderError(
                    f"{where}: the text does not fit the {fmt.name}'s {largest} {unit}: it "
                    f"needs {pages} {unit}, {pages - largest} too many; shorten the text by "
                    f"about that many {unit} (a panel holds about 150 words, an A5 page about "
                    "250) or choose a larger format in pamphlet.yml"
                )
            blank_pages = fitting - pages
        if reserve:
            kept = document.pages[: pages - 1 + blank_pages] + document.pages[-1:]
            document = document.copy(kept)
        attached = _attachments(document)
        if attached:
            raise RenderError(
                f"{where}: the text would embed {attached[0]} into the PDF as an attachment; "
                'a leaflet carries no attachments: remove rel="attachment"'
            )
        glyph_warnings = [m for m in collector.messages if "glyph" in m.lower()]
        if glyph_warnings:
            raise RenderError(f"{where}: {glyph_warnings[0]}")
        identifier = hashlib.sha256(
            f"{source}{variant.name}{output_condition}{blank_pages}".encode()
        ).hexdigest()
        _stable_metadata(document, _uuid_like(identifier))
        options: dict = {"pdf_identifier": identifier[:32].encode("ascii")}
        options.update(pdf_variant=variant.pdf_variant)
        if variant.tagged:
            options.update(pdf_tags=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = temporary_beside(target)

        def name_output_condition(_document, pdf) -> None:
            # WeasyPrint names the output intent after the profile's file; a print shop
            # reads the standard's name (FOGRA39, ...).
            import pydyf

            for intent in pdf.catalog.get("OutputIntents", []):
                intent["OutputConditionIdentifier"] = pydyf.String(output_condition)
                intent["Info"] = pydyf.String(output_condition)

        started = time.perf_counter()
        try:
            document.write_pdf(temporary, finisher=name_output_condition, **options)
            temporary.replace(target)
        finally:
            temporary.unlink(missing_ok=True)
        weasyprint_seconds += time.perf_counter() - started
        return RenderedPdf(target, len(document.pages), blank_pages, weasyprint_seconds)
    finally:
        logger.removeHandler(collector)


def _uuid_like(digest: str) -> str:
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def _system_data_dirs() -> list[Path]:
    # The print shop's profile may be installed system-wide (e.g. /usr/share/color/icc).
    return [Path("/usr/share/color/icc")]
