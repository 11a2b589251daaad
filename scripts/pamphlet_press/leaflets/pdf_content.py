"""Reading what a PDF page draws: an interpreter of PDF content streams, for preflight.

It follows the graphics state (transformation matrix, fill and stroke colours) through a
page's content stream and every form XObject it draws, and records what a print shop's
preflight asks about: each text-showing operation with its colour, and each image with the
size it is placed at (its effective resolution). Colour spaces are resolved through the
page's resources (ICCBased, Separation, DeviceN and Indexed down to their model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream

# Forms can draw forms; a malicious or broken file could nest them without end.
MAX_FORM_DEPTH = 24
POINTS_PER_MM = 72 / 25.4


def _mm(points: float) -> str:
    """A length in points, written in millimetres to 0.1 mm ("148", "99.5")."""
    return f"{round(points / POINTS_PER_MM, 1):g}"


def _number(value: float) -> str:
    return f"{round(value, 3):g}"


def resolve(value: Any) -> Any:
    """The object an indirect reference points to (or `value` itself)."""
    return value.get_object() if hasattr(value, "get_object") else value


def dictionary(value: Any) -> dict[str, Any]:
    """A resolved PDF dictionary, or an empty one when `value` is missing or not a dictionary."""
    value = resolve(value)
    return value if isinstance(value, dict) else {}


def object_key(value: Any) -> int:
    """An identity for a PDF object: its object number when indirect, else the Python id.

    Used to visit each font or form once even when many pages share it.
    """
    reference = getattr(value, "indirect_reference", None)
    if reference is not None:
        return reference.idnum
    return id(resolve(value))


# --- The content-stream interpreter --------------------------------------------------------

# A transformation matrix [a b c d e f]: a point (x, y) maps to (a x + c y + e, b x + d y + f).
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _matrix(values: Any) -> Matrix:
    """Six numbers as a Matrix; a ValueError when there are not six."""
    a, b, c, d, e, f = (float(resolve(value)) for value in values)
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
    value = resolve(value)
    if depth > 4:
        return ColourSpace("unresolvable colour space", "unknown", 0)
    if isinstance(value, str):  # pypdf's NameObject is a str
        if value in FAMILY_SPACES:
            return FAMILY_SPACES[value]
        named = dictionary(resources.get("/ColorSpace")).get(value)
        if named is None:
            return ColourSpace(f"{value} (undefined)", "unknown", 0)
        resolved = _colour_space(named, resources, depth + 1)
        return replace(resolved, label=f"{value} ({resolved.label})")
    if not isinstance(value, list) or not value:
        return ColourSpace(f"invalid colour space {value!r}", "unknown", 0)

    family = str(resolve(value[0]))
    if len(value) == 1:
        return _colour_space(family, resources, depth + 1)
    if family == "/ICCBased":
        components = int(dictionary(value[1]).get("/N", 0))
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
        return ColourSpace(f"Separation {resolve(value[1])}", "Separation", 1)
    if family == "/DeviceN":
        return ColourSpace("DeviceN", "DeviceN", len(resolve(value[1])))
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
        reference = dictionary(resources.get("/XObject")).get(name)
        if reference is None:
            return
        xobject = resolve(reference)
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self._record_image(int(xobject["/Width"]), int(xobject["/Height"]), state)
        elif subtype == "/Form":
            key = object_key(reference)
            if key in open_forms or len(open_forms) >= MAX_FORM_DEPTH:
                return  # a form drawing itself: drawing it again would never end
            # A form runs in a saved graphics state, with its /Matrix before the CTM.
            form_state = state.copy()
            matrix = xobject.get("/Matrix")
            if matrix is not None:
                form_state.ctm = _multiply(_matrix(resolve(matrix)), form_state.ctm)
            # A form without /Resources uses its caller's (allowed in old PDFs).
            form_resources = dictionary(xobject.get("/Resources")) or resources
            operations = ContentStream(xobject, self.reader).operations
            self.walk(operations, form_resources, form_state, (*open_forms, key))


def _analyse_page(reader: PdfReader, index: int) -> PageContent:
    page = reader.pages[index]
    walker = _ContentWalker(index + 1, reader)
    contents = page.get_contents()
    if contents is not None:
        walker.walk(contents.operations, dictionary(page.get("/Resources")), _GraphicsState())
    return walker.content


@dataclass
class Document:
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
