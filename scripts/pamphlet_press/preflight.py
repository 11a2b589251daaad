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

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pypdf import PdfReader
from pypdf.generic import ContentStream

Binding = Literal["a5-booklet", "a4-trifold"]

POINTS_PER_MM = 72 / 25.4
BOX_TOLERANCE_PT = 0.1
MIN_DPI = 300

A5_WIDTH_MM, A5_HEIGHT_MM = 148.0, 210.0
TRIFOLD_PANELS = 6
TRIFOLD_HEIGHT_MM = 210.0
TRIFOLD_MIN_WIDTH_MM, TRIFOLD_MAX_WIDTH_MM = 95.0, 101.0
# Six panels are printed on the two sides of one landscape A4 sheet: 2 x 297 mm in all.
TRIFOLD_TOTAL_WIDTH_MM = 2 * 297.0
TRIFOLD_TOTAL_TOLERANCE_MM = 1.0

# Forms can draw forms; a malicious or broken file could nest them without end.
MAX_FORM_DEPTH = 24

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


def _number(value: float) -> str:
    return f"{round(value, 3):g}"


def _resolve(value: Any) -> Any:
    """The object an indirect reference points to (or `value` itself)."""
    return value.get_object() if hasattr(value, "get_object") else value


def _dictionary(value: Any) -> dict[str, Any]:
    """A resolved PDF dictionary, or an empty one when `value` is missing or not a dictionary."""
    value = _resolve(value)
    return value if isinstance(value, dict) else {}


def _object_key(value: Any) -> int:
    """An identity for a PDF object: its object number when indirect, else the Python id.

    Used to visit each font or form once even when many pages share it.
    """
    reference = getattr(value, "indirect_reference", None)
    if reference is not None:
        return reference.idnum
    return id(_resolve(value))


# --- The content-stream interpreter --------------------------------------------------------

# A transformation matrix [a b c d e f]: a point (x, y) maps to (a x + c y + e, b x + d y + f).
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _matrix(values: Any) -> Matrix:
    """Six numbers as a Matrix; a ValueError when there are not six."""
    a, b, c, d, e, f = (float(_resolve(value)) for value in values)
    return (a, b, c, d, e, f)


def _multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix that applies `first`, then `then` (PDF's `first x then`).

    `cm` and a form's /Matrix are applied *before* the current transformation matrix, so the
    new CTM is `_multiply(operand, ctm)`.
    """
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


@dataclass(frozen=True)
class ColourSpace:
    """A colour space, reduced to what preflight needs.

    `model` is the kind of colour it produces: "RGB", "CMYK", "Gray", "Lab", "Separation",
    "DeviceN", "Pattern" or "unknown". ICC-based and calibrated spaces take the model of their
    number of components (ICCBased /N 3 is RGB); an Indexed space takes its base's model,
    since the colours it paints are the base's colours.
    """

    label: str
    model: str
    components: int

    def initial_values(self) -> tuple[float, ...]:
        """The colour `cs` selects along with the space: black (PDF 32000 section 8.6.8)."""
        if self.model == "CMYK" and self.components == 4:
            return (0.0, 0.0, 0.0, 1.0)
        return (0.0,) * self.components


DEVICE_GRAY = ColourSpace("DeviceGray", "Gray", 1)
DEVICE_RGB = ColourSpace("DeviceRGB", "RGB", 3)
DEVICE_CMYK = ColourSpace("DeviceCMYK", "CMYK", 4)
# Names that `cs` takes directly, without a lookup in the resources.
FAMILY_SPACES = {
    "/DeviceGray": DEVICE_GRAY,
    "/DeviceRGB": DEVICE_RGB,
    "/DeviceCMYK": DEVICE_CMYK,
    "/Pattern": ColourSpace("Pattern", "Pattern", 0),
}
MODEL_OF_COMPONENTS = {1: "Gray", 3: "RGB", 4: "CMYK"}


def _colour_space(value: Any, resources: dict[str, Any], depth: int = 0) -> ColourSpace:
    """Resolve a colour-space operand (a name or an array) against a resource dictionary."""
    value = _resolve(value)
    if depth > 4:
        return ColourSpace("unresolvable colour space", "unknown", 0)
    if isinstance(value, str):  # pypdf's NameObject is a str
        if value in FAMILY_SPACES:
            return FAMILY_SPACES[value]
        named = _dictionary(resources.get("/ColorSpace")).get(value)
        if named is None:
            return ColourSpace(f"{value} (undefined)", "unknown", 0)
        resolved = _colour_space(named, resources, depth + 1)
        return replace(resolved, label=f"{value} ({resolved.label})")
    if not isinstance(value, list) or not value:
        return ColourSpace(f"invalid colour space {value!r}", "unknown", 0)

    family = str(_resolve(value[0]))
    if len(value) == 1:
        return _colour_space(family, resources, depth + 1)
    if family == "/ICCBased":
        components = int(_dictionary(value[1]).get("/N", 0))
        model = MODEL_OF_COMPONENTS.get(components, "unknown")
        return ColourSpace(f"ICCBased {model}", model, components)
    if family == "/CalRGB":
        return ColourSpace("CalRGB", "RGB", 3)
    if family == "/CalGray":
        return ColourSpace("CalGray", "Gray", 1)
    if family == "/Lab":
        return ColourSpace("Lab", "Lab", 3)
    if family == "/Indexed":
        base = _colour_space(value[1], resources, depth + 1)
        return ColourSpace(f"Indexed {base.label}", base.model, 1)
    if family == "/Separation":
        return ColourSpace(f"Separation {_resolve(value[1])}", "Separation", 1)
    if family == "/DeviceN":
        return ColourSpace("DeviceN", "DeviceN", len(_resolve(value[1])))
    if family == "/Pattern":
        return FAMILY_SPACES["/Pattern"]
    return ColourSpace(f"{family}", "unknown", 0)


@dataclass(frozen=True)
class Colour:
    """A colour as set in a content stream: its space and its component values."""

    space: ColourSpace
    values: tuple[float, ...]

    @property
    def is_pure_k(self) -> bool:
        """100 % black and nothing else: one plate, so no registration blur on small text."""
        if self.space.model != "CMYK" or len(self.values) != 4:
            return False
        return all(
            abs(got - want) < 1e-3 for got, want in zip(self.values, (0, 0, 0, 1), strict=True)
        )

    def describe(self) -> str:
        """The colour as a preflight report names it: "DeviceRGB 1 0 0"."""
        return " ".join([self.space.label, *(_number(value) for value in self.values)])


INITIAL_COLOUR = Colour(DEVICE_GRAY, (0.0,))

# Text rendering modes (the Tr operator): which of fill and stroke paint the glyphs.
# Modes 3 and 7 paint nothing (invisible text, such as an OCR layer).
FILLING_TEXT_MODES = {0, 2, 4, 6}
STROKING_TEXT_MODES = {1, 2, 5, 6}


@dataclass
class _GraphicsState:
    """The parts of the PDF graphics state that preflight follows (saved by q, restored by Q)."""

    ctm: Matrix = IDENTITY
    fill: Colour = INITIAL_COLOUR
    stroke: Colour = INITIAL_COLOUR
    text_render_mode: int = 0

    def copy(self) -> _GraphicsState:
        return replace(self)


@dataclass(frozen=True)
class PlacedImage:
    """An image drawn on a page: its pixels and the size it is drawn at (in points)."""

    page: int
    pixels_wide: int
    pixels_high: int
    width_pt: float
    height_pt: float

    @property
    def dpi_wide(self) -> float:
        return self.pixels_wide / (self.width_pt / 72)

    @property
    def dpi_high(self) -> float:
        return self.pixels_high / (self.height_pt / 72)

    @property
    def dpi(self) -> float:
        """The lower of the two effective resolutions: the one that shows first in print."""
        return min(self.dpi_wide, self.dpi_high)

    def describe(self) -> str:
        wide, high = round(self.dpi_wide), round(self.dpi_high)
        dpi = f"{wide} dpi" if wide == high else f"{wide} x {high} dpi"
        return (
            f"page {self.page}: {dpi} ({self.pixels_wide} x {self.pixels_high} px "
            f"at {_mm(self.width_pt)} x {_mm(self.height_pt)} mm)"
        )


@dataclass(frozen=True)
class PaintedText:
    """One text-showing operator (Tj, TJ, ', ") and the colours its glyphs are painted in.

    `colours` is empty for invisible text (rendering mode 3 or 7).
    """

    page: int
    colours: tuple[Colour, ...]


@dataclass
class PageContent:
    """What the content of one page draws, as far as preflight cares."""

    images: list[PlacedImage] = field(default_factory=list)
    texts: list[PaintedText] = field(default_factory=list)


TEXT_SHOWING_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}


class _ContentWalker:
    """Interprets a page's content stream, following Form XObjects, to find images and text.

    Only the operators that change what preflight measures are interpreted: q/Q and cm for the
    transformation matrix, the colour operators, Tr, the text-showing operators, Do and inline
    images. An operator with malformed operands is skipped, as a viewer would.
    """

    def __init__(self, page_number: int, reader: PdfReader) -> None:
        self.page_number = page_number
        self.reader = reader
        self.content = PageContent()

    def walk(
        self,
        operations: list[tuple[Any, bytes]],
        resources: dict[str, Any],
        state: _GraphicsState,
        open_forms: tuple[int, ...] = (),
    ) -> None:
        saved_states: list[_GraphicsState] = []
        for operands, operator in operations:
            if operator == b"q":
                saved_states.append(state.copy())
            elif operator == b"Q":
                # An unbalanced Q is malformed; ignoring it keeps the state we have.
                if saved_states:
                    state = saved_states.pop()
            else:
                try:
                    self._interpret(operator, operands, resources, state, open_forms)
                except (ValueError, TypeError, IndexError, KeyError, AttributeError):
                    continue

    def _interpret(
        self,
        operator: bytes,
        operands: Any,
        resources: dict[str, Any],
        state: _GraphicsState,
        open_forms: tuple[int, ...],
    ) -> None:
        if operator == b"cm":
            state.ctm = _multiply(_matrix(operands), state.ctm)
        elif operator in (b"rg", b"RG", b"k", b"K", b"g", b"G"):
            space = {b"rg": DEVICE_RGB, b"k": DEVICE_CMYK, b"g": DEVICE_GRAY}[operator.lower()]
            colour = Colour(space, tuple(float(value) for value in operands))
            self._set_colour(state, colour, stroking=operator.isupper())
        elif operator in (b"cs", b"CS"):
            space = _colour_space(operands[0], resources)
            colour = Colour(space, space.initial_values())
            self._set_colour(state, colour, stroking=operator == b"CS")
        elif operator in (b"sc", b"scn", b"SC", b"SCN"):
            stroking = operator.isupper()
            current = state.stroke if stroking else state.fill
            # scn may end with a pattern name: only the numbers are colour components.
            values = tuple(float(value) for value in operands if not isinstance(value, str))
            self._set_colour(state, Colour(current.space, values), stroking=stroking)
        elif operator == b"Tr":
            state.text_render_mode = int(operands[0])
        elif operator in TEXT_SHOWING_OPERATORS:
            self._record_text(state)
        elif operator == b"Do":
            self._draw_xobject(str(operands[0]), resources, state, open_forms)
        elif operator == b"INLINE IMAGE":
            settings = operands["settings"]
            width = settings.get("/W", settings.get("/Width"))
            height = settings.get("/H", settings.get("/Height"))
            self._record_image(int(width), int(height), state)

    @staticmethod
    def _set_colour(state: _GraphicsState, colour: Colour, stroking: bool) -> None:
        if stroking:
            state.stroke = colour
        else:
            state.fill = colour

    def _record_text(self, state: _GraphicsState) -> None:
        colours: list[Colour] = []
        if state.text_render_mode in FILLING_TEXT_MODES:
            colours.append(state.fill)
        if state.text_render_mode in STROKING_TEXT_MODES:
            colours.append(state.stroke)
        self.content.texts.append(PaintedText(self.page_number, tuple(colours)))

    def _record_image(self, pixels_wide: int, pixels_high: int, state: _GraphicsState) -> None:
        # An image fills the unit square of the CTM: its sides are the vectors (a, b) and (c, d).
        a, b, c, d, _, _ = state.ctm
        width_pt, height_pt = math.hypot(a, b), math.hypot(c, d)
        if width_pt <= 0 or height_pt <= 0:
            return  # drawn at no size: invisible, so its resolution does not matter
        self.content.images.append(
            PlacedImage(self.page_number, pixels_wide, pixels_high, width_pt, height_pt)
        )

    def _draw_xobject(
        self,
        name: str,
        resources: dict[str, Any],
        state: _GraphicsState,
        open_forms: tuple[int, ...],
    ) -> None:
        reference = _dictionary(resources.get("/XObject")).get(name)
        if reference is None:
            return
        xobject = _resolve(reference)
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self._record_image(int(xobject["/Width"]), int(xobject["/Height"]), state)
        elif subtype == "/Form":
            key = _object_key(reference)
            if key in open_forms or len(open_forms) >= MAX_FORM_DEPTH:
                return  # a form drawing itself: drawing it again would never end
            # A form runs in a saved graphics state, with its /Matrix before the CTM.
            form_state = state.copy()
            matrix = xobject.get("/Matrix")
            if matrix is not None:
                form_state.ctm = _multiply(_matrix(_resolve(matrix)), form_state.ctm)
            # A form without /Resources uses its caller's (allowed in old PDFs).
            form_resources = _dictionary(xobject.get("/Resources")) or resources
            operations = ContentStream(xobject, self.reader).operations
            self.walk(operations, form_resources, form_state, (*open_forms, key))


def _analyse_page(reader: PdfReader, index: int) -> PageContent:
    page = reader.pages[index]
    walker = _ContentWalker(index + 1, reader)
    contents = page.get_contents()
    if contents is not None:
        walker.walk(contents.operations, _dictionary(page.get("/Resources")), _GraphicsState())
    return walker.content


@dataclass
class _Document:
    """A PDF opened for preflight, with each page's content analysed once, on first use."""

    reader: PdfReader
    _analysed: tuple[list[PageContent], list[str]] | None = None

    def page_contents(self) -> tuple[list[PageContent], list[str]]:
        """What the readable pages draw, and why each unreadable page could not be read."""
        if self._analysed is None:
            contents: list[PageContent] = []
            unreadable: list[str] = []
            for index in range(len(self.reader.pages)):
                try:
                    contents.append(_analyse_page(self.reader, index))
                except Exception as error:  # noqa: BLE001 - a broken page is a finding
                    unreadable.append(f"page {index + 1}: unreadable content ({error})")
            self._analysed = (contents, unreadable)
        return self._analysed


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
        x1, y1, x2, y2 = (float(_resolve(number)) for number in _resolve(value))
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


def _check_boxes(document: _Document, binding: Binding, bleed_mm: float) -> Check:
    """TrimBox and BleedBox on every page, the trim the format of the binding, bleed all round."""
    pages = document.reader.pages
    if len(pages) == 0:
        return Check("boxes", False, "no pages")
    bleed_pt = bleed_mm * POINTS_PER_MM
    problems: list[str] = []
    trim_sizes: list[tuple[float, float]] = []
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

        if binding == "a5-booklet":
            expected_width = A5_WIDTH_MM * POINTS_PER_MM
            expected_height = A5_HEIGHT_MM * POINTS_PER_MM
            if not (_close(width, expected_width) and _close(height, expected_height)):
                problems.append(
                    f"page {number}: TrimBox {_mm(width)} x {_mm(height)} mm, "
                    f"expected {A5_WIDTH_MM:g} x {A5_HEIGHT_MM:g} mm"
                )
                continue
        else:
            narrowest = TRIFOLD_MIN_WIDTH_MM * POINTS_PER_MM - BOX_TOLERANCE_PT
            widest = TRIFOLD_MAX_WIDTH_MM * POINTS_PER_MM + BOX_TOLERANCE_PT
            if not (
                narrowest <= width <= widest and _close(height, TRIFOLD_HEIGHT_MM * POINTS_PER_MM)
            ):
                problems.append(
                    f"page {number}: TrimBox {_mm(width)} x {_mm(height)} mm, expected "
                    f"{TRIFOLD_MIN_WIDTH_MM:g}-{TRIFOLD_MAX_WIDTH_MM:g} x "
                    f"{TRIFOLD_HEIGHT_MM:g} mm"
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

    if not problems and binding == "a4-trifold" and len(trim_sizes) == TRIFOLD_PANELS:
        total_mm = sum(width for width, _ in trim_sizes) / POINTS_PER_MM
        if abs(total_mm - TRIFOLD_TOTAL_WIDTH_MM) > TRIFOLD_TOTAL_TOLERANCE_MM:
            problems.append(
                f"panel widths add up to {round(total_mm, 1):g} mm, expected "
                f"{TRIFOLD_TOTAL_WIDTH_MM:g} +-{TRIFOLD_TOTAL_TOLERANCE_MM:g} mm"
            )

    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return Check("boxes", False, problems[0] + more)
    if binding == "a5-booklet":
        found = f"A5 {A5_WIDTH_MM:g} x {A5_HEIGHT_MM:g} mm"
    else:
        widths = "/".join(_mm(width) for width, _ in trim_sizes)
        found = f"panels {widths} x {TRIFOLD_HEIGHT_MM:g} mm"
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
        for reference in _dictionary(resources.get(category)).values():
            key = _object_key(reference)
            if key in seen:
                continue
            seen.add(key)
            inner = _dictionary(_dictionary(reference).get("/Resources"))
            if inner:
                yield from _resource_dictionaries(inner, seen, depth + 1)


def _font_is_embedded(font: dict[str, Any]) -> bool:
    """Whether the font program is in the file (Type3 glyphs are always PDF drawings)."""
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        # A composite font's glyphs live in its (single) descendant CIDFont.
        descendants = _resolve(font.get("/DescendantFonts")) or []
        font = _dictionary(descendants[0]) if descendants else {}
    descriptor = _dictionary(font.get("/FontDescriptor"))
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _check_fonts(document: _Document) -> Check:
    """Every font in the resources of every page (and of its forms) is embedded."""
    seen_fonts: set[int] = set()
    unembedded: list[str] = []
    for number, page in enumerate(document.reader.pages, start=1):
        page_resources = _dictionary(page.get("/Resources"))
        for resources in _resource_dictionaries(page_resources, seen=set()):
            for resource_name, reference in _dictionary(resources.get("/Font")).items():
                key = _object_key(reference)
                if key in seen_fonts:
                    continue
                seen_fonts.add(key)
                font = _dictionary(reference)
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


def _check_output_intent(document: _Document) -> Check:
    """A PDF/X output intent whose destination profile is a CMYK ICC profile."""
    catalog = document.reader.root_object
    intents = _resolve(catalog.get("/OutputIntents"))
    if not intents:
        return Check("output intent", False, "no /OutputIntents in the catalog")
    subtypes = []
    for intent in intents:
        intent = _dictionary(intent)
        subtypes.append(str(intent.get("/S")))
        if intent.get("/S") != "/GTS_PDFX":
            continue
        identifier = str(intent.get("/OutputConditionIdentifier", "(no identifier)"))
        profile = _resolve(intent.get("/DestOutputProfile"))
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


def _check_page_count(document: _Document, binding: Binding) -> Check:
    """4 pages per folded sheet for a booklet, 6 panels for a trifold."""
    count = len(document.reader.pages)
    if binding == "a5-booklet":
        if count > 0 and count % 4 == 0:
            return Check("page count", True, f"{count} pages (a multiple of 4)")
        return Check("page count", False, f"{_pages(count)}, expected a multiple of 4 (A5 booklet)")
    if count == TRIFOLD_PANELS:
        return Check("page count", True, f"{count} panels")
    return Check(
        "page count", False, f"{_pages(count)}, expected exactly {TRIFOLD_PANELS} (trifold)"
    )


def _check_images(document: _Document) -> Check:
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


def _check_text_colour(document: _Document) -> Check:
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


def _check_metadata(document: _Document) -> Check:
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
    language = str(_resolve(reader.root_object.get("/Lang", "")) or "").strip()
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


def preflight(path: Path, binding: Binding, bleed_mm: float = 3.0) -> PreflightReport:
    """Check the print PDF at `path` for a binding; every check in `CHECK_NAMES` is reported.

    Never raises for a missing, unreadable, encrypted or malformed file: each check then fails
    with a detail that says what went wrong.
    """
    path = Path(path)
    if binding not in ("a5-booklet", "a4-trifold"):
        raise ValueError(f"unknown binding {binding!r}: expected 'a5-booklet' or 'a4-trifold'")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise ValueError("encrypted (a print PDF must not be)")
        document = _Document(reader)
    except Exception as error:  # noqa: BLE001 - an unreadable file fails every check
        detail = f"not a readable PDF: {error}"
        return PreflightReport(path, tuple(Check(name, False, detail) for name in CHECK_NAMES))

    runs: dict[str, Callable[[], Check]] = {
        "boxes": lambda: _check_boxes(document, binding, bleed_mm),
        "fonts embedded": lambda: _check_fonts(document),
        "output intent": lambda: _check_output_intent(document),
        "page count": lambda: _check_page_count(document, binding),
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
