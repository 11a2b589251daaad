"""Preflight: checking a print PDF before it goes to the print shop.

A print shop rejects (or silently misprints) a PDF that does not match what its presses and
finishing machines expect. This module reads a finished PDF with pypdf and answers, check by
check, the questions of the print notes (PRINT.md, "Preflight: what to check in every print
PDF"):

boxes
    Every page has a *TrimBox* (the finished, cut page) and a *BleedBox* (the trim plus the
    bleed: the margin that is printed and then cut off, so that colour touching an edge runs
    cleanly off the paper). The trim must be the format of the binding, the bleed must extend
    it by ``bleed_mm`` on every side, and the *MediaBox* (the whole sheet described by the page)
    must hold the bleed: equal to the BleedBox, as WeasyPrint writes it, or larger, leaving room
    for crop marks outside the bleed.
fonts embedded
    A font that is not embedded is replaced by whatever the shop's RIP has: the text reflows or
    turns into boxes.
output intent
    The ``/OutputIntents`` entry of a PDF/X file names the printing condition (a CMYK ICC
    profile such as FOGRA39) the colours were prepared for.
page count
    A saddle-stitched booklet is made of folded sheets of 4 pages; a trifold has 6 panels.
image resolution
    The *effective* resolution of an image is its pixels divided by the size it is drawn at,
    not a property of the image file: 1200 px drawn 50 mm wide is about 610 dpi.
text colour
    Text in RGB is converted by the shop into four-colour black, which blurs small type when the
    plates are not perfectly in register. Body text should be pure K (``0 0 0 1`` in CMYK).
metadata
    A title (PDF/X requires one) and a language (``/Lang``: screen readers and hyphenation
    need it).

``preflight()`` never raises for a bad file: whatever cannot be read becomes a failed check
whose detail says why. ``format_table()`` turns reports into a plain-text table.

Units: PDF user space is in points (1/72 inch); 1 mm = 72 / 25.4 pt. Boxes are compared with
a tolerance of 0.1 pt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from .formats import Format
from .pdf_content import MAX_FORM_DEPTH, Document, dictionary, object_key, resolve

POINTS_PER_MM = 72 / 25.4
BOX_TOLERANCE_PT = 0.1
MIN_DPI = 300
# The panels of a folded leaflet, printed on the two sides of one sheet, add up to twice
# its width, within this.
SHEET_TOLERANCE_MM = 1.0


CHECK_NAMES = (
    "boxes",
    "fonts embedded",
    "output intent",
    "page count",
    "image resolution",
    "text colour",
    "metadata",
)


@dataclass(frozen=True)
class Check:
    """The outcome of one preflight check.

    `detail` is short enough for a table cell and says what was found: on success a summary
    ("A5 148 x 210 mm, bleed 3 mm, 8 pages"), on failure the first offending place
    ("page 3: TrimBox 150 x 210 mm, expected 148 x 210 mm").
    """

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class PreflightReport:
    """All checks of one PDF file, in the order of `CHECK_NAMES`."""

    path: Path
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(check.ok for check in self.checks)

    def check(self, name: str) -> Check:
        """The check called `name` (one of `CHECK_NAMES`)."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)


# --- Small helpers -------------------------------------------------------------------------


def _mm(points: float) -> str:
    """A length in points, written in millimetres to 0.1 mm ("148", "99.5")."""
    return f"{round(points / POINTS_PER_MM, 1):g}"


def _pages(count: int) -> str:
    return f"{count} page{'' if count == 1 else 's'}"


# --- The checks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Box:
    """A page box in points, normalised so that left < right and bottom < top."""

    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def of(cls, value: Any) -> _Box:
        x1, y1, x2, y2 = (float(resolve(number)) for number in resolve(value))
        return cls(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    def margins_to(self, outer: _Box) -> tuple[float, float, float, float]:
        """How far `outer` extends this box on the left, bottom, right and top."""
        return (
            self.left - outer.left,
            self.bottom - outer.bottom,
            outer.right - self.right,
            outer.top - self.top,
        )

    def contains(self, inner: _Box) -> bool:
        return all(margin >= -BOX_TOLERANCE_PT for margin in inner.margins_to(self))


def _close(value: float, expected: float) -> bool:
    return abs(value - expected) <= BOX_TOLERANCE_PT


def _check_boxes(document: Document, fmt: Format) -> Check:
    """TrimBox and BleedBox on every page, the trim the format's, bleed all round."""
    pages = document.reader.pages
    if len(pages) == 0:
        return Check("boxes", False, "no pages")
    bleed_mm = fmt.bleed_mm
    bleed_pt = bleed_mm * POINTS_PER_MM
    problems: list[str] = []
    trim_sizes: list[tuple[float, float]] = []
    widths_mm = fmt.page_widths_mm
    for number, page in enumerate(pages, start=1):
        if "/TrimBox" not in page or "/BleedBox" not in page:
            missing = [name for name in ("/TrimBox", "/BleedBox") if name not in page]
            problems.append(f"page {number}: no {' or '.join(name[1:] for name in missing)}")
            continue
        trim, bleed = _Box.of(page["/TrimBox"]), _Box.of(page["/BleedBox"])
        media = _Box.of(page.mediabox)
        # A page rotated a quarter turn is seen (and trimmed) with width and height swapped.
        if (page.rotation or 0) % 180 == 90:
            width, height = trim.height, trim.width
        else:
            width, height = trim.width, trim.height
        trim_sizes.append((width, height))

        # A panel format has a width per panel (page); an equal-page format one width.
        expected_mm = widths_mm[(number - 1) % len(widths_mm)]
        if not (
            _close(width, expected_mm * POINTS_PER_MM)
            and _close(height, fmt.height_mm * POINTS_PER_MM)
        ):
            which = f" (panel {number})" if fmt.is_panels else ""
            problems.append(
                f"page {number}: TrimBox {_mm(width)} x {_mm(height)} mm, "
                f"expected {expected_mm:g} x {fmt.height_mm:g} mm{which}"
            )
            continue

        margins = trim.margins_to(bleed)
        if not all(_close(margin, bleed_pt) for margin in margins):
            found = sorted({_mm(margin) for margin in margins}, key=float)
            problems.append(
                f"page {number}: BleedBox extends the TrimBox by {'/'.join(found)} mm, "
                f"expected {bleed_mm:g} mm"
            )
            continue
        # The MediaBox may be larger (room for marks outside the bleed), never smaller: what
        # lies outside the MediaBox is not part of the page, so the bleed would be lost.
        if not media.contains(bleed):
            problems.append(f"page {number}: MediaBox smaller than the BleedBox")

    if not problems and fmt.sheet_mm and len(trim_sizes) == len(widths_mm):
        # The panels are printed on the two sides of one sheet: twice its width in all.
        total_mm = sum(width for width, _ in trim_sizes) / POINTS_PER_MM
        sheet_mm = 2 * fmt.sheet_mm[0]
        if abs(total_mm - sheet_mm) > SHEET_TOLERANCE_MM:
            problems.append(
                f"panel widths add up to {round(total_mm, 1):g} mm, expected "
                f"{sheet_mm:g} +-{SHEET_TOLERANCE_MM:g} mm"
            )

    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return Check("boxes", False, problems[0] + more)
    if fmt.is_panels:
        widths = "/".join(_mm(width) for width, _ in trim_sizes)
        found = f"panels {widths} x {fmt.height_mm:g} mm"
    else:
        found = f"{fmt.label or fmt.name} {fmt.width_mm:g} x {fmt.height_mm:g} mm"
    return Check("boxes", True, f"{found}, bleed {bleed_mm:g} mm, {_pages(len(pages))}")


def _resource_dictionaries(
    resources: dict[str, Any], seen: set[int], depth: int = 0
) -> Iterator[dict[str, Any]]:
    """`resources` and the resources of the forms and tiling patterns it holds, recursively.

    Fonts used inside a Form XObject (WeasyPrint puts transparent content in forms) are listed
    in the form's own /Resources, not the page's.
    """
    yield resources
    if depth >= MAX_FORM_DEPTH:
        return
    for category in ("/XObject", "/Pattern"):
        for reference in dictionary(resources.get(category)).values():
            key = object_key(reference)
            if key in seen:
                continue
            seen.add(key)
            inner = dictionary(dictionary(reference).get("/Resources"))
            if inner:
                yield from _resource_dictionaries(inner, seen, depth + 1)


def _font_is_embedded(font: dict[str, Any]) -> bool:
    """Whether the font program is in the file (Type3 glyphs are always PDF drawings)."""
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        # A composite font's glyphs live in its (single) descendant CIDFont.
        descendants = resolve(font.get("/DescendantFonts")) or []
        font = dictionary(descendants[0]) if descendants else {}
    descriptor = dictionary(font.get("/FontDescriptor"))
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _check_fonts(document: Document) -> Check:
    """Every font in the resources of every page (and of its forms) is embedded."""
    seen_fonts: set[int] = set()
    unembedded: list[str] = []
    for number, page in enumerate(document.reader.pages, start=1):
        page_resources = dictionary(page.get("/Resources"))
        for resources in _resource_dictionaries(page_resources, seen=set()):
            for resource_name, reference in dictionary(resources.get("/Font")).items():
                key = object_key(reference)
                if key in seen_fonts:
                    continue
                seen_fonts.add(key)
                font = dictionary(reference)
                if not _font_is_embedded(font):
                    base_font = str(font.get("/BaseFont", resource_name)).lstrip("/")
                    unembedded.append(f"{base_font} (page {number})")
    if unembedded:
        listed = ", ".join(unembedded[:3]) + (" ..." if len(unembedded) > 3 else "")
        return Check("fonts embedded", False, f"not embedded: {listed}")
    if not seen_fonts:
        return Check("fonts embedded", True, "no fonts")
    count = len(seen_fonts)
    return Check("fonts embedded", True, f"{count} font{'s' if count != 1 else ''}, all embedded")


def _check_output_intent(document: Document) -> Check:
    """A PDF/X output intent whose destination profile is a CMYK ICC profile."""
    catalog = document.reader.root_object
    intents = resolve(catalog.get("/OutputIntents"))
    if not intents:
        return Check("output intent", False, "no /OutputIntents in the catalog")
    subtypes = []
    for intent in intents:
        intent = dictionary(intent)
        subtypes.append(str(intent.get("/S")))
        if intent.get("/S") != "/GTS_PDFX":
            continue
        identifier = str(intent.get("/OutputConditionIdentifier", "(no identifier)"))
        profile = resolve(intent.get("/DestOutputProfile"))
        if profile is None or not hasattr(profile, "get_data"):
            return Check(
                "output intent", False, f"{identifier}: no embedded /DestOutputProfile stream"
            )
        # An ICC profile header holds the data colour space as 4 ASCII bytes at offset 16.
        colour_space = profile.get_data()[16:20]
        if colour_space != b"CMYK":
            found = colour_space.decode("latin-1").strip() or "nothing"
            return Check("output intent", False, f"{identifier}: profile is {found}, expected CMYK")
        return Check("output intent", True, identifier)
    return Check(
        "output intent", False, f"no /GTS_PDFX output intent (found {', '.join(subtypes)})"
    )


def _check_page_count(document: Document, fmt: Format) -> Check:
    """A page count the binding takes: 4 pages per folded sheet for a booklet, 6 panels for
    a trifold (the format's `page_counts`)."""
    count = len(document.reader.pages)
    unit = "panels" if fmt.is_panels else "pages"
    if count in fmt.page_counts:
        rule = f" ({fmt.page_count_rule})" if len(fmt.page_counts) > 1 else ""
        return Check("page count", True, f"{count} {unit}{rule}")
    return Check(
        "page count",
        False,
        f"{_pages(count)}, expected {fmt.page_count_rule} ({fmt.label or fmt.name})",
    )


def _check_images(document: Document) -> Check:
    """Every placed image has at least MIN_DPI at the size it is drawn."""
    contents, unreadable = document.page_contents()
    if unreadable:
        return Check("image resolution", False, unreadable[0])
    images = [image for content in contents for image in content.images]
    if not images:
        return Check("image resolution", True, "no images")
    worst = min(images, key=lambda image: image.dpi)
    low = [image for image in images if image.dpi < MIN_DPI]
    if low:
        more = f"; {len(low)} images under {MIN_DPI} dpi" if len(low) > 1 else ""
        return Check("image resolution", False, worst.describe() + more)
    count = f"{len(images)} image{'s' if len(images) != 1 else ''}"
    return Check(
        "image resolution", True, f"{count}, lowest {round(worst.dpi)} dpi (page {worst.page})"
    )


def _check_text_colour(document: Document) -> Check:
    """No text painted in RGB; and the share of text in pure K, for information."""
    contents, unreadable = document.page_contents()
    if unreadable:
        return Check("text colour", False, unreadable[0])
    texts = [text for content in contents for text in content.texts]
    rgb_texts = [
        (text, colour) for text in texts for colour in text.colours if colour.space.model == "RGB"
    ]
    if rgb_texts:
        text, colour = rgb_texts[0]
        more = f" (and {len(rgb_texts) - 1} more)" if len(rgb_texts) > 1 else ""
        return Check("text colour", False, f"page {text.page}: text in {colour.describe()}{more}")
    painted = [text for text in texts if text.colours]
    if not painted:
        return Check("text colour", True, "no text")
    pure_k = sum(1 for text in painted if all(colour.is_pure_k for colour in text.colours))
    share = round(100 * pure_k / len(painted))
    return Check(
        "text colour",
        True,
        f"no RGB text; pure K: {pure_k} of {len(painted)} text runs ({share} %)",
    )


def _check_metadata(document: Document) -> Check:
    """A document title (Info or XMP) and a catalog /Lang."""
    reader = document.reader
    title = ""
    info = reader.metadata
    if info is not None and info.title:
        title = str(info.title).strip()
    if not title:
        xmp = reader.xmp_metadata
        xmp_titles = (xmp.dc_title or {}) if xmp is not None else {}
        title = next((str(value).strip() for value in xmp_titles.values() if value), "")
    language = str(resolve(reader.root_object.get("/Lang", "")) or "").strip()
    problems = []
    if not title:
        problems.append("no title (neither /Info /Title nor XMP dc:title)")
    if not language:
        problems.append("no /Lang in the catalog")
    if problems:
        return Check("metadata", False, "; ".join(problems))
    shown_title = title if len(title) <= 40 else title[:37] + "..."
    return Check("metadata", True, f'title "{shown_title}", lang {language}')


# --- Public API ----------------------------------------------------------------------------


def _safely(name: str, run: Callable[[], Check]) -> Check:
    """Run one check; a file that breaks it is a failed check, not an exception."""
    try:
        return run()
    except Exception as error:  # noqa: BLE001 - any failure to read is a finding
        return Check(name, False, f"could not check: {type(error).__name__}: {error}")


def preflight(path: Path, fmt: Format) -> PreflightReport:
    """Check the print PDF at `path` against its format; every check in `CHECK_NAMES` is
    reported.

    Never raises for a missing, unreadable, encrypted or malformed file: each check then fails
    with a detail that says what went wrong.
    """
    path = Path(path)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise ValueError("encrypted (a print PDF must not be)")
        document = Document(reader)
    except Exception as error:  # noqa: BLE001 - an unreadable file fails every check
        detail = f"not a readable PDF: {error}"
        return PreflightReport(path, tuple(Check(name, False, detail) for name in CHECK_NAMES))

    runs: dict[str, Callable[[], Check]] = {
        "boxes": lambda: _check_boxes(document, fmt),
        "fonts embedded": lambda: _check_fonts(document),
        "output intent": lambda: _check_output_intent(document),
        "page count": lambda: _check_page_count(document, fmt),
        "image resolution": lambda: _check_images(document),
        "text colour": lambda: _check_text_colour(document),
        "metadata": lambda: _check_metadata(document),
    }
    return PreflightReport(path, tuple(_safely(name, runs[name]) for name in CHECK_NAMES))


CELL_DETAIL_LENGTH = 30


def format_table(reports: list[PreflightReport]) -> str:
    """A plain-text table of preflight reports, then every failure's full detail.

    One row per file and one column per check; a cell reads "ok" or "FAIL: <detail>", the
    detail cut short to keep the table narrow (the list below the table has it whole).
    """
    if not reports:
        return "no PDF files to preflight\n"
    names = [str(report.path) for report in reports]
    short_names = [report.path.name for report in reports]
    if len(set(short_names)) == len(short_names):
        names = short_names  # the file name is enough when no two files share it

    columns: list[str] = []
    for report in reports:
        for check in report.checks:
            if check.name not in columns:
                columns.append(check.name)

    def cell(check: Check | None) -> str:
        if check is None:
            return "-"
        if check.ok:
            return "ok"
        detail = check.detail
        if len(detail) > CELL_DETAIL_LENGTH:
            detail = detail[: CELL_DETAIL_LENGTH - 3] + "..."
        return f"FAIL: {detail}"

    rows = [["file", *columns]]
    for name, report in zip(names, reports, strict=True):
        checks = {check.name: check for check in report.checks}
        rows.append([name, *(cell(checks.get(column)) for column in columns)])
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]

    def line(row: list[str]) -> str:
        return " | ".join(
            text.ljust(width) for text, width in zip(row, widths, strict=True)
        ).rstrip()

    lines = [line(rows[0]), "-+-".join("-" * width for width in widths)]
    lines += [line(row) for row in rows[1:]]

    failures: list[str] = []
    for name, report in zip(names, reports, strict=True):
        failed = [check for check in report.checks if not check.ok]
        if len(failed) > 1 and len({check.detail for check in failed}) == 1:
            # An unreadable file fails every check for the same reason: say it once.
            failures.append(f"{name}: {failed[0].detail}")
            continue
        failures += [f"{name}: {check.name}: {check.detail}" for check in failed]
    lines.append("")
    lines.append("Failures:" if failures else "All checks passed.")
    lines += [f"  {failure}" for failure in failures]
    return "\n".join(lines) + "\n"


def check_print_files(
    catalog, jobs: int, pamphlets: set[str] | None = None, languages: set[str] | None = None
) -> tuple[list[PreflightReport], list[str]]:
    """Make (or reuse) the print PDFs of the catalog, or of the chosen pamphlets and
    languages, and preflight each against its format: (reports, renders that failed)."""
    from ..outputs import files_dir
    from .pdfs import build_pdfs

    settings = catalog.settings
    result = build_pdfs(catalog, files_dir(settings), jobs, pamphlets, languages, {"print"})
    reports = [
        preflight(files_dir(settings) / file.file, settings.pdf.formats[file.format])
        for file in result.files
        if file.variant == "print"
    ]
    return reports, result.failed
