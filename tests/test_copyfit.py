"""Copyfitting: print leaflets filled, not padded, in readable sizes (issue 11).

The algorithm (copyfit.fit) is checked against a model of a text whose length grows with the
type size, so that each decision can be seen on its own: page count, size, the deliberate
page, breaks before headings that would end a page, the trifold's flap. The fixture project's
leaflets and longer texts written for the test are then rendered for real and read back.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_pamphlets
from pamphlet_press.leaflets.copyfit import (
    Bounds,
    Layout,
    TextTooLong,
    Typesetting,
    fit,
    text_slots,
)
from pamphlet_press.leaflets.formats import A4_TRIFOLD, A5_BOOKLET
from pamphlet_press.leaflets.preflight import preflight
from pypdf import PdfReader

LATIN = Bounds(10, 13, 1.4)


class FakeText:
    """A text `amount_at_10pt` pages long at 10 pt, growing as size^1.8; it can be told
    that a heading ends a page, or that a section crosses a trifold's flap, at some sizes."""

    def __init__(self, amount_at_10pt, fmt, heading_end_sizes=(), crossing=False):
        self.amount_at_10pt = amount_at_10pt
        self.fmt = fmt
        self.heading_end_sizes = set(heading_end_sizes)
        self.crossing = crossing
        self.layouts: list[Typesetting] = []

    def lay_out(self, typesetting: Typesetting):
        self.layouts.append(typesetting)
        amount = self.amount_at_10pt * (typesetting.body_pt / 10) ** 1.8
        amount += 0.3 * len(typesetting.breaks)  # a forced break leaves part of a page
        pages_of_text = int(amount) + (1 if amount % 1 else 0)
        first = 3 if typesetting.extra_page and self.fmt.is_panels else 2
        text_pages = tuple(range(first, first + pages_of_text))
        fill = amount - int(amount) or 1.0
        total = 2 + pages_of_text + (1 if typesetting.extra_page else 0)
        total += typesetting.blank_pages
        heading_ends = (7,) if typesetting.body_pt in self.heading_end_sizes and not (
            typesetting.breaks
        ) else ()  # fmt: skip
        crossing = 4 if self.crossing and not typesetting.extra_page else None
        return object(), Layout(total, text_pages, fill, heading_ends, crossing)


def test_the_smallest_page_count_that_holds_the_text_at_the_smallest_size() -> None:
    text = FakeText(5.5, A5_BOOKLET)  # 5.5 pages at 10 pt: 8 pages (6 for text)
    result = fit(text.lay_out, A5_BOOKLET, LATIN, 5.5 * 1450, "hotlines")
    assert result.typesetting.pages == 8
    assert 10 <= result.typesetting.body_pt <= 13
    assert len(result.layout.text_pages) == text_slots(8, bool(result.typesetting.extra_page))
    assert result.layout.last_fill >= 0.25
    assert len(text.layouts) <= 3


def test_a_text_that_leaves_a_page_gets_the_deliberate_page_at_the_largest_size() -> None:
    # 2.3 pages at 10 pt: 4 pages cannot hold it (2 for text), 8 can; at 13 pt it is 3.7
    # pages, short of the 6 text pages of 8 but enough for 5 with the hotlines page.
    text = FakeText(2.3, A5_BOOKLET)
    result = fit(text.lay_out, A5_BOOKLET, LATIN, 2.3 * 1450, "hotlines")
    assert result.typesetting.pages == 8


def test_a_heading_that_would_end_a_page_starts_the_next() -> None:
    first_try = []

    class Text(FakeText):
        def lay_out(self, typesetting):
            if not first_try:
                first_try.append(typesetting.body_pt)
                self.heading_end_sizes.add(typesetting.body_pt)
            return super().lay_out(typesetting)

    text = Text(5.0, A5_BOOKLET)
    result = fit(text.lay_out, A5_BOOKLET, LATIN, 5.0 * 1450, "hotlines")
    assert result.typesetting.breaks == (7,)
    assert not result.layout.heading_ends


def test_a_section_crossing_the_trifold_flap_puts_the_hotlines_there() -> None:
    text = FakeText(2.6, A4_TRIFOLD, crossing=True)
    result = fit(text.lay_out, A4_TRIFOLD, LATIN, 2.6 * 1000, "hotlines")
    assert result.typesetting.extra_page == "hotlines"
    assert result.layout.crossing is None and result.layout.text_pages == (3, 4, 5)


def test_a_text_too_long_raises_with_how_much() -> None:
    text = FakeText(20, A5_BOOKLET)
    with pytest.raises(TextTooLong) as raised:
        fit(text.lay_out, A5_BOOKLET, LATIN, 20 * 1450, "hotlines")
    assert (raised.value.needed_pages, raised.value.largest) == (22, 16)


def test_a_text_too_short_is_padded_and_says_so() -> None:
    text = FakeText(0.3, A4_TRIFOLD)
    result = fit(text.lay_out, A4_TRIFOLD, LATIN, 300, "notes")
    assert result.typesetting.body_pt == 13
    assert result.typesetting.blank_pages == 2
    assert result.layout.pages == 6
    assert "2 blank (the text is too short)" in result.typesetting.describe("panels")


# ------------------------------------------------------------------ real leaflets


def records(project: Path) -> list[dict]:
    return json.loads((project / ".cache/pdf/outputs.json").read_text())["files"]


def test_fixture_leaflets_are_filled_in_readable_sizes(mini_pdf_cache: Path) -> None:
    """Alpha (a booklet) fills its pages; beta is a trifold of three lines, far too short
    for six panels even at the largest size: it is laid out there, padded to six panels so
    that it can be imposed, and preflight says which panels are empty and why."""
    project = mini_pdf_cache.parent
    printed = [record for record in records(project) if record["variant"] == "print"]
    assert {record["pamphlet"] for record in printed} == {"alpha", "beta"}
    for record in printed:
        smallest = 11 if record["language"] == "fa" else 10
        assert smallest <= record["body_pt"] <= smallest + 3, record
        fmt = A4_TRIFOLD if record["format"] == "a4-trifold" else A5_BOOKLET
        report = preflight(project / ".cache/pdf" / record["file"], fmt)
        assert report.check("page count").ok
        empty = report.check("empty pages")
        if record["pamphlet"] == "alpha":
            assert empty.ok, empty
            continue
        assert record["body_pt"] == smallest + 3  # as large as it may be
        assert [finding.split(":")[0] for finding in empty.findings] == ["page 4", "page 5"]
        assert "the text is too short for its format" in empty.findings[0]


def test_body_size_in_downloads_json_and_in_preflight(mini: Path) -> None:
    result = run_pamphlets(mini, "build", "--no-offline")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((mini / "site/downloads.json").read_text())
    sizes = {
        (entry["pamphlet"], entry["language"], entry["variant"]): entry["body_pt"]
        for entry in manifest["files"]
    }
    assert sizes[("alpha", "fa", "print")] >= 11
    assert sizes[("alpha", "fa", "print-imposed")] == sizes[("alpha", "fa", "print")]
    assert sizes[("alpha", "fa", "screen")] is None
    report = run_pamphlets(mini, "preflight", "--pamphlet", "alpha", "--language", "fa")
    assert report.returncode == 0, report.stdout + report.stderr
    body = f"{sizes[('alpha', 'fa', 'print')]:g} pt"
    assert re.search(rf"alpha-fa-print\.pdf\s+\| {body}", report.stdout)
    assert f"alpha-fa-print.pdf: body {body}, leading 1.55" in report.stdout
    assert "All 2 print files passed preflight." in report.stdout


PARAGRAPH = (
    "The employer must pay the wage on time and in full, at least once a month, and keep a "
    "record of the hours worked, the days of rest and every payment made to the worker. "
)


def alpha_text(sections: int) -> str:
    body = "\n\n".join(
        f"## Section {number}\n\n{PARAGRAPH * 3}\n\n{PARAGRAPH * 2}" for number in range(sections)
    )
    return (
        "---\ntitle: Alpha rights\nsummary: What alpha tells you.\nstatus: reviewed\n"
        "reviewed_by: A. Lawyer\nreviewed_on: 2026-01-15\n---\n\n" + body + "\n"
    )


def test_a_longer_text_gets_more_pages_not_smaller_type(mini: Path) -> None:
    (mini / "pamphlets/alpha/en.md").write_text(alpha_text(9), encoding="utf-8")
    result = run_pamphlets(mini, "pdf", "-p", "alpha", "-l", "en", "--variant", "print")
    assert result.returncode == 0, result.stderr
    pdf = mini / ".cache/pdf/alpha-en-print.pdf"
    pages = len(PdfReader(pdf).pages)
    assert pages in (8, 12)
    report = preflight(pdf, A5_BOOKLET)
    assert report.ok, [check for check in report.checks if not check.ok]
    record = json.loads((mini / ".cache/pdf/alpha-en-print.json").read_text())
    assert 10 <= record["files"][0]["body_pt"] <= 13 and record["layouts"] <= 4
    # No heading is the last line of a page: each page's last line is body text.
    for number in range(2, pages):
        lines = [line for line in PdfReader(pdf).pages[number - 1].extract_text().splitlines()
                 if line.strip() and not line.strip().isdigit()]  # fmt: skip
        assert not re.fullmatch(r"Section \d+", lines[-1].strip()), (number, lines[-1])


def test_a_text_too_long_for_16_pages_says_by_how_much(mini: Path) -> None:
    (mini / "pamphlets/alpha/en.md").write_text(alpha_text(60), encoding="utf-8")
    result = run_pamphlets(mini, "pdf", "-p", "alpha", "-l", "en", "--variant", "print")
    assert result.returncode == 1
    assert re.search(
        r"pamphlets/alpha/en\.md \(alpha, en\): the text does not fit the a5-booklet's 16 "
        r"pages: it needs (\d+) pages, (\d+) too many at the smallest type size \(10 pt\)",
        result.stderr,
    ), result.stderr
    assert "Traceback" not in result.stderr
