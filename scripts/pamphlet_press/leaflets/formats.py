"""The format registry: what a leaflet format is, for every stage that needs to know.

A pamphlet names its format in `pamphlet.yml` (`format: a5-booklet`). The format decides
the page geometry of the print PDF (trim, bleed, one page per panel for a folded leaflet),
how many pages it may have and how it is padded, how it is imposed on press sheets, and
what preflight expects of the file. All of that is one record here, so that adding a format
is one record plus its stylesheet (`leaflets/templates/formats/<name>.css`, or the
project's own templates folder). A project can add formats in mkdocs.yml without code:

    plugins:
      - pamphlets:
          pdf:
            formats:
              a6-card:
                description: A6 card, printed on both sides
                trim: [105, 148]          # width x height in mm
                page_counts: [2]          # the page counts the binding takes
                imposition: none          # saddle-stitch, roll-fold or none
                label: A6 card            # how the downloads page names it

Panel formats (a folded leaflet) give the width of each panel in reading order instead of
one width: `panels: [100, 97, 100, 100, 97, 100]` is a six-panel roll fold on A4 whose
inner flap and the panel behind it are 3 mm narrower, so that they fold in.

The record also bounds the type: the body text is set between `body_pt` (smallest, largest)
points, chosen per leaflet so that its pages or panels are filled (copyfit.py); a language
may raise the smallest size (`leaflet_body_min_pt` in its interface strings: Persian 11).

Which edges of a page are folds rather than cuts follows from the imposition (a booklet's
spine, a trifold's inner panel edges): the marks say so (marks.py), and the imposed sheets
and preflight use the sheet the format describes (`sheet_format`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Imposition = Literal["saddle-stitch", "roll-fold", "none"]


@dataclass(frozen=True)
class Format:
    """One leaflet format: geometry, page counts, imposition, preflight expectations."""

    name: str
    description: str
    # Trim height and, for a format of equal pages, trim width; millimetres.
    height_mm: float
    width_mm: float | None = None
    # For a panel format: the width of each panel (one PDF page each), in reading order.
    panels_mm: tuple[float, ...] | None = None
    bleed_mm: float = 3.0
    # The page counts the binding takes, smallest first: a booklet of folded sheets takes
    # multiples of 4; a six-panel leaflet exactly 6.
    page_counts: tuple[int, ...] = (4,)
    imposition: Imposition = "none"
    # The margins of a text page (CSS), and whether pages carry a number at the foot.
    margin: str = "14mm 12mm 16mm"
    page_numbers: bool = False
    # How the site names the format for partner organisations (English; the interface
    # strings may translate it as format_<name with _ for ->).
    label: str = ""
    # For a panel format: the sheet the panels are printed on, as (width, height) in mm;
    # preflight checks that the panels add up to it on both sides.
    sheet_mm: tuple[float, float] | None = None
    # For a panel format: the panels on each side of the sheet, left to right, as 1-based
    # numbers in reading order (the outside first). Right to left mirrors each side.
    sides: tuple[tuple[int, ...], ...] | None = None
    # The body text size, smallest and largest, in points (copyfit.py picks one in between).
    body_pt: tuple[float, float] = (10.0, 13.0)
    # How far the cover's colour runs past its fold onto the neighbouring panel on the
    # imposed sheet, in mm, so that a fold a millimetre off shows no white edge.
    cover_past_fold_mm: float = 0.0
    # Where a deliberate page (hotlines, notes) goes when the text leaves one to fill:
    # "after-text" (a booklet's inside back cover) or "before-text" (a trifold's inner flap,
    # so that the text runs on the inside panels without crossing to the flap).
    extra_page_position: Literal["after-text", "before-text"] = "after-text"

    @property
    def page_widths_mm(self) -> tuple[float, ...]:
        """The trim width of each page in reading order; for an equal-page format, one."""
        if self.panels_mm:
            return self.panels_mm
        return (self.width_mm or 0.0,)

    @property
    def is_panels(self) -> bool:
        return bool(self.panels_mm)

    @property
    def max_pages(self) -> int:
        return self.page_counts[-1]

    @property
    def page_count_rule(self) -> str:
        """The page counts it takes, as a person says it: "a multiple of 4, at most 32"."""
        counts = self.page_counts
        step = counts[0]
        if len(counts) == 1:
            return f"exactly {step}"
        if counts == tuple(range(step, counts[-1] + 1, step)):
            return f"a multiple of {step}, at most {counts[-1]}"
        return "one of " + ", ".join(str(count) for count in counts)

    def pages_for(self, content_pages: int) -> int | None:
        """The page count the binding takes for `content_pages` pages of content (the
        smallest that holds them), or None when none does."""
        return next((count for count in self.page_counts if count >= content_pages), None)

    @property
    def margins_mm(self) -> tuple[float, float, float, float]:
        """The text page's margins (top, right, bottom, left) in mm, from the CSS shorthand
        `margin` ("14mm 12mm 16mm": top, left and right, bottom)."""
        lengths = [_millimetres(part) for part in self.margin.split()]
        if len(lengths) == 1:
            lengths *= 4
        elif len(lengths) == 2:
            lengths *= 2
        elif len(lengths) == 3:
            lengths.append(lengths[1])
        top, right, bottom, left = lengths[:4]
        return top, right, bottom, left

    def page_width_mm(self, number: int) -> float:
        """The trim width of page `number` (1-based)."""
        widths = self.page_widths_mm
        return widths[(number - 1) % len(widths)]

    def fold_edges(self, number: int, pages: int, right_to_left: bool) -> tuple[bool, bool]:
        """Whether the left and the right edge of page `number` (of `pages`) is a fold on
        the press sheet rather than a cut: a booklet's spine, a trifold's inner panel edges."""
        if self.imposition == "saddle-stitch":
            # Odd pages are right-hand pages (spine on the left); a right-to-left booklet
            # is bound on the right.
            spine_left = (number % 2 == 1) != right_to_left
            return (spine_left, not spine_left)
        if self.imposition == "roll-fold" and self.sides:
            for side in self.sides:
                row = tuple(reversed(side)) if right_to_left else side
                if number in row:
                    place = row.index(number)
                    return (place > 0, place < len(row) - 1)
        return (False, False)

    def sheet_format(self) -> Format | None:
        """The format of the imposed sheets (what preflight expects of the imposed file):
        two booklet pages side by side, or one side of a folded leaflet's sheet."""
        if self.imposition == "saddle-stitch" and self.width_mm:
            return Format(
                name=f"{self.name} sheets",
                description=f"imposed sheets of the {self.name}",
                width_mm=2 * self.width_mm,
                height_mm=self.height_mm,
                bleed_mm=self.bleed_mm,
                page_counts=tuple(count // 2 for count in self.page_counts),
                label=f"{self.label or self.name}, imposed",
            )
        if self.imposition == "roll-fold" and self.sheet_mm and self.sides:
            return Format(
                name=f"{self.name} sheets",
                description=f"imposed sheet of the {self.name}",
                width_mm=self.sheet_mm[0],
                height_mm=self.sheet_mm[1],
                bleed_mm=self.bleed_mm,
                page_counts=(len(self.sides),),
                label=f"{self.label or self.name}, imposed",
            )
        return None

    def page_css(self, page_number_style: str = "decimal") -> str:
        """The @page rules of the print PDF: trim size, bleed, per-panel widths. WeasyPrint
        draws no marks (its marks are RGB, inside the bleed): marks.py draws ours."""
        widest = max(self.page_widths_mm)
        css = (
            f"@page {{ size: {widest:g}mm {self.height_mm:g}mm; bleed: {self.bleed_mm:g}mm; "
            f"marks: none; margin: {self.margin};"
        )
        if self.page_numbers:
            number = f"counter(page, {page_number_style})"
            css += (
                f"\n  @bottom-center {{ content: {number}; font-size: 8pt; direction: ltr; }} }}\n"
                "@page cover { @bottom-center { content: none; } }\n"
                "@page extra { @bottom-center { content: none; } }\n"
                "@page blank { @bottom-center { content: none; } }\n"
                # The imprint is the last page (the back cover): it carries no number.
                "@page imprint { @bottom-center { content: none; } }\n"
            )
        else:
            css += " }\n"
        if self.panels_mm:
            for number, width in enumerate(self.panels_mm, start=1):
                if width != widest:
                    css += f"@page :nth({number}) {{ size: {width:g}mm {self.height_mm:g}mm; }}\n"
        return css


_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}


def _millimetres(length: str) -> float:
    """A CSS length ("14mm", "1.2cm", "0") in millimetres."""
    for unit, factor in _MM_PER_UNIT.items():
        if length.endswith(unit):
            return float(length.removesuffix(unit)) * factor
    return float(length)


A5_BOOKLET = Format(
    name="a5-booklet",
    description="A5 booklet, saddle-stitched: folded A4 sheets, 4 pages each",
    width_mm=148,
    height_mm=210,
    # Saddle stitching up to 16 pages (4 sheets); a longer text is split into two pamphlets.
    page_counts=(4, 8, 12, 16),
    imposition="saddle-stitch",
    page_numbers=True,
    label="A5 booklet",
)

A4_TRIFOLD = Format(
    name="a4-trifold",
    description="A4 leaflet, roll-folded in three: six panels on one sheet, both sides",
    # In reading order: 1 front cover, 2 inner flap, 3-5 inside, 6 back cover. The flap (2)
    # and the inside panel behind it (5) fold in, so they are 3 mm narrower (PRINT.md).
    panels_mm=(100, 97, 100, 100, 97, 100),
    height_mm=210,
    page_counts=(6,),
    imposition="roll-fold",
    margin="12mm 8mm",
    label="A4 trifold",
    sheet_mm=(297, 210),
    # Outside [2 inner flap | 6 back | 1 cover], inside [3 | 4 | 5] (PRINT.md).
    sides=((2, 6, 1), (3, 4, 5)),
    cover_past_fold_mm=2.0,
    extra_page_position="before-text",
)

BUILT_IN: dict[str, Format] = {fmt.name: fmt for fmt in (A5_BOOKLET, A4_TRIFOLD)}
