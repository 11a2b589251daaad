"""Copyfitting: choosing the type size and page count that fill a leaflet's pages.

A blank page or panel reads as a misprint, so a print leaflet is filled, not padded. Its
pages are: the cover, the text, at most one deliberate page (the hotlines set large, or a
page for notes), and the imprint on the last page (the back cover). For each leaflet this
module picks:

    page count     the smallest the format takes that holds the text at the smallest size
                   (an A5 booklet: 4, 8, 12 or 16; a trifold: its 6 panels)
    body size      between the format's bounds (`body_pt`, e.g. 10-13 pt) and at least the
                   language's minimum (Persian 11 pt), so that the text ends on the last page
                   before the imprint, well filled
    extra page     the deliberate page, only when the largest size cannot fill that page
    breaks         a forced page break before a heading that would end a page or panel, and,
                   on a trifold, before a section that would run from the inner flap (panel 2)
                   across the fold into the inside panels (read before the flap when opened)

Layout is measured, not guessed: each candidate is laid out by WeasyPrint and its pages are
read back (measure.py). A first guess comes from the length of the text (characters per page
at 10 pt, per format and script), and the next from how much the text grew or shrank with the
size (the amount of text in pages grows as about size^1.4, measured on our leaflets): most
leaflets are laid out twice, a few three times (see `MAX_LAYOUTS`).

A text too long for the largest page count at the smallest size is an error naming how much
too long; a text too short to fill the smallest page count at the largest size is laid out
as well as it goes and left for preflight to report (its "empty pages" check).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .formats import Format
from .preflight_content import MIN_COLOUR_TEXT_PT

# Laying out costs about 0.2-0.4 s; never more than this many per leaflet.
MAX_LAYOUTS = 4
# The last text page is aimed to be this full (leaving room for rounding and line breaks),
# and is acceptable from this fill on: a page with a few lines reads as the text's end,
# not as a misprint.
TARGET_FILL = 0.9
MIN_LAST_FILL = 0.25
# How the amount of text (in pages) grows with the body size, until two layouts measure it:
# 1.5 to 2.1 on the project's 25 leaflets laid out at 10, 11.5 and 13 pt (1.75 on average;
# a little less than the square, as headings and lists do not grow line for line).
DEFAULT_EXPONENT = 1.75
# Characters of running text per square millimetre of text area at 10 pt, for the first
# guess: 0.059 to 0.074 on the same leaflets (Persian at 11 pt with its wider leading included).
CHARACTERS_PER_SQUARE_MM_AT_10PT = 0.065
# A smaller page count whose text area the model misses by less than this share is tried
# by laying out at the smallest size, rather than trusted to the model.
BORDERLINE = 0.08
SIZE_STEP = 0.1
# A section heading's size to the body's (as leaflet.css sets it in em).
HEADING_SCALE = 1.3


class TextTooLong(Exception):
    """The text does not fit the format's largest page count at the smallest size."""

    def __init__(self, needed_pages: int, largest: int, size_pt: float):
        self.needed_pages = needed_pages
        self.largest = largest
        self.size_pt = size_pt
        super().__init__(f"needs {needed_pages} pages, {needed_pages - largest} too many")


@dataclass(frozen=True)
class Typesetting:
    """How one leaflet is set: what copyfitting chose."""

    body_pt: float
    leading: float
    pages: int
    # The deliberate page: "hotlines", "notes", or "" for none.
    extra_page: str = ""
    # Indices (0-based) of the text's top-level elements that start a new page or panel.
    breaks: tuple[int, ...] = ()
    # Blank pages before the imprint: only for a text too short to fill the format even
    # at the largest size (preflight then reports them as empty).
    blank_pages: int = 0

    def css(self) -> str:
        # Headings are printed in the house colour (four inks): never under the size from
        # which colour is allowed (preflight's text colour check), whatever the body size.
        heading = max(round(self.body_pt * HEADING_SCALE, 1), MIN_COLOUR_TEXT_PT)
        rules = [
            f"html {{ font-size: {self.body_pt:g}pt; line-height: {self.leading:g}; }}",
            f"main.text h2 {{ font-size: {heading:g}pt; }}",
        ]
        rules += [
            f"main.text > :nth-child({index + 1}) {{ break-before: page; }}"
            for index in self.breaks
        ]
        return "\n".join(rules) + "\n"

    def describe(self, unit: str = "pages") -> str:
        """As preflight reports it: "11.2 pt body, 8 pages, extra page: hotlines"."""
        extra = f", extra page: {self.extra_page}" if self.extra_page else ""
        if self.blank_pages:
            extra += f", {self.blank_pages} blank (the text is too short)"
        return f"{self.body_pt:g} pt body, leading {self.leading:g}, {self.pages} {unit}{extra}"


@dataclass(frozen=True)
class Layout:
    """What a layout came out as, as far as copyfitting cares."""

    pages: int
    # The 1-based numbers of the pages the text runs over.
    text_pages: tuple[int, ...]
    # How full the last of them is (0 to 1, from the top of its text area).
    last_fill: float
    # Elements (indices in the text) that are headings ending a page or panel.
    heading_ends: tuple[int, ...] = ()
    # A trifold: the heading to break before so that no section runs from the flap across
    # into the inside panels (None when none does, or when nothing can be done).
    crossing: int | None = None

    @property
    def amount(self) -> float:
        """The text's length in pages: full pages and the filled part of the last one."""
        if not self.text_pages:
            return 0.0
        return len(self.text_pages) - 1 + self.last_fill


@dataclass
class Bounds:
    """The sizes a leaflet may be set in, and its leading."""

    smallest: float
    largest: float
    leading: float


def bounds_for(fmt: Format, language_minimum: float | None, script: str) -> Bounds:
    """The format's body sizes, its smallest raised to the language's minimum (and its
    largest by as much), and the leading of the script (Naskh needs more)."""
    smallest, largest = fmt.body_pt
    if language_minimum and language_minimum > smallest:
        largest += language_minimum - smallest
        smallest = language_minimum
    leading = 1.55 if script == "arabic" else 1.4
    return Bounds(smallest, largest, leading)


def script_of(text: str) -> str:
    """The script most of a text is written in: "arabic", "cyrillic" or "latin"."""
    arabic = sum(1 for character in text if "\u0600" <= character <= "\u06ff")
    cyrillic = sum(1 for character in text if "\u0400" <= character <= "\u04ff")
    latin = sum(1 for character in text if character.isascii() and character.isalpha())
    counts = {"arabic": arabic, "cyrillic": cyrillic, "latin": latin}
    return max(counts, key=lambda name: counts[name])


def text_area_mm2(fmt: Format) -> float:
    """The area of a text page or panel inside its margins, in square millimetres."""
    top, right, bottom, left = fmt.margins_mm
    widths = fmt.page_widths_mm
    width = sum(widths) / len(widths)
    return (width - left - right) * (fmt.height_mm - top - bottom)


def first_guess_amount(characters: int, fmt: Format, size_pt: float) -> float:
    """The text's length in pages at `size_pt`, guessed from its length in characters."""
    per_page = CHARACTERS_PER_SQUARE_MM_AT_10PT * text_area_mm2(fmt)
    return characters / per_page * (size_pt / 10) ** DEFAULT_EXPONENT


def text_slots(pages: int, extra_page: bool) -> int:
    """Pages the text may run over: all but the cover, the imprint and the extra page."""
    return pages - 2 - (1 if extra_page else 0)


@dataclass
class _Model:
    """The text's length in pages as a function of the body size: amount = a * size^k."""

    anchor_size: float
    anchor_amount: float
    exponent: float = DEFAULT_EXPONENT

    def amount(self, size: float) -> float:
        return self.anchor_amount * (size / self.anchor_size) ** self.exponent

    def size_for(self, amount: float) -> float:
        if self.anchor_amount <= 0:
            return math.inf
        return self.anchor_size * (amount / self.anchor_amount) ** (1 / self.exponent)


@dataclass(frozen=True)
class _Plan:
    pages: int
    extra: bool
    size: float


def _plan(model: _Model, fmt: Format, bounds: Bounds, extra: bool | None = None) -> _Plan:
    """The page count, extra page and size the model says fill the leaflet best (with or
    without the extra page when `extra` says so)."""
    at_smallest = model.amount(bounds.smallest)
    pages = next(
        (count for count in fmt.page_counts if at_smallest <= text_slots(count, False)), None
    )
    if pages is None:
        raise TextTooLong(math.ceil(at_smallest) + 2, fmt.max_pages, bounds.smallest)

    def clamp(size: float) -> float:
        size = min(max(size, bounds.smallest), bounds.largest)
        return round(math.floor(size / SIZE_STEP + 1e-9) * SIZE_STEP, 1)

    slots = text_slots(pages, False)
    extra_fits = slots >= 2 and at_smallest <= slots - 1
    if extra is None:
        fills_without = model.amount(bounds.largest) >= slots - 1 + MIN_LAST_FILL + 0.05
        extra = not fills_without and extra_fits
    if extra and extra_fits:
        return _Plan(pages, True, clamp(model.size_for(slots - 2 + TARGET_FILL)))
    return _Plan(pages, False, clamp(model.size_for(slots - 1 + TARGET_FILL)))


def _smaller_borderline(model: _Model, fmt: Format, bounds: Bounds, plan: _Plan) -> int | None:
    """A page count smaller than the plan's that the text may fit at the smallest size, by
    less than the model can tell."""
    at_smallest = model.amount(bounds.smallest)
    for count in fmt.page_counts:
        if count >= plan.pages:
            return None
        if at_smallest * (1 - BORDERLINE) <= text_slots(count, False):
            return count
    return None


def _acceptable(layout: Layout, plan: _Plan) -> bool:
    return (
        _fills(layout, plan)
        and layout.last_fill >= MIN_LAST_FILL
        and not layout.heading_ends
        and layout.crossing is None
    )


def _fills(layout: Layout, plan: _Plan) -> bool:
    """The text runs over exactly the pages planned for it."""
    return layout.pages == plan.pages and len(layout.text_pages) == text_slots(
        plan.pages, plan.extra
    )


def _fits(layout: Layout, plan: _Plan) -> bool:
    return layout.pages == plan.pages and len(layout.text_pages) <= text_slots(
        plan.pages, plan.extra
    )


@dataclass
class FitResult:
    document: Any
    typesetting: Typesetting
    layout: Layout
    layouts: int
    notes: list[str] = field(default_factory=list)


def fit(
    lay_out: Callable[[Typesetting], tuple[Any, Layout]],
    fmt: Format,
    bounds: Bounds,
    characters: int,
    extra_page_kind: str,
) -> FitResult:
    """Find the typesetting that fills the leaflet; `lay_out(typesetting)` lays it out with
    WeasyPrint and returns (document, layout). Raises TextTooLong."""
    guess = first_guess_amount(characters, fmt, bounds.smallest)
    model = _Model(bounds.smallest, max(guess, 0.05))
    plan = _plan(model, fmt, bounds)
    breaks: tuple[int, ...] = ()
    tried: list[tuple[Typesetting, Any, Layout, _Plan]] = []
    tried_borderline = False
    # Once a section was seen crossing the flap's fold, the flap holds the extra page.
    prefer_extra: bool | None = None
    for _attempt in range(MAX_LAYOUTS):
        typesetting = Typesetting(
            plan.size, bounds.leading, plan.pages,
            extra_page_kind if plan.extra else "", breaks,
        )  # fmt: skip
        document, layout = lay_out(typesetting)
        tried.append((typesetting, document, layout, plan))
        if _acceptable(layout, plan):
            return FitResult(document, typesetting, layout, len(tried))
        if _too_short(layout, plan, bounds):
            return _padded(lay_out, typesetting, layout, plan, len(tried))
        model = _measured_model(tried, model.exponent)
        if _fills(layout, plan) and (layout.heading_ends or layout.crossing is not None):
            if layout.crossing is not None and not plan.extra:
                # A section runs from the trifold's flap across into the inside: put the
                # deliberate page on the flap instead, if the text fits the inside panels.
                with_extra = _plan(model, fmt, bounds, extra=True)
                if with_extra.extra:
                    plan, breaks, prefer_extra = with_extra, (), True
                    continue
            # The size is right; a heading ends a page, or a section crosses the flap's
            # fold: break before it, at the same size.
            crossing = [layout.crossing] if layout.crossing is not None else []
            breaks = tuple(sorted({*breaks, *layout.heading_ends, *crossing}))
            continue
        new_plan = _plan(model, fmt, bounds, prefer_extra)
        if (new_plan.pages, new_plan.extra) == (plan.pages, plan.extra) and len(
            layout.text_pages
        ) > text_slots(plan.pages, plan.extra):
            # It ran over at this size: a line or a heading moved is not a small change,
            # so go down by a step at least.
            new_plan = replace(new_plan, size=max(
                bounds.smallest, min(new_plan.size, round(typesetting.body_pt - 0.2, 1))
            ))  # fmt: skip
        smaller = _smaller_borderline(model, fmt, bounds, new_plan)
        if smaller is not None and not tried_borderline:
            # Perhaps fewer pages hold it at the smallest size: lay it out to see.
            tried_borderline = True
            new_plan = _Plan(smaller, False, bounds.smallest)
        if (new_plan.extra, new_plan.pages) != (plan.extra, plan.pages):
            breaks = ()
        if new_plan == plan and not breaks:
            break  # the same layout again would measure the same: no progress to be made
        plan = new_plan
    # No layout was acceptable: the best one that fits (most filled); else the text does
    # not fit even at the smallest size.
    fitting = [item for item in tried if _fits(item[2], item[3])]
    short = [item for item in tried if _too_short(item[2], item[3], bounds)]
    if not fitting and short:
        typesetting, _document, layout, used = short[-1]
        return _padded(lay_out, typesetting, layout, used, len(tried))
    if fitting:
        typesetting, document, layout, used = max(
            fitting,
            key=lambda item: (
                not item[2].heading_ends and item[2].crossing is None,
                _fills(item[2], item[3]),
                len(item[2].text_pages),
                item[2].last_fill,
            ),
        )
        return FitResult(document, typesetting, layout, len(tried))
    # Nothing fitted as planned (the extra page did not fit on its page, say): lay the text
    # out without it, as large as it may be if it is short, as small if it is long, and pad
    # it to a page count the binding takes.
    short_text = model.amount(bounds.largest) < text_slots(fmt.page_counts[0], False)
    size = bounds.largest if short_text else bounds.smallest
    last_try = Typesetting(size, bounds.leading, fmt.max_pages, "", ())
    document, layout = lay_out(last_try)
    pages = fmt.pages_for(layout.pages)
    if pages is None:
        raise TextTooLong(layout.pages, fmt.max_pages, bounds.smallest)
    last_try = replace(last_try, pages=pages)
    if layout.pages < pages:
        return _padded(lay_out, last_try, layout, _Plan(pages, False, size), len(tried) + 1)
    return FitResult(document, last_try, layout, len(tried) + 1)


def _too_short(layout: Layout, plan: _Plan, bounds: Bounds) -> bool:
    """Set as large as it may be, the text still leaves pages of the plan unfilled."""
    return (
        plan.size >= bounds.largest
        and layout.pages < plan.pages
        and len(layout.text_pages) < text_slots(plan.pages, plan.extra)
    )


def _padded(lay_out, typesetting: Typesetting, layout: Layout, plan: _Plan, layouts: int):
    """The leaflet of a text too short for its format, padded with blank pages to the page
    count the binding takes (so that it can be imposed; preflight reports the blanks)."""
    padded = replace(typesetting, blank_pages=plan.pages - layout.pages)
    document, layout = lay_out(padded)
    return FitResult(document, padded, layout, layouts + 1)


def _measured_model(tried, exponent: float) -> _Model:
    """The model anchored at the last layout; its exponent measured when the last two laid
    out the same text (same extra page and breaks) at different sizes."""
    typesetting, _document, layout, _plan_used = tried[-1]
    if len(tried) >= 2:
        before, _d, before_layout, _p = tried[-2]
        if (
            (before.extra_page, before.breaks) == (typesetting.extra_page, typesetting.breaks)
            and abs(before.body_pt - typesetting.body_pt) >= 1.0
            and min(before_layout.amount, layout.amount) > 0.3
        ):
            measured = math.log(layout.amount / before_layout.amount) / math.log(
                typesetting.body_pt / before.body_pt
            )
            if 1.0 <= measured <= 2.6:
                exponent = measured
    return _Model(typesetting.body_pt, max(layout.amount, 0.05), exponent)
