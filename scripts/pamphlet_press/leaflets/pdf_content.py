"""Reading what a PDF page draws: an interpreter of PDF content streams, for preflight.

It follows the graphics state (transformation matrix, colours, text state, the current path)
through a page's content stream and everything it draws: form XObjects, tiling patterns,
shadings, images and inline images, and the appearance streams of the page's annotations.
For each mark it records what a print shop's preflight asks about (`Paint`): where it is
(page and the chain of objects it sits in, "page 3, form /Fm1 > image /Im0"), what kind of
mark it is (fill, stroke, text, image, shading), its colour and colour space (pdf_colour.py),
its bounding box on the page, and for text its size. Images are recorded with the size they
are placed at (their effective resolution), and anything that makes a page transparent
(groups, soft masks, blend modes, opacity) is noted.

Only the operators that change those are interpreted; an operator with malformed operands
is skipped, as a viewer would, and a form or pattern that draws itself is drawn once.

(It is longer than our other modules: one interpreter, whose operators share one graphics
state and one walk through the objects; split, it would be harder to follow. The colour
spaces it resolves are in pdf_colour.py.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream

from .pdf_colour import (
    DEVICE_CMYK,
    DEVICE_GRAY,
    DEVICE_RGB,
    INITIAL_COLOUR,
    Colour,
    ColourSpace,
    colour_space,
    dictionary,
    resolve,
)

# Forms can draw forms; a malicious or broken file could nest them without end.
MAX_FORM_DEPTH = 24
POINTS_PER_MM = 72 / 25.4

__all__ = ["Colour", "ColourSpace", "Document", "dictionary", "object_key", "resolve"]


def _mm(points: float) -> str:
    """A length in points, written in millimetres to 0.1 mm ("148", "99.5")."""
    return f"{round(points / POINTS_PER_MM, 1):g}"


def object_key(value: Any) -> int:
    """An identity for a PDF object: its object number when indirect, else the Python id.

    Used to visit each font or form once even when many pages share it.
    """
    reference = getattr(value, "indirect_reference", None)
    if reference is not None:
        return reference.idnum
    return id(resolve(value))


# A transformation matrix [a b c d e f]: a point (x, y) maps to (a x + c y + e, b x + d y + f).
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Box = tuple[float, float, float, float]


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


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return (a * x + c * y + e, b * x + d * y + f)


def _bounds(points: list[tuple[float, float]]) -> Box | None:
    if not points:
        return None
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (min(xs), min(ys), max(xs), max(ys))


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

    `colours` is empty for invisible text (rendering mode 3 or 7). `size` is the text's
    height on the page in points (its font size through the text and page matrices), 0 when
    no font was set; `origin` where it starts on the page.
    """

    page: int
    colours: tuple[Colour, ...]
    size: float = 0.0
    origin: tuple[float, float] = (0.0, 0.0)
    where: str = ""


@dataclass(frozen=True)
class Paint:
    """One mark on a page, as preflight sees it.

    kind: fill, stroke, text, image, shading. `colour` is what it is painted in (for an
    image or a shading: its colour space, with no values). `box` is its bounding box on the
    page, when known. `where` names the object chain ("form /Fm1 > image /Im0"), empty for
    the page's own content. `ink` the image's highest total area coverage, when measured.
    """

    page: int
    kind: str
    colour: Colour
    box: Box | None
    where: str = ""
    text_size: float = 0.0
    ink: float | None = None

    def place(self) -> str:
        return f"page {self.page}" + (f", {self.where}" if self.where else "")


@dataclass
class PageContent:
    """What the content of one page draws, as far as preflight cares."""

    images: list[PlacedImage] = field(default_factory=list)
    texts: list[PaintedText] = field(default_factory=list)
    paints: list[Paint] = field(default_factory=list)
    # Anything that makes the page transparent: "form /Fm0: transparency group".
    transparency: list[str] = field(default_factory=list)


# Text rendering modes (the Tr operator): which of fill and stroke paint the glyphs.
# Modes 3 and 7 paint nothing (invisible text, such as an OCR layer).
FILLING_TEXT_MODES = {0, 2, 4, 6}
STROKING_TEXT_MODES = {1, 2, 5, 6}
TEXT_SHOWING_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}
PATH_PAINTING = {
    b"S": (False, True), b"s": (False, True),
    b"f": (True, False), b"F": (True, False), b"f*": (True, False),
    b"B": (True, True), b"B*": (True, True), b"b": (True, True), b"b*": (True, True),
}  # fmt: skip


@dataclass
class _GraphicsState:
    """The parts of the PDF graphics state that preflight follows (saved by q, restored by Q)."""

    ctm: Matrix = IDENTITY
    fill: Colour = INITIAL_COLOUR
    stroke: Colour = INITIAL_COLOUR
    fill_pattern: str = ""
    stroke_pattern: str = ""
    text_render_mode: int = 0
    font_size: float = 0.0
    leading: float = 0.0

    def copy(self) -> _GraphicsState:
        return replace(self)


class _ContentWalker:
    """Interprets a page's content stream and everything it draws."""

    def __init__(self, page_number: int, reader: PdfReader, measure_image_ink: bool) -> None:
        self.page_number = page_number
        self.reader = reader
        self.measure_image_ink = measure_image_ink
        self.content = PageContent()
        self.path: list[tuple[float, float]] = []
        self.move_to: tuple[float, float] | None = None
        self.text_matrix: Matrix = IDENTITY
        self.line_matrix: Matrix = IDENTITY
        self.visited: set[int] = set()
        # What the forms being drawn let show (their bounding boxes, on the page): a mark
        # wholly outside is not printed (an imposed sheet clips each page to its slot).
        self.clip: Box | None = None

    def walk(
        self,
        operations: list[tuple[Any, bytes]],
        resources: dict[str, Any],
        state: _GraphicsState,
        where: str = "",
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
                    self._interpret(operator, operands, resources, state, where, open_forms)
                except (ValueError, TypeError, IndexError, KeyError, AttributeError):
                    continue

    def _interpret(
        self,
        operator: bytes,
        operands: Any,
        resources: dict[str, Any],
        state: _GraphicsState,
        where: str,
        open_forms: tuple[int, ...],
    ) -> None:
        if operator == b"cm":
            state.ctm = _multiply(_matrix(operands), state.ctm)
        elif operator == b"m":
            # A move alone draws nothing: its point counts once a segment starts from it.
            self.move_to = _apply(state.ctm, float(operands[0]), float(operands[1]))
        elif operator in (b"l", b"c", b"v", b"y"):
            numbers = [float(value) for value in operands]
            if self.move_to is not None:
                self.path.append(self.move_to)
                self.move_to = None
            self.path += [
                _apply(state.ctm, numbers[i], numbers[i + 1]) for i in range(0, len(numbers) - 1, 2)
            ]
        elif operator == b"re":
            x, y, w, h = (float(value) for value in operands)
            self.path += [_apply(state.ctm, px, py) for px, py in
                          ((x, y), (x + w, y), (x, y + h), (x + w, y + h))]  # fmt: skip
        elif operator in PATH_PAINTING:
            fills, strokes = PATH_PAINTING[operator]
            box = _bounds(self.path)
            if fills:
                self._paint("fill", state.fill, state.fill_pattern, box, resources, state, where,
                            open_forms)  # fmt: skip
            if strokes:
                self._paint("stroke", state.stroke, state.stroke_pattern, box, resources, state,
                            where, open_forms)  # fmt: skip
            self.path, self.move_to = [], None
        elif operator == b"n":
            self.path, self.move_to = [], None
        elif operator in (b"rg", b"RG", b"k", b"K", b"g", b"G"):
            space = {b"rg": DEVICE_RGB, b"k": DEVICE_CMYK, b"g": DEVICE_GRAY}[operator.lower()]
            colour = Colour(space, tuple(float(value) for value in operands))
            self._set_colour(state, colour, "", stroking=operator.isupper())
        elif operator in (b"cs", b"CS"):
            space = colour_space(operands[0], resources)
            colour = Colour(space, space.initial_values())
            self._set_colour(state, colour, "", stroking=operator == b"CS")
        elif operator in (b"sc", b"scn", b"SC", b"SCN"):
            stroking = operator.isupper()
            current = state.stroke if stroking else state.fill
            # scn may end with a pattern name: only the numbers are colour components.
            values = tuple(float(value) for value in operands if not isinstance(value, str))
            pattern = next((str(value) for value in operands if isinstance(value, str)), "")
            self._set_colour(state, Colour(current.space, values), pattern, stroking=stroking)
        elif operator == b"gs":
            self._graphics_state(str(operands[0]), resources, where)
        elif operator == b"BT":
            self.text_matrix = self.line_matrix = IDENTITY
        elif operator == b"Tf":
            state.font_size = float(operands[1])
        elif operator == b"TL":
            state.leading = float(operands[0])
        elif operator in (b"Td", b"TD"):
            tx, ty = float(operands[0]), float(operands[1])
            if operator == b"TD":
                state.leading = -ty
            self.line_matrix = _multiply((1, 0, 0, 1, tx, ty), self.line_matrix)
            self.text_matrix = self.line_matrix
        elif operator == b"Tm":
            self.text_matrix = self.line_matrix = _matrix(operands)
        elif operator == b"T*":
            self._next_line(state)
        elif operator == b"Tr":
            state.text_render_mode = int(operands[0])
        elif operator in TEXT_SHOWING_OPERATORS:
            if operator in (b"'", b'"'):
                self._next_line(state)
            self._record_text(state, where)
        elif operator == b"sh":
            shading = dictionary(dictionary(resources.get("/Shading")).get(str(operands[0])))
            self._record_shading(shading, f"shading {operands[0]}", state, where)
        elif operator == b"Do":
            self._draw_xobject(str(operands[0]), resources, state, where, open_forms)
        elif operator == b"INLINE IMAGE":
            settings = operands["settings"]
            width = settings.get("/W", settings.get("/Width"))
            height = settings.get("/H", settings.get("/Height"))
            box = self._record_image(int(width), int(height), state)
            if not settings.get("/IM", settings.get("/ImageMask", False)):
                space = colour_space(settings.get("/CS", settings.get("/ColorSpace")), resources)
                self._add_paint("image", Colour(space, ()), box, _join(where, "inline image"))

    def _next_line(self, state: _GraphicsState) -> None:
        self.line_matrix = _multiply((1, 0, 0, 1, 0, -state.leading), self.line_matrix)
        self.text_matrix = self.line_matrix

    @staticmethod
    def _set_colour(state: _GraphicsState, colour: Colour, pattern: str, stroking: bool) -> None:
        if stroking:
            state.stroke, state.stroke_pattern = colour, pattern
        else:
            state.fill, state.fill_pattern = colour, pattern

    def _add_paint(self, kind: str, colour: Colour, box: Box | None, where: str,
                   text_size: float = 0.0, ink: float | None = None) -> None:  # fmt: skip
        if box is not None and self.clip is not None and not _overlap(box, self.clip):
            return  # clipped away by a form's bounding box: not printed
        self.content.paints.append(
            Paint(self.page_number, kind, colour, box, where, text_size, ink)
        )

    def _paint(self, kind, colour, pattern_name, box, resources, state, where, open_forms):
        """A fill or stroke; painted with a pattern, what the pattern draws."""
        if colour.space.model == "Pattern" and pattern_name:
            pattern = dictionary(dictionary(resources.get("/Pattern")).get(pattern_name))
            label = _join(where, f"pattern {pattern_name}")
            if pattern.get("/PatternType") == 2:
                self._record_shading(dictionary(pattern.get("/Shading")), label, state, "",
                                     box)  # fmt: skip
                return
            if colour.space.base is not None:  # an uncoloured tiling pattern: its base colour
                self._add_paint(kind, Colour(colour.space.base, colour.values), box, label)
            self._walk_form(dictionary(resources.get("/Pattern")).get(pattern_name), state,
                            label, open_forms)  # fmt: skip
            return
        self._add_paint(kind, colour, box, where)

    def _graphics_state(self, name: str, resources: dict[str, Any], where: str) -> None:
        extgstate = dictionary(dictionary(resources.get("/ExtGState")).get(name))
        place = _join(where, f"graphics state {name}")
        soft_mask = resolve(extgstate.get("/SMask"))
        if soft_mask is not None and soft_mask != "/None":
            self.content.transparency.append(f"{place}: soft mask")
        for key, label in (("/ca", "fill opacity"), ("/CA", "stroke opacity")):
            value = extgstate.get(key)
            if value is not None and float(value) < 1:
                self.content.transparency.append(f"{place}: {label} {float(value):g}")
        blend = resolve(extgstate.get("/BM"))
        blend = resolve(blend[0]) if isinstance(blend, list) and blend else blend
        if blend is not None and str(blend) not in ("/Normal", "/Compatible"):
            self.content.transparency.append(f"{place}: blend mode {str(blend).lstrip('/')}")

    def _record_text(self, state: _GraphicsState, where: str) -> None:
        colours: list[Colour] = []
        if state.text_render_mode in FILLING_TEXT_MODES:
            colours.append(state.fill)
        if state.text_render_mode in STROKING_TEXT_MODES:
            colours.append(state.stroke)
        matrix = _multiply(self.text_matrix, state.ctm)
        size = abs(state.font_size) * math.hypot(matrix[2], matrix[3])
        origin = (matrix[4], matrix[5])
        self.content.texts.append(
            PaintedText(self.page_number, tuple(colours), size, origin, where)
        )
        box = (origin[0], origin[1], origin[0], origin[1] + size)
        for colour in colours:
            self._add_paint("text", colour, box, where, size)

    def _record_image(self, pixels_wide: int, pixels_high: int, state: _GraphicsState) -> Box:
        # An image fills the unit square of the CTM: its sides are the vectors (a, b) and (c, d).
        a, b, c, d, _, _ = state.ctm
        box = _bounds([_apply(state.ctm, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))])
        width_pt, height_pt = math.hypot(a, b), math.hypot(c, d)
        if width_pt > 0 and height_pt > 0:  # else drawn at no size: resolution does not matter
            self.content.images.append(
                PlacedImage(self.page_number, pixels_wide, pixels_high, width_pt, height_pt)
            )
        return box  # type: ignore[return-value]

    def _record_shading(self, shading, label, state, where, box=None) -> None:
        space = colour_space(shading.get("/ColorSpace"), {})
        ink = None
        function = dictionary(shading.get("/Function"))
        if function.get("/FunctionType") == 2:
            inks = [Colour(space, tuple(float(v) for v in resolve(function.get(key, [])))).ink
                    for key in ("/C0", "/C1")]  # fmt: skip
            ink = max((value for value in inks if value is not None), default=None)
        self._add_paint("shading", Colour(space, ()), box, _join(where, label), ink=ink)

    def _draw_xobject(self, name, resources, state, where, open_forms) -> None:
        reference = dictionary(resources.get("/XObject")).get(name)
        if reference is None:
            return
        xobject = resolve(reference)
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            box = self._record_image(int(xobject["/Width"]), int(xobject["/Height"]), state)
            label = _join(where, f"image {name}")
            if xobject.get("/SMask") is not None:
                self.content.transparency.append(f"{label}: soft mask (alpha channel)")
            if xobject.get("/ImageMask"):
                self._add_paint("fill", state.fill, box, label)  # a stencil: the fill colour
                return
            space = colour_space(xobject.get("/ColorSpace"), resources)
            ink = self._image_ink(xobject, space)
            self._add_paint("image", Colour(space, ()), box, label, ink=ink)
        elif subtype == "/Form":
            self._walk_form(reference, state, _join(where, f"form {name}"), open_forms, resources)

    def _walk_form(self, reference, state, label, open_forms, caller_resources=None) -> None:
        form = resolve(reference)
        key = object_key(reference)
        if key in open_forms or len(open_forms) >= MAX_FORM_DEPTH or not hasattr(form, "get_data"):
            return  # a form drawing itself: drawing it again would never end
        group = dictionary(form.get("/Group"))
        if group.get("/S") == "/Transparency" and key not in self.visited:
            self.content.transparency.append(f"{label}: transparency group")
        self.visited.add(key)
        # A form runs in a saved graphics state, with its /Matrix before the CTM.
        form_state = state.copy()
        matrix = form.get("/Matrix")
        if matrix is not None:
            form_state.ctm = _multiply(_matrix(resolve(matrix)), form_state.ctm)
        clip = self.clip
        bbox = form.get("/BBox")
        if bbox is not None and form.get("/PatternType") is None:
            x1, y1, x2, y2 = (float(resolve(value)) for value in resolve(bbox))
            corners = [(x1, y1), (x2, y1), (x1, y2), (x2, y2)]
            placed = _bounds([_apply(form_state.ctm, x, y) for x, y in corners])
            clip = _intersection(placed, self.clip)
        # A form without /Resources uses its caller's (allowed in old PDFs).
        form_resources = dictionary(form.get("/Resources")) or dictionary(caller_resources)
        saved = (self.text_matrix, self.line_matrix, self.path, self.clip)
        self.path = []
        self.clip = clip
        operations = ContentStream(form, self.reader).operations
        self.walk(operations, form_resources, form_state, label, (*open_forms, key))
        self.text_matrix, self.line_matrix, self.path, self.clip = saved

    def _image_ink(self, xobject, space: ColourSpace) -> float | None:
        """The highest total area coverage of a CMYK image, in percent (decoded with pypdf)."""
        if not self.measure_image_ink or space.model != "CMYK":
            return None
        try:
            image = xobject.decode_as_image()
            if image.mode != "CMYK":
                return None
            # Coverage matters over an area, not in one pixel: average blocks down to at
            # most 256 x 256 first (and keep the work small).
            factor = max(1, max(image.size) // 256)
            data = image.reduce(factor).tobytes()
            channels = (data[0::4], data[1::4], data[2::4], data[3::4])
            highest = max(c + m + y + k for c, m, y, k in zip(*channels, strict=True))
            return 100 * highest / 255
        except Exception:  # noqa: BLE001 - an image pypdf cannot decode is not measured
            return None


def _overlap(box: Box, other: Box) -> bool:
    return not (box[2] < other[0] or box[0] > other[2] or box[3] < other[1] or box[1] > other[3])


def _intersection(box: Box | None, other: Box | None) -> Box | None:
    if box is None or other is None:
        return box or other
    return (max(box[0], other[0]), max(box[1], other[1]), min(box[2], other[2]),
            min(box[3], other[3]))  # fmt: skip


def _join(where: str, label: str) -> str:
    return f"{where} > {label}" if where else label


def _analyse_page(reader: PdfReader, index: int, measure_image_ink: bool) -> PageContent:
    page = reader.pages[index]
    walker = _ContentWalker(index + 1, reader, measure_image_ink)
    if dictionary(page.get("/Group")).get("/S") == "/Transparency":
        walker.content.transparency.append("page group: transparency")
    contents = page.get_contents()
    resources = dictionary(page.get("/Resources"))
    if contents is not None:
        walker.walk(contents.operations, resources, _GraphicsState())
    # What annotations show is drawn by their appearance streams, at their Rect.
    for number, annotation in enumerate(resolve(page.get("/Annots")) or [], start=1):
        annotation = dictionary(annotation)
        appearance = resolve(dictionary(annotation.get("/AP")).get("/N"))
        if hasattr(appearance, "get_data"):
            streams = [appearance]
        else:  # one appearance per state (a check box's on and off)
            states = dictionary(appearance).values()
            streams = [value for value in states if hasattr(resolve(value), "get_data")]
        subtype = str(annotation.get("/Subtype", "/Annot")).lstrip("/")
        rect = [float(value) for value in resolve(annotation.get("/Rect", [0, 0, 0, 0]))]
        corner = (min(rect[0], rect[2]), min(rect[1], rect[3]))
        state = _GraphicsState(ctm=(1.0, 0.0, 0.0, 1.0, *corner))
        for stream in streams:
            walker._walk_form(stream, state, f"annotation {number} ({subtype}) appearance", ())
    return walker.content


@dataclass
class Document:
    """A PDF opened for preflight, with each page's content analysed once, on first use."""

    reader: PdfReader
    measure_image_ink: bool = True
    _analysed: tuple[list[PageContent], list[str]] | None = None

    def page_contents(self) -> tuple[list[PageContent], list[str]]:
        """What the readable pages draw, and why each unreadable page could not be read."""
        if self._analysed is None:
            contents: list[PageContent] = []
            unreadable: list[str] = []
            for index in range(len(self.reader.pages)):
                try:
                    contents.append(_analyse_page(self.reader, index, self.measure_image_ink))
                except Exception as error:  # noqa: BLE001 - a broken page is a finding
                    unreadable.append(f"page {index + 1}: unreadable content ({error})")
            self._analysed = (contents, unreadable)
        return self._analysed
