"""Preflight of what the pages draw: colour, ink, text, images, transparency, annotations.

Each check reads every mark the content-stream interpreter found (pdf_content.py: pages,
form XObjects, patterns, shadings, images, annotation appearances) and returns a `Check`
with every finding, each naming the page, the object and what to change:

colour spaces
    Every mark in CMYK, grey or the registration colour: a shop converts RGB and Lab itself,
    with its own idea of black (RGB black becomes ~320 % four-colour ink), and a spot colour
    is a plate it did not quote for. Colours merely set but never painted do not count.
text colour
    Text under 12 pt in 100 % K (0 0 0 1): on one plate it stays sharp however the plates
    register; larger type (headings, the cover) may use colour.
ink coverage
    No colour above the total area coverage the paper takes (300 % on coated offset paper,
    `max_ink_coverage`); registration colour (400 %) only outside the bleed box (marks).
transparency
    No transparency group, soft mask, blend mode or opacity: PDF/X-1a forbids them, and
    under PDF/X-4 the shop's RIP would flatten them its own way. Our leaflets have none.
annotations
    No annotation inside the bleed box (PDF/X): links and comments are not printed matter.
image resolution
    Every placed image at least 300 dpi at the size it is drawn.
empty pages
    Every page has text or a picture in its type area (the page inside its margins), not
    just the running head or the page number: a blank page reads as a misprint.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .formats import Format
from .pdf_content import Document, Paint, PlacedImage, resolve

MIN_DPI = 300
# Text from this size on may be printed in colour (four plates); smaller text 100 % K.
MIN_COLOUR_TEXT_PT = 12.0
POINTS_PER_MM = 72 / 25.4
# Annotations that are printer's marks, allowed in the bleed (PDF/X).
PRINTER_ANNOTATIONS = {"/TrapNet", "/PrinterMark"}

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Check:
    """The outcome of one preflight check (preflight.py runs them all).

    `detail` is short enough for a table cell and says what was found: on success a summary
    ("A5 148 x 210 mm, bleed 3 mm, 8 pages"), on failure the first offending place and how
    many more there are ("page 3: TrimBox 150 x 210 mm, expected 148 x 210 mm (and 7 more)").
    `findings` lists every offending place with what to change.
    """

    name: str
    ok: bool
    detail: str
    findings: tuple[str, ...] = ()


def _result(name: str, findings: list[str], success: str) -> Check:
    if findings:
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        return Check(name, False, findings[0] + more, tuple(findings))
    return Check(name, True, success)


def _contents(document: Document, name: str):
    """The pages' contents, or the failed check when a page cannot be read."""
    contents, unreadable = document.page_contents()
    if unreadable:
        return None, Check(name, False, unreadable[0], tuple(unreadable))
    return contents, None


def _paints(document: Document) -> Iterable[Paint]:
    contents, _ = document.page_contents()
    for content in contents:
        yield from content.paints


def _box(value) -> Box:
    x1, y1, x2, y2 = (float(resolve(number)) for number in resolve(value))
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _bleed_boxes(document: Document) -> dict[int, Box]:
    boxes = {}
    for number, page in enumerate(document.reader.pages, start=1):
        box = page.get("/BleedBox") or page.get("/TrimBox") or page.mediabox
        boxes[number] = _box(box)
    return boxes


def _overlaps(box: Box | None, other: Box, tolerance: float = 0.1) -> bool:
    """Whether two boxes overlap (a mark without a known box is taken to be on the page)."""
    if box is None:
        return True
    return not (
        box[2] <= other[0] + tolerance
        or box[0] >= other[2] - tolerance
        or box[3] <= other[1] + tolerance
        or box[1] >= other[3] - tolerance
    )


def check_colour_spaces(document: Document):
    name = "colour spaces"
    contents, failed = _contents(document, name)
    if failed:
        return failed
    findings = []
    count = 0
    for paint in _paints(document):
        count += 1
        space = paint.colour.space
        if space.is_print_space:
            continue
        if paint.kind == "image":
            fix = "convert the image to CMYK with the print shop's profile before placing it"
            findings.append(f"{paint.place()}: {space.label} image: {fix}")
            continue
        what = paint.colour.describe() if paint.colour.values else space.label
        if space.spot_colorants:
            inks = ", ".join(space.spot_colorants)
            fix = f"a spot colour ({inks}) prints on a plate of its own: use CMYK instead"
        else:
            fix = "set it in CMYK (device-cmyk(...) in the stylesheet)"
        findings.append(f"{paint.place()}: {paint.kind} in {what}: {fix}")
    return _result(name, findings, f"{count} marks, all in CMYK, grey or registration")


def check_text_colour(document: Document):
    name = "text colour"
    contents, failed = _contents(document, name)
    if failed:
        return failed
    findings = []
    small = large = 0
    for content in contents:
        for text in content.texts:
            for colour in text.colours:
                if text.size + 0.05 >= MIN_COLOUR_TEXT_PT:
                    large += 1
                    continue
                small += 1
                if colour.is_pure_k:
                    continue
                place = f"page {text.page}" + (f", {text.where}" if text.where else "")
                size = f"{round(text.size, 1):g} pt " if text.size else ""
                findings.append(
                    f"{place}: {size}text in {colour.describe()}, not 100 % K: set text "
                    f"under {MIN_COLOUR_TEXT_PT:g} pt in device-cmyk(0 0 0 1)"
                )
    if not small and not large:
        return _result(name, findings, "no text")
    return _result(
        name, findings,
        f"{small} text runs under {MIN_COLOUR_TEXT_PT:g} pt, all 100 % K; {large} larger",
    )  # fmt: skip


def check_ink(document: Document, max_ink: int):
    name = "ink coverage"
    contents, failed = _contents(document, name)
    if failed:
        return failed
    bleed = _bleed_boxes(document)
    findings = []
    highest = 0.0
    for paint in _paints(document):
        ink = paint.ink if paint.ink is not None else paint.colour.ink
        if ink is None:
            continue
        if paint.colour.is_registration:
            if _overlaps(paint.box, bleed[paint.page]):
                findings.append(
                    f"{paint.place()}: {paint.kind} in the registration colour (400 % ink) "
                    "inside the bleed box: it is for marks outside the bleed; use 100 % K"
                )
            continue
        highest = max(highest, ink)
        if ink > max_ink + 0.5:
            what = paint.colour.describe() if paint.colour.values else paint.colour.space.label
            findings.append(
                f"{paint.place()}: {paint.kind} in {what} = {round(ink):g} % ink, over "
                f"{max_ink} %: take out cyan, magenta and yellow under the black"
            )
    return _result(name, findings, f"at most {round(highest):g} % (limit {max_ink} %)")


def check_transparency(document: Document):
    name = "transparency"
    contents, failed = _contents(document, name)
    if failed:
        return failed
    findings = [
        f"page {number}, {item}: remove it (no opacity, rgba colours or masks in print "
        "leaflets), or flatten the file"
        for number, content in enumerate(contents, start=1)
        for item in dict.fromkeys(content.transparency)
    ]
    return _result(name, findings, "none")


def check_annotations(document: Document):
    name = "annotations"
    findings = []
    bleed = _bleed_boxes(document)
    for number, page in enumerate(document.reader.pages, start=1):
        for index, annotation in enumerate(resolve(page.get("/Annots")) or [], start=1):
            annotation = resolve(annotation)
            subtype = str(annotation.get("/Subtype", "/Annot"))
            if subtype in PRINTER_ANNOTATIONS:
                continue
            rect = _box(annotation.get("/Rect", [0, 0, 0, 0]))
            if not _overlaps(rect, bleed[number]):
                continue
            where = " x ".join(
                f"{round(low / POINTS_PER_MM):g}-{round(high / POINTS_PER_MM):g}"
                for low, high in ((rect[0], rect[2]), (rect[1], rect[3]))
            )
            findings.append(
                f"page {number}: annotation {index} ({subtype.lstrip('/')}) inside the bleed "
                f"box (at {where} mm): a print PDF carries no links or comments; remove it"
            )
    return _result(name, findings, "none inside the bleed box")


def check_images(document: Document):
    """Every placed image has at least MIN_DPI at the size it is drawn."""
    name = "image resolution"
    contents, failed = _contents(document, name)
    if failed:
        return failed
    images: list[PlacedImage] = [image for content in contents for image in content.images]
    if not images:
        return Check(name, True, "no images")
    worst = min(images, key=lambda image: image.dpi)
    low = [image for image in images if image.dpi < MIN_DPI]
    if low:
        more = f"; {len(low)} images under {MIN_DPI} dpi" if len(low) > 1 else ""
        findings = tuple(
            f"{image.describe()}: use a larger image, or place it smaller" for image in low
        )
        return Check(name, False, worst.describe() + more, findings)
    count = f"{len(images)} image{'s' if len(images) != 1 else ''}"
    return Check(name, True, f"{count}, lowest {round(worst.dpi)} dpi (page {worst.page})")


def check_empty_pages(document: Document, fmt: Format, imposed: bool):
    name = "empty pages"
    if imposed:
        return Check(name, True, "checked on the print PDF (the same pages)")
    contents, failed = _contents(document, name)
    if failed:
        return failed
    top, right, bottom, left = (length * POINTS_PER_MM for length in fmt.margins_mm)
    findings = []
    for number, (page, content) in enumerate(zip(document.reader.pages, contents, strict=True), 1):
        trim = _box(page.get("/TrimBox") or page.mediabox)
        area = (trim[0] + left, trim[1] + bottom, trim[2] - right, trim[3] - top)
        inside = [
            paint for paint in content.paints
            if paint.kind in ("text", "image") and _overlaps(paint.box, area, tolerance=0)
        ]  # fmt: skip
        if not inside:
            findings.append(
                f"page {number}: no text or picture inside the margins (at most a running "
                "head or a page number): a blank page reads as a misprint; the text is too "
                "short for its format: lengthen it, or choose a format with fewer pages"
            )
    return _result(name, findings, f"none of {len(contents)}")
