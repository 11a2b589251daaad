"""Printer's marks: crop marks where the sheet is cut, bleed marks where the bleed ends, fold
marks where it is folded.

WeasyPrint's own marks (`@page { marks: crop }`) are drawn in RGB black inside the bleed, and
it knows nothing of folds; so the print PDF is rendered without them and ours are added to
each page after rendering (render.py), and to each imposed sheet (impose.py):

            |         :          |            cut marks: solid, 5 mm long, starting 3 mm
            |         :          |            outside the bleed box, in line with each
     -- +---+---------+----------+---+ --     trimmed edge that is cut
        |   :         :          :   |
        |   +---------+----------+   |        fold marks: dashed, in line with each fold
        |   |  trim   |   trim   |   |        (a booklet's spine, a trifold's inner panel
        |   +---------+----------+   |        edges), so that a guillotine operator does not
        |   :         :          :   |        take a fold for a cut
     -- +---+---------+----------+---+ --
            |         :          |            bleed marks: solid, 3 mm long, in line with
            |         :          |            the bleed box's edges (where colour must reach)

The page's MediaBox grows to hold them; its TrimBox and BleedBox stay as they are.

Marks are hairlines (0.25 pt) in the registration colour (a Separation named All, which
prints on every plate), so that the plates can be checked against each other. Nothing is
drawn inside the bleed box. A project that sends files to a shop that wants no marks sets
`crop_marks: false` (plugins.pamphlets.pdf): then neither cut nor fold marks are drawn and
the MediaBox is the BleedBox.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

POINTS_PER_MM = 72 / 25.4
# The gap between the bleed box and the start of a mark, the mark's length and weight.
OFFSET_MM = 3.0
LENGTH_MM = 5.0
BLEED_MARK_MM = 3.0
WEIGHT_PT = 0.25
# Fold marks: 1 mm dashes with 1 mm gaps (three dashes on a 5 mm mark).
FOLD_DASH_MM = (1.0, 1.0)
# Beyond the end of the marks, so that a viewer does not crop them at the page edge.
PAPER_MM = 1.0
# The name the registration colour space has in the page's resources.
REGISTRATION = "PamphletsRegistration"


def margin_mm(bleed_mm: float) -> float:
    """How far the MediaBox extends the TrimBox when marks are drawn."""
    return bleed_mm + OFFSET_MM + LENGTH_MM + PAPER_MM


@dataclass(frozen=True)
class Trim:
    """A trimmed page or sheet in PDF points: left, bottom, right, top."""

    left: float
    bottom: float
    right: float
    top: float

    def grown(self, millimetres: float) -> tuple[float, float, float, float]:
        amount = millimetres * POINTS_PER_MM
        return (self.left - amount, self.bottom - amount, self.right + amount, self.top + amount)


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f"{x1:.3f} {y1:.3f} m {x2:.3f} {y2:.3f} l S"


def marks_content(
    trim: Trim, bleed_mm: float, cuts_x: Iterable[float], folds_x: Iterable[float]
) -> bytes:
    """The content-stream operators that draw the marks of one page or sheet.

    `cuts_x` are the x positions of its vertical edges that are cut, `folds_x` those of
    vertical folds; the top and bottom edges are always cut. The operators use the colour
    space named REGISTRATION, which the page's resources must define (`registration_array`).
    """
    bleed = bleed_mm * POINTS_PER_MM
    start = bleed + OFFSET_MM * POINTS_PER_MM
    end = start + LENGTH_MM * POINTS_PER_MM
    short = start + BLEED_MARK_MM * POINTS_PER_MM
    solid = []
    # Cut marks, and bleed marks in line with the bleed box, left and right of the top and
    # bottom edges.
    for y, bleed_y in ((trim.bottom, trim.bottom - bleed), (trim.top, trim.top + bleed)):
        solid.append(_line(trim.left - end, y, trim.left - start, y))
        solid.append(_line(trim.right + start, y, trim.right + end, y))
        solid.append(_line(trim.left - short, bleed_y, trim.left - start, bleed_y))
        solid.append(_line(trim.right + start, bleed_y, trim.right + short, bleed_y))
    # Above and below each vertical edge that is cut: its cut mark, and a bleed mark where
    # the bleed beyond it ends.
    for x in cuts_x:
        outward = -bleed if abs(x - trim.left) < abs(x - trim.right) else bleed
        solid.append(_line(x, trim.top + start, x, trim.top + end))
        solid.append(_line(x, trim.bottom - end, x, trim.bottom - start))
        solid.append(_line(x + outward, trim.top + start, x + outward, trim.top + short))
        solid.append(_line(x + outward, trim.bottom - short, x + outward, trim.bottom - start))
    dashed = []
    for x in folds_x:
        dashed.append(_line(x, trim.top + start, x, trim.top + end))
        dashed.append(_line(x, trim.bottom - end, x, trim.bottom - start))
    on, off = (length * POINTS_PER_MM for length in FOLD_DASH_MM)
    operators = [
        "q",
        f"/{REGISTRATION} CS 1 SCN",
        f"{WEIGHT_PT} w 0 J 0 j [] 0 d",
        *solid,
    ]
    if dashed:
        operators += [f"[{on:.3f} {off:.3f}] 0 d", *dashed]
    operators.append("Q")
    return ("\n".join(operators) + "\n").encode("ascii")


def page_edges(
    trim: Trim, left_is_fold: bool, right_is_fold: bool
) -> tuple[list[float], list[float]]:
    """(cuts_x, folds_x) of a single page whose left and right edges may be folds."""
    cuts, folds = [], []
    for x, is_fold in ((trim.left, left_is_fold), (trim.right, right_is_fold)):
        (folds if is_fold else cuts).append(x)
    return cuts, folds


# The registration colour: a Separation named All (ISO 32000, 8.6.6.4) paints every plate;
# its alternate (for a proof on a CMYK device) is 100 % of each process colour.
REGISTRATION_TINT_TRANSFORM = {
    "FunctionType": 2,
    "Domain": [0, 1],
    "C0": [0, 0, 0, 0],
    "C1": [1, 1, 1, 1],
    "N": 1,
}
