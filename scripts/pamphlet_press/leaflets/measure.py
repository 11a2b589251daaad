"""Reading back a WeasyPrint layout for copyfitting (copyfit.py): where the text fell.

WeasyPrint's laid-out document keeps, per page, the tree of boxes it drew. The text of a
leaflet is its `main` element; the top-level elements of `main` on each page tell which
pages the text runs over, how full the last of them is (the bottom of its last box, from
the top of the page's content area), whether a heading is the last thing on a page, and,
on a trifold whose text starts on the inner flap, whether a section runs on from the flap
across the fold into the inside panels.
"""

from __future__ import annotations

from .copyfit import Layout
from .formats import Format


def _descendants(box):
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _descendants(child)


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def measure(document, fmt: Format, extra_page: bool) -> Layout:
    """Read back where the text (the `main` element) fell on the pages of a WeasyPrint
    document: which pages, how full the last, headings ending a page, a section crossing
    a trifold's flap."""
    text_pages: list[int] = []
    last_fill = 0.0
    heading_ends: list[int] = []
    # Per text page: (index of the first element and whether it starts there, the
    # elements that start on it).
    firsts: dict[int, tuple[int, bool]] = {}
    starts_on: dict[int, list[int]] = {}
    seen: set[int] = set()
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        main = next(
            (box for box in _descendants(page_box) if getattr(box, "element_tag", "") == "main"),
            None,
        )
        children = [child for child in (main.children if main else []) if child.element is not None]
        if not children:
            continue
        elements = list(main.element)
        indices = [elements.index(child.element) for child in children]
        text_pages.append(number)
        top = page_box.content_box_y()
        bottom = max(child.border_box_y() + child.border_height() for child in children)
        last_fill = max(0.0, min(1.0, (bottom - top) / page_box.height))
        firsts[number] = (indices[0], indices[0] not in seen)
        starts_on[number] = [index for index in indices if index not in seen]
        seen.update(indices)
        last_child = children[-1]
        if last_child.element_tag in HEADINGS:
            heading_ends.append(indices[-1])
    if text_pages:
        # The last text page ends with the text: its last element cannot "end a page".
        last_index = max(seen)
        heading_ends = [index for index in heading_ends if index != last_index]
    crossing = None
    if fmt.extra_page_position == "before-text" and fmt.is_panels and not extra_page:
        crossing = _flap_crossing(document, text_pages, firsts, starts_on)
    return Layout(
        len(document.pages), tuple(text_pages), last_fill, tuple(heading_ends), crossing
    )


def _flap_crossing(document, text_pages, firsts, starts_on) -> int | None:
    """On a trifold whose text starts on the inner flap (panel 2): the heading to break
    before when a section runs on from the flap into panel 3."""
    if 2 not in firsts or 3 not in firsts:
        return None
    first_index, starts = firsts[3]
    if starts and _is_section_start(document, first_index):
        return None
    main_elements = _main_elements(document)
    headings_on_flap = [
        index for index in starts_on[2]
        if main_elements[index].tag == "h2" and index != firsts[2][0]
    ]  # fmt: skip
    return headings_on_flap[-1] if headings_on_flap else None


def _main_elements(document) -> list:
    for page in document.pages:
        main = next(
            (box for box in _descendants(page._page_box)
             if getattr(box, "element_tag", "") == "main"), None,
        )  # fmt: skip
        if main is not None:
            return list(main.element)
    return []


def _is_section_start(document, index: int) -> bool:
    return _main_elements(document)[index].tag == "h2"
