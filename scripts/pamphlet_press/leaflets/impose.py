"""Imposition: putting the single pages of a print PDF onto the sheets a print shop runs.

The print PDF (made by WeasyPrint with `@page { bleed: 3mm }`) has one page per page of the
pamphlet, in reading order. Every page's TrimBox is the trimmed page and its MediaBox (= BleedBox)
is that page grown by the bleed. Imposition places those pages side by side on A4 landscape
sheet sides, in the order that gives the right reading order once the sheets are printed on both
sides, folded (and for a booklet, nested and stapled).

Booklet (saddle stitch), A5 pages two to a side. Sheet k (k = 0, 1, ...) of an N-page booklet:

    front [N-2k | 2k+1]      back [2k+2 | N-2k-1]

    8 pages:  sheet 0  front [8 | 1]  back [2 | 7]
              sheet 1  front [6 | 3]  back [4 | 5]

A right-to-left booklet (Persian) is bound on the right, so each pair is mirrored: [1 | 8], [7 | 2].

Trifold (roll fold), six panels in reading order 1 front cover, 2 inner flap, 3-5 inside,
6 back cover, on one sheet printed on both sides:

    outside [2 inner flap | 6 back cover | 1 front cover]
    inside  [3 inside 1   | 4 inside 2   | 5 inside 3   ]

Right-to-left mirrors both sides: outside [1 | 6 | 2], inside [5 | 4 | 3]. Panels 2 and 5 fold
in and are 2-3 mm narrower; each panel's width is read from its TrimBox. Printed back to back
(turned on the long edge), the first panel of one side lies behind the last panel of the other,
so those must be equally wide.

Placing one page: its TrimBox lands on its slot on the sheet. Where two pages meet (the spine,
the folds) each page is cut at its trim edge, so its bleed does not run over its neighbour; on
the sheet's outer edges the page keeps its bleed, which becomes the sheet's bleed:

    +---------------------------+   sheet MediaBox = BleedBox
    |  +-----------+---------+  |   sheet TrimBox = the row of trimmed pages
    |  |  page 8   | page 1  |  |   outer bleed: from the pages
    |  +-----------+---------+  |   spine: each page cut at its trim edge
    +---------------------------+

The imposed file keeps the source's title, /Lang and /OutputIntents (its PDF/X output
intent), but it is not re-validated as PDF/X: its XMP metadata is not carried over.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    RectangleObject,
    TextStringObject,
)

from .formats import Format

POINTS_PER_MM = 72 / 25.4
SHEET_BLEED = 3 * POINTS_PER_MM
# Two trim sizes closer than this (about 0.2 mm) count as the same: WeasyPrint writes millimetre
# sizes as rounded points, and a shop's guillotine is not more precise than that either.
SIZE_TOLERANCE = 0.5

TRIFOLD_PANELS = 6
# Trifold sides as (outside, inside), 1-based page numbers, left to right on the sheet.
TRIFOLD_SIDES_LEFT_TO_RIGHT = ((2, 6, 1), (3, 4, 5))


def impose(fmt: Format, source: Path, target: Path, right_to_left: bool) -> int:
    """Impose a print PDF as its format says (formats.py: `imposition`); returns the number
    of sheet sides written."""
    impositions = {"saddle-stitch": impose_booklet, "roll-fold": impose_trifold}
    return impositions[fmt.imposition](source, target, right_to_left=right_to_left)


def impose_booklet(source: Path, target: Path, right_to_left: bool = False) -> int:
    """Impose an A5 print PDF as a saddle-stitched booklet on A4 landscape sheet sides.

    `source` must have a multiple of 4 pages, all of one trim size. Writes `target` atomically
    and returns the number of sheet sides written (pages / 2): front, back, front, back, ...
    """
    source = Path(source)
    # The reader stays open until the output is written: pypdf copies page objects lazily.
    with PdfReader(source) as reader:
        pages = list(reader.pages)
        page_count = len(pages)
        if page_count == 0 or page_count % 4:
            missing = -page_count % 4 or 4
            raise ValueError(
                f"{source.name}: a saddle-stitched booklet needs a multiple of 4 pages, "
                f"this one has {page_count} (add {missing} blank page(s) or shorten it)"
            )
        _check_same_trim_size(source, pages, compare_widths=True)

        writer = PdfWriter()
        for left_number, right_number in _booklet_sides(page_count, right_to_left):
            _add_sheet_side(writer, [pages[left_number - 1], pages[right_number - 1]])
        _copy_document_metadata(reader, writer)
        _write_atomically(writer, target)
        return len(writer.pages)


def impose_trifold(source: Path, target: Path, right_to_left: bool = False) -> int:
    """Impose a 6-panel print PDF as a roll-fold trifold on two A4 landscape sheet sides.

    `source` has one page per panel in reading order (1 front cover ... 6 back cover); panel
    widths may differ (the folding-in panels are narrower) but panels printed back to back must
    be equally wide. Writes `target` atomically and returns 2 (outside, then inside).
    """
    source = Path(source)
    sides = [
        tuple(reversed(side)) if right_to_left else side for side in TRIFOLD_SIDES_LEFT_TO_RIGHT
    ]
    # The reader stays open until the output is written: pypdf copies page objects lazily.
    with PdfReader(source) as reader:
        pages = list(reader.pages)
        if len(pages) != TRIFOLD_PANELS:
            raise ValueError(
                f"{source.name}: a trifold has exactly {TRIFOLD_PANELS} panels (one page "
                f"each), this one has {len(pages)} pages"
            )
        _check_same_trim_size(source, pages, compare_widths=False)
        _check_back_to_back_widths(source, pages, sides)

        writer = PdfWriter()
        for side in sides:
            _add_sheet_side(writer, [pages[number - 1] for number in side])
        _copy_document_metadata(reader, writer)
        _write_atomically(writer, target)
        return len(writer.pages)


def _booklet_sides(page_count: int, right_to_left: bool) -> list[tuple[int, int]]:
    """(left, right) 1-based page numbers of every sheet side, in printing order."""
    sides = []
    for sheet in range(page_count // 4):
        sides.append((page_count - 2 * sheet, 2 * sheet + 1))  # front
        sides.append((2 * sheet + 2, page_count - 2 * sheet - 1))  # back
    if right_to_left:
        # Bound on the right: the same pages share a side, in the other order.
        sides = [(right, left) for left, right in sides]
    return sides


def _check_same_trim_size(source: Path, pages: Sequence[PageObject], compare_widths: bool) -> None:
    """Refuse pages that cannot share a sheet: different heights (or widths, for a booklet).

    Also refuses rotated pages: the placement below works in unrotated page coordinates, and
    WeasyPrint never writes /Rotate.
    """
    first_trim = pages[0].trimbox
    for number, page in enumerate(pages, start=1):
        if page.rotation % 360:
            raise ValueError(f"{source.name}: page {number} is rotated ({page.rotation}°)")
        trim = page.trimbox
        if abs(trim.height - first_trim.height) > SIZE_TOLERANCE or (
            compare_widths and abs(trim.width - first_trim.width) > SIZE_TOLERANCE
        ):
            raise ValueError(
                f"{source.name}: page {number} is {_size_mm(trim)}, page 1 is "
                f"{_size_mm(first_trim)}; all pages must have the same trim "
                f"{'size' if compare_widths else 'height'}"
            )


def _check_back_to_back_widths(
    source: Path, pages: Sequence[PageObject], sides: Sequence[Sequence[int]]
) -> None:
    """Refuse a trifold whose panels would not line up with the panels printed behind them.

    Turned over on the long edge, the left panel of one side is behind the right panel of the
    other: its folds would otherwise not coincide.
    """
    outside, inside = sides
    for front_number, back_number in zip(outside, reversed(inside), strict=True):
        front_width = pages[front_number - 1].trimbox.width
        back_width = pages[back_number - 1].trimbox.width
        if abs(front_width - back_width) > SIZE_TOLERANCE:
            raise ValueError(
                f"{source.name}: panels {front_number} and {back_number} are printed back to "
                f"back and must be equally wide, but are {front_width / POINTS_PER_MM:.1f} mm "
                f"and {back_width / POINTS_PER_MM:.1f} mm"
            )


def _add_sheet_side(writer: PdfWriter, row: Sequence[PageObject]) -> PageObject:
    """Add one sheet side to `writer` with the pages of `row` side by side, left to right.

    Each page becomes a Form XObject whose bounding box is the part of the page to show (the
    box clips it) and is drawn once, moved into its slot. Unlike merging pages, this copies
    the pages' content streams as they are, without parsing them: several times faster.
    """
    trim_width = sum(float(page.trimbox.width) for page in row)
    trim_height = float(row[0].trimbox.height)
    sheet_width = trim_width + 2 * SHEET_BLEED
    sheet_height = trim_height + 2 * SHEET_BLEED
    sheet = writer.add_blank_page(width=sheet_width, height=sheet_height)

    forms = DictionaryObject()
    drawing = []
    slot_left = SHEET_BLEED
    for index, page in enumerate(row):
        trim = page.trimbox
        visible = _visible_rectangle(page, index == 0, index == len(row) - 1)
        name = NameObject(f"/Page{index}")
        forms[name] = _page_as_form(writer, page, visible)
        tx = slot_left - float(trim.left)
        ty = SHEET_BLEED - float(trim.bottom)
        drawing.append(f"q 1 0 0 1 {tx:.4f} {ty:.4f} cm {name} Do Q")
        slot_left += float(trim.width)
    sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): forms})
    content = DecodedStreamObject()
    content.set_data("\n".join(drawing).encode("ascii"))
    sheet[NameObject("/Contents")] = writer._add_object(content.flate_encode())

    whole_sheet = RectangleObject((0, 0, sheet_width, sheet_height))
    sheet.mediabox = whole_sheet
    sheet.bleedbox = whole_sheet
    sheet.trimbox = RectangleObject(
        (SHEET_BLEED, SHEET_BLEED, sheet_width - SHEET_BLEED, sheet_height - SHEET_BLEED)
    )
    return sheet


def _page_as_form(writer: PdfWriter, page: PageObject, visible: RectangleObject):
    """A Form XObject (in `writer`) drawing `page`, clipped to `visible` (page coordinates)."""
    contents = page.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): RectangleObject(visible),
            # Cloning into the same writer maps each source object once: the fonts and the
            # colour profile the pages share are written once.
            NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
        }
    )
    return writer._add_object(form.flate_encode())


def _visible_rectangle(
    page: PageObject, keeps_left_bleed: bool, keeps_right_bleed: bool
) -> RectangleObject:
    """The part of `page` (its own coordinates) to show on the sheet.

    Its trim, grown into its bleed on the sides that are the sheet's outer edges (always top and
    bottom), but never beyond the sheet's own bleed nor beyond the page's BleedBox.
    """
    trim = page.trimbox
    bleed = page.bleedbox
    outer_left = max(float(bleed.left), float(trim.left) - SHEET_BLEED)
    outer_right = min(float(bleed.right), float(trim.right) + SHEET_BLEED)
    return RectangleObject(
        (
            outer_left if keeps_left_bleed else float(trim.left),
            max(float(bleed.bottom), float(trim.bottom) - SHEET_BLEED),
            outer_right if keeps_right_bleed else float(trim.right),
            min(float(bleed.top), float(trim.top) + SHEET_BLEED),
        )
    )


def _copy_document_metadata(reader: PdfReader, writer: PdfWriter) -> None:
    """Carry over what a shop's preflight looks for: title, language and output intent."""
    title = reader.metadata.title if reader.metadata else None
    if title:
        writer.add_metadata({"/Title": title})
    source_catalog = reader.root_object
    if "/Lang" in source_catalog:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(source_catalog["/Lang"]))
    if "/OutputIntents" in source_catalog:
        # clone() copies the embedded ICC profile (/DestOutputProfile) along with the array.
        writer.root_object[NameObject("/OutputIntents")] = (
            source_catalog["/OutputIntents"].get_object().clone(writer)
        )


def _write_atomically(writer: PdfWriter, target: Path) -> None:
    """Write the PDF to a new file beside `target`, then swap it in.

    A reader of `target` (or a failed run) never sees a half-written file. The temporary name is
    unique so that two runs writing the same target do not write into one file.
    """
    target = Path(target)
    # Each page's resources are copied on their own, so the fonts and the colour profile the
    # pages share would be written once per page: keep one of each.
    writer.compress_identical_objects()
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as stream:
            writer.write(stream)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _size_mm(rectangle: RectangleObject) -> str:
    width = float(rectangle.width) / POINTS_PER_MM
    height = float(rectangle.height) / POINTS_PER_MM
    return f"{width:.1f} x {height:.1f} mm"
