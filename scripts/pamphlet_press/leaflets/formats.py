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

    def page_css(self, crop_marks: bool) -> str:
        """The @page rules of the print PDF: trim size, bleed, marks, per-panel widths."""
        marks = "crop cross" if crop_marks else "none"
        widest = max(self.page_widths_mm)
        css = (
            f"@page {{ size: {widest:g}mm {self.height_mm:g}mm; bleed: {self.bleed_mm:g}mm; "
            f"marks: {marks}; margin: {self.margin};"
        )
        if self.page_numbers:
            css += (
                "\n  @bottom-center { content: counter(page); font-size: 8pt; direction: ltr; } }\n"
                "@page cover { @bottom-center { content: none; } }\n"
                "@page blank { @bottom-center { content: none; } }\n"
                # The imprint is the last page whatever the padding: it carries no number.
                "@page imprint { @bottom-center { content: none; } }\n"
            )
        else:
            css += " }\n"
        if self.panels_mm:
            for number, width in enumerate(self.panels_mm, start=1):
                if width != widest:
                    css += f"@page :nth({number}) {{ size: {width:g}mm {self.height_mm:g}mm; }}\n"
        return css


A5_BOOKLET = Format(
    name="a5-booklet",
    description="A5 booklet, saddle-stitched: folded A4 sheets, 4 pages each",
    width_mm=148,
    height_mm=210,
    page_counts=(4, 8, 12, 16, 20, 24, 28, 32),
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
)

BUILT_IN: dict[str, Format] = {fmt.name: fmt for fmt in (A5_BOOKLET, A4_TRIFOLD)}
