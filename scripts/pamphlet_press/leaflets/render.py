"""Rendering a leaflet to PDF with WeasyPrint, in one of its variants (variants.py).

- print: the pamphlet's format (formats.py: an A5 booklet, a six-panel trifold, ...), 3 mm
  bleed, our own crop and fold marks outside the bleed (marks.py; optional), PDF/X-4 or
  PDF/X-1a with the print shop's CMYK profile as output intent (pdfx.py), colours in
  device-cmyk, small text 100 % K, no link annotations. Its type size and page count are
  chosen so that every page is filled (copyfit.py); a text longer than the format's
  largest page count at the smallest size is an error saying by how much.
- screen: A5 pages, RGB, tagged PDF/UA-1 with title and language, clickable links.

Renders are reproducible (the same sources give the same bytes): the dates come from the
edition, the PDF identifier and the XMP DocumentID from the content (pdfx.py). Nothing is fetched
from the network, and no file outside the project is read.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..files import temporary_beside
from . import copyfit
from .cmyk_images import with_cmyk_images
from .copyfit import Typesetting
from .formats import Format
from .leaflet import Leaflet, leaflet_html, page_css, stylesheet_paths, template_dirs
from .measure import measure
from .pdfx import STANDARDS, finish_print_pdf, uuid_like
from .streams import remember_large_streams
from .variants import Variant


class RenderError(Exception):
    """A leaflet cannot be rendered; the message names the source, what and how to fix it."""


@dataclass(frozen=True)
class RenderedPdf:
    path: Path
    pages: int
    # How a print leaflet was set (copyfit.py); None for the screen variant.
    typesetting: Typesetting | None = None
    # How many times it was laid out to find that.
    layouts: int = 1
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


# One font configuration for every leaflet a process renders (see font_configuration).
_SHARED_FONT_CONFIGURATION: list = []


def font_configuration(stylesheet_files):
    """The WeasyPrint font configuration to render with.

    A new FontConfiguration per document costs time (about 0.03 s a render) and memory
    that WeasyPrint does not give back (a worker grew about 0.3 MiB per PDF, to some
    270 MiB after 500 PDFs); one shared by the documents of a process keeps memory flat
    and gives the same PDF bytes. It holds the fonts of @font-face rules, so a project
    whose stylesheets declare fonts gets a fresh one per document, as before (a shared
    one would collect each document's copy of them)."""
    from weasyprint.text.fonts import FontConfiguration

    if any(_declares_fonts(path, *_stamp(path)) for path in stylesheet_files):
        return FontConfiguration()
    if not _SHARED_FONT_CONFIGURATION:
        _SHARED_FONT_CONFIGURATION.append(FontConfiguration())
    return _SHARED_FONT_CONFIGURATION[0]


def _stamp(path) -> tuple[int, int]:
    try:
        status = Path(path).stat()
    except OSError:
        return (0, 0)
    return (status.st_mtime_ns, status.st_size)


@cache
def _declares_fonts(path, _mtime: int, _size: int) -> bool:
    """Whether the stylesheet (as it is at that modification time and size) has @font-face."""
    try:
        return "@font-face" in Path(path).read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        return False


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


def render_leaflet(
    leaflet: Leaflet,
    variant: Variant,
    fmt: Format,
    target: Path,
    project_root: Path,
    icc_profile: Path | None,
    output_condition: str,
    project_templates: Path | None = None,
    standard: str = "x-4",
) -> RenderedPdf:
    """Render one leaflet variant to `target` (written atomically)."""
    from weasyprint import CSS, HTML

    where = f"{leaflet.source_path} ({leaflet.slug}, {leaflet.language})"
    html = leaflet_html(leaflet, variant, project_templates)
    checked_text = visible_text(html) + leaflet.hotlines_heading + leaflet.notes_heading
    missing = missing_characters(checked_text, leaflet.fonts)
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
    files = [icc_profile] if icc_profile else []
    if variant.cmyk and icc_profile is not None and "<img" in leaflet.body_html:
        # Pictures in CMYK, converted with the shop's profile (cmyk_images.py); the leaflet
        # may read the converted copies of the pictures it may read.
        def may_read(path: Path) -> bool:
            try:
                allowed_file(path.absolute().as_uri(), [Path(leaflet.base_dir)], [], where)
            except FetchRefused:
                return False
            return True

        converted, copies = with_cmyk_images(
            leaflet.body_html, Path(leaflet.base_dir), project_root / ".cache" / "cmyk-images",
            icc_profile, may_read,
        )  # fmt: skip
        leaflet = replace(leaflet, body_html=converted)
        files += copies
    fetcher = project_only_fetcher(folders, files, where)
    stylesheet_files = stylesheet_paths(variant, fmt, project_templates)
    font_config = font_configuration(stylesheet_files)
    color_profiles: dict = {}
    stylesheets = [
        CSS(filename=str(path), font_config=font_config, url_fetcher=fetcher)
        for path in stylesheet_files
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
    sources: dict[Typesetting | None, str] = {}

    def render(typesetting: Typesetting | None):
        nonlocal weasyprint_seconds
        source = leaflet_html(leaflet, variant, project_templates, typesetting, fmt)
        sources[typesetting] = source
        sheets = stylesheets
        if typesetting is not None:
            sheets = [*stylesheets, CSS(string=typesetting.css(), font_config=font_config)]
        started = time.perf_counter()
        document = HTML(string=source, base_url=leaflet.base_dir + "/", url_fetcher=fetcher).render(
            stylesheets=sheets,
            font_config=font_config,
            color_profiles=color_profiles,
            pdf_tags=variant.tagged,
            output_intent="device-cmyk" if variant.cmyk else None,
        )
        weasyprint_seconds += time.perf_counter() - started
        return document

    def lay_out(typesetting: Typesetting):
        document = render(typesetting)
        return document, measure(document, fmt, bool(typesetting.extra_page))

    from weasyprint.urls import FatalURLFetchingError

    collector = _WarningsCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        typesetting: Typesetting | None = None
        layouts = 1
        try:
            if variant.uses_format:
                fitted = _fit(leaflet, fmt, lay_out, where)
                document, typesetting, layouts = (
                    fitted.document, fitted.typesetting, fitted.layouts
                )
            else:
                document = render(None)
        except FatalURLFetchingError as error:
            raise RenderError(str(error)) from None
        attached = _attachments(document)
        if attached:
            raise RenderError(
                f"{where}: the text would embed {attached[0]} into the PDF as an attachment; "
                'a leaflet carries no attachments: remove rel="attachment"'
            )
        glyph_warnings = [m for m in collector.messages if "glyph" in m.lower()]
        if glyph_warnings:
            raise RenderError(f"{where}: {glyph_warnings[0]}")
        source = sources[typesetting]
        identifier = hashlib.sha256(
            f"{source}{variant.name}{output_condition}{typesetting}{standard}".encode()
        ).hexdigest()
        options: dict = {"pdf_identifier": identifier[:32].encode("ascii")}
        def finisher(_document, pdf) -> None:
            if variant.cmyk:
                finish_print_pdf(
                    pdf, fmt, pdf_standard, output_condition, leaflet.crop_marks,
                    leaflet.direction == "rtl", uuid_like(identifier),
                )  # fmt: skip
            # The colour profile, the same in every PDF, is compressed once (streams.py).
            remember_large_streams(pdf)

        if variant.cmyk:
            pdf_standard = STANDARDS[standard]
            options.update(pdf_variant=pdf_standard.weasyprint_variant)
        else:
            options.update(pdf_variant=variant.pdf_variant)
        if variant.tagged:
            options.update(pdf_tags=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = temporary_beside(target)
        started = time.perf_counter()
        try:
            document.write_pdf(temporary, finisher=finisher, **options)
            temporary.replace(target)
        finally:
            temporary.unlink(missing_ok=True)
        weasyprint_seconds += time.perf_counter() - started
        return RenderedPdf(
            target, len(document.pages), typesetting, layouts, weasyprint_seconds
        )
    finally:
        logger.removeHandler(collector)


def _fit(leaflet: Leaflet, fmt: Format, lay_out, where: str) -> copyfit.FitResult:
    """Copyfit a print leaflet (copyfit.py); a text too long is a RenderError that says by
    how much and what to do."""
    text = visible_text(leaflet.body_html)
    script = copyfit.script_of(text)
    bounds = copyfit.bounds_for(fmt, leaflet.body_min_pt, script)
    extra_kind = "hotlines" if len(leaflet.hotlines) >= 3 else "notes"
    try:
        characters = len(" ".join(text.split()))
        return copyfit.fit(lay_out, fmt, bounds, characters, extra_kind)
    except copyfit.TextTooLong as error:
        unit = "panels" if fmt.is_panels else "pages"
        return_words = "a panel holds about 150 words, an A5 page about 250"
        raise RenderError(
            f"{where}: the text does not fit the {fmt.name}'s {error.largest} {unit}: it "
            f"needs {error.needed_pages} {unit}, {error.needed_pages - error.largest} too many "
            f"at the smallest type size ({error.size_pt:g} pt); shorten the text by about "
            f"that many {unit} ({return_words}) or choose a larger format in pamphlet.yml"
        ) from None


def _system_data_dirs() -> list[Path]:
    # The print shop's profile may be installed system-wide (e.g. /usr/share/color/icc).
    return [Path("/usr/share/color/icc")]
