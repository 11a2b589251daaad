"""Preflight: checking a print PDF before it goes to the print shop.

A print shop rejects (or silently misprints) a PDF that does not match what its presses and
finishing machines expect. This module reads a finished PDF with pypdf and answers, check by
check, the questions of the print notes (PRINT.md) as a prepress operator would ask them, for
the print PDF and for the imposed sheets alike. Each failed check lists every place it found
(page, object, what to change); `pamphlets preflight` prints them, a release build writes
them as text and JSON.

boxes
    Every page has a *TrimBox* (the finished, cut page) and a *BleedBox* (the trim plus the
    bleed: the margin that is printed and then cut off, so that colour touching an edge runs
    cleanly off the paper). The trim must be the format of the binding, the bleed must extend
    it by ``bleed_mm`` on every side, and the *MediaBox* (the whole sheet described by the page)
    must hold the bleed: equal to the BleedBox, or larger, leaving room for our marks.
fonts embedded
    A font that is not embedded is replaced by whatever the shop's RIP has: the text reflows or
    turns into boxes.
output intent
    The ``/OutputIntents`` entry of a PDF/X file names the printing condition (a CMYK ICC
    profile such as FOGRA39) the colours were prepared for.
pdf/x
    The file says which PDF/X it is and is that: the PDF version of the standard (1.6 for
    PDF/X-4), an XMP packet naming it (pdfxid:GTS_PDFXVersion), Trapped (True or False) in
    Info and XMP, a file identifier; for PDF/X-1a also the Info keys GTS_PDFXVersion and
    GTS_PDFXConformance (pdfx.py).
page count
    A saddle-stitched booklet is made of folded sheets of 4 pages; a trifold has 6 panels.
empty pages, image resolution, colour spaces, text colour, ink coverage, transparency,
annotations
    What the pages draw, read from every content stream (preflight_content.py).
metadata
    A title (PDF/X requires one) and a language (``/Lang``: screen readers and hyphenation
    need it).

``preflight()`` never raises for a bad file: whatever cannot be read becomes a failed check
whose detail says why. preflight_report.py turns reports into a plain-text table or JSON and
preflights the files a build made.

Units: PDF user space is in points (1/72 inch); 1 mm = 72 / 25.4 pt. Boxes are compared with
a tolerance of 0.1 pt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from . import preflight_content as content
from .formats import Format
from .pdf_content import MAX_FORM_DEPTH, Document, dictionary, object_key, resolve
from .pdfx import STANDARDS, check_pdfx
from .preflight_content import MIN_DPI, Check

__all__ = ["CHECK_NAMES", "MIN_DPI", "Check", "PreflightReport", "preflight"]

POINTS_PER_MM = 72 / 25.4
BOX_TOLERANCE_PT = 0.1
# The panels of a folded leaflet, printed on the two sides of one sheet, add up to twice
# its width, within this.
SHEET_TOLERANCE_MM = 1.0
DEFAULT_MAX_INK = 300


CHECK_NAMES = (
    "boxes",
    "fonts embedded",
    "output intent",
    "pdf/x",
    "page count",
    "empty pages",
    "image resolution",
    "colour spaces",
    "text colour",
    "ink coverage",
    "transparency",
    "annotations",
    "metadata",
)


@dataclass(frozen=True)
class PreflightReport:
    """All checks of one PDF file, in the order of `CHECK_NAMES`; `typesetting` says how a
    print leaflet was set (copyfit.py), when the caller knows."""

    path: Path
    checks: tuple[Check, ...]
    typesetting: str = ""
    body_pt: float | None = None

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(check.ok for check in self.checks)

    def as_dict(self) -> dict:
        return {
            "file": self.path.name,
            "ok": self.ok,
            "body_pt": self.body_pt,
            "typesetting": self.typesetting or None,
            "checks": [
                {"name": check.name, "ok": check.ok, "detail": check.detail,
                 "findings": list(check.findings)}
                for check in self.checks
            ],
        }  # fmt: skip

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


def preflight(
    path: Path,
    fmt: Format,
    standard: str = "x-4",
    max_ink: int = DEFAULT_MAX_INK,
    imposed: bool = False,
) -> PreflightReport:
    """Check the print PDF at `path` against its format (for imposed sheets: the format's
    `sheet_format()`, with `imposed=True`); every check in `CHECK_NAMES` is reported.

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
        "pdf/x": lambda: check_pdfx(document.reader, STANDARDS[standard]),
        "page count": lambda: _check_page_count(document, fmt),
        "empty pages": lambda: content.check_empty_pages(document, fmt, imposed),
        "image resolution": lambda: content.check_images(document),
        "colour spaces": lambda: content.check_colour_spaces(document),
        "text colour": lambda: content.check_text_colour(document),
        "ink coverage": lambda: content.check_ink(document, max_ink),
        "transparency": lambda: content.check_transparency(document),
        "annotations": lambda: content.check_annotations(document),
        "metadata": lambda: _check_metadata(document),
    }
    return PreflightReport(path, tuple(_safely(name, runs[name]) for name in CHECK_NAMES))

