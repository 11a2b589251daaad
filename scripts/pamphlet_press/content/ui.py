"""The interface strings of each language: `pamphlets/ui/<lang>.yml`.

Everything a reader sees that is not a pamphlet's own text (notices, headings, labels on
the site and on the leaflets) comes from here, in the reader's language. Every language of
the site has one file with the same keys; `direction: rtl` marks a right-to-left language.

A translation may come from a volunteer, and the strings reach pages as Markdown (headings,
table heads, paragraphs): each must be plain text, without HTML, links, images, attribute
lists or anything else the pamphlets' own rules refuse (markdown.find_unsafe_text).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from typing import Literal

from ..problems import ProblemList
from ..settings import ProjectSettings
from .licences import LICENCES
from .markdown import plain_text_problem
from .sources import MAX_YAML_BYTES, parse_mapping, read_text, record_from_mapping
from .text_cache import UI_STRINGS, TextCache

# Separators written like a comma: followed by a space, none before (UIStrings.between).
COMMAS = frozenset({",", "،", "、", "，", ";", "؛"})

# The longest interface string is an introduction of a few sentences.
MAX_UI_CHARACTERS = 1_000


@dataclass(frozen=True)
class UIStrings:
    """The interface strings of one language (`pamphlets/ui/<lang>.yml`)."""

    draft_notice: str
    fallback_notice: str
    languages_heading: str
    pamphlets_heading: str
    organisation: str
    address: str
    free_of_charge: str
    edition: str
    print_run: str
    print_run_none: str
    read_online: str
    draft_mark: str
    downloads_heading: str
    download_screen: str
    download_print: str
    download_imposed: str
    pages: str
    print_runs_heading: str
    print_runs_intro: str
    printed: str
    distributed: str
    in_stock: str
    on_order: str
    pamphlet_column: str
    language_column: str
    total: str
    language_unknown: str
    runs_heading: str
    distributions_heading: str
    id_column: str
    date_column: str
    quantity_column: str
    status_column: str
    recipient_column: str
    notes_column: str
    status_planned: str
    status_ordered: str
    status_delivered: str
    outdated_notice: str
    outdated_link: str
    outdated_mark: str
    status_heading: str
    status_intro: str
    state_missing: str
    state_draft: str
    state_reviewed: str
    state_outdated: str
    source_marker: str
    hub_heading: str
    hub_intro: str
    hub_all_languages: str
    hub_filter: str
    bundle_language: str
    bundle_all: str
    checksum: str
    edition_label: str
    cover_alt: str
    # issue 12: navigation, help on every page, dates, downloads, link previews.
    help_bar: str
    not_found_heading: str
    not_found_text: str
    not_found_home: str
    footer_label: str
    draft_summary: str
    print_files_link: str
    checked_on: str
    stale_notice: str
    date_format: str
    month_names: list[str]
    format_a5_booklet: str
    format_a4_trifold: str
    site_description: str
    og_locale: str
    runs_private_note: str
    not_published: str
    # --- issue 11: print leaflets (the deliberate page, the currency, body size) ---
    # The heading of a leaflet's page of hotlines ("Where to call") and of notes.
    hotlines_heading: str
    notes_heading: str
    # How amounts in manat are written (facts.yml writes "400 AZN"): منات, manat, ман.
    currency_azn: str
    # --- issue 14: the content licence (content/licences.py) ---
    # (Required strings sit before the fields that have defaults, which follow.) What
    # partners may do under each licence the project may choose, naming {organisation};
    # the licence's name follows licence_label ("Licence: CC BY 4.0").
    licence_label: str
    licence_terms_by: str
    licence_terms_by_sa: str
    licence_terms_by_nc: str
    licence_terms_by_nc_sa: str
    # The smallest body size of a print leaflet in this language, in points, when the
    # script needs more than the format's (Persian Naskh: 11).
    leaflet_body_min_pt: int | None = None
    # issue 12: the calendar dates are written in (Persian readers use the Solar Hijri).
    calendar: Literal["gregorian", "solar-hijri"] = "gregorian"
    direction: Literal["ltr", "rtl"] = "ltr"
    # How numbers are written: the digits (Persian uses its own) and the thousands separator.
    digits: Literal["latin", "persian"] = "latin"
    thousands_separator: str | None = None
    # The mark between the items of a line ("PDF · pages: 9 · 69 KB"). In Persian the middle
    # dot reads as the digit zero (۰), so Persian writes its comma (،) there instead.
    separator: str = "·"
    # How a file's size is written on the download buttons and cards: {size} is the number
    # (in this language's digits), then the unit as readers of the language know it.
    size_kb: str = "{size} KB"
    size_mb: str = "{size} MB"
    decimal_separator: str = "."

    def number(self, value: int) -> str:
        """A whole number as this language writes it (1,000 / 1000 / ۱۰۰۰)."""
        return self._in_digits(f"{value:,}".replace(",", self.thousands_separator or ""))

    @property
    def between(self) -> str:
        """The separator as it stands between two items: a comma is followed by a space
        ("PDF، صفحه‌ها: ۹"), any other mark has a space on each side ("PDF · pages: 9")."""
        mark = self.separator.strip()
        return f"{mark} " if mark in COMMAS else f" {mark} "

    def file_size(self, size: int) -> str:
        """A file's size as this language writes it: 68 KB, 1,2 МБ, ۶۸ کیلوبایت."""
        if size < 1024 * 1024:
            return self.size_kb.replace("{size}", self.number(round(size / 1024)))
        text = f"{size / 1024 / 1024:.1f}".replace(".", self.decimal_separator)
        return self.size_mb.replace("{size}", self._in_digits(text))

    def date(self, value: datetime.date) -> str:
        """A date as this language writes it: 30 noyabr 2026, 30 ноября 2026 г., ۹ آذر ۱۴۰۵."""
        year, month, day = value.year, value.month, value.day
        if self.calendar == "solar-hijri":
            year, month, day = solar_hijri(value)
        return self.date_format.format(
            day=self._digits(day), month=self.month_names[month - 1], year=self._digits(year)
        )

    def format_name(self, name: str) -> str:
        """A leaflet format as this language names it (format_a5_booklet), or its name."""
        return str(getattr(self, "format_" + name.replace("-", "_"), name))

    def licence_terms(self, licence) -> str:
        """What partners may do under `licence` (content/licences.py), in this language,
        with "{organisation}" where the organisation's name goes (issue 14)."""
        return str(getattr(self, licence.terms_key))

    def _digits(self, value: int) -> str:
        """A number without thousands separators (a year), in this language's digits."""
        return self._in_digits(str(value))

    def _in_digits(self, text: str) -> str:
        """`text` with its Latin digits written in this language's digits."""
        if self.digits == "persian":
            text = text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        return text


def solar_hijri(value: datetime.date) -> tuple[int, int, int]:
    """(year, month, day) of a Gregorian date in the Solar Hijri calendar (the arithmetic
    of the Iranian civil calendar as computed by the common jalaali algorithm, valid for
    1800-2256)."""
    gy, gm, gd = value.year, value.month, value.day
    days_before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    gy2 = gy + 1 if gm > 2 else gy
    days = (
        355666 + 365 * gy + (gy2 + 3) // 4 - (gy2 + 99) // 100 + (gy2 + 399) // 400
        + gd + days_before[gm - 1]
    )
    jy = -1595 + 33 * (days // 12053)
    days %= 12053
    jy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        jy += (days - 1) // 365
        days = (days - 1) % 365
    if days < 186:
        return jy, 1 + days // 31, 1 + days % 31
    return jy, 7 + (days - 186) // 30, 1 + (days - 186) % 30


def load_ui(
    settings: ProjectSettings, problems: ProblemList, texts: TextCache | None = None
) -> dict[str, UIStrings]:
    """The interface strings of every language of the site, checked; problems reported.
    With `texts`, a language's strings that loaded without a problem before and did not
    change are taken from that cache (text_cache.py)."""
    ui = {}
    for code in settings.language_codes:
        path = settings.pamphlets_dir / "ui" / f"{code}.yml"
        shown = settings.shown(path)
        if not path.exists():
            problems.add(
                shown,
                None,
                f"the interface strings of '{code}' are missing; copy pamphlets/ui/"
                f"{settings.default_language}.yml to this name and translate it",
            )
            continue

        def load(path=path, shown=shown):
            return _load_strings(path, shown, settings, problems)

        strings = texts.load(path, load, problems, UI_STRINGS) if texts else load()
        if strings is not None:
            ui[code] = strings
    return ui


def _load_strings(path, shown, settings: ProjectSettings, problems: ProblemList):
    """One language's interface strings, checked; None when they have a problem (reported)."""
    text = read_text(path, shown, problems, within=settings.root, max_bytes=MAX_YAML_BYTES)
    entries = parse_mapping(text, shown, problems) if text else None
    strings = record_from_mapping(UIStrings, entries, shown, problems) if entries else None
    if strings is None or entries is None:
        return None
    if not _plain_strings(strings, entries, shown, settings, problems):
        return None
    if "{copies}" not in strings.print_run:
        line = entries["print_run"].line if entries else None
        problems.add(shown, line, "'print_run' must contain {copies}, where the number goes")
        return None
    if "{language}" not in strings.fallback_notice:
        line = entries["fallback_notice"].line if entries else None
        problems.add(
            shown,
            line,
            "'fallback_notice' must contain {language}, where the name of the language "
            "the reader gets instead goes",
        )
        return None
    if not _names_the_organisation(strings, entries, shown, problems):  # issue 14
        return None
    unsized = [key for key in ("size_kb", "size_mb") if "{size}" not in getattr(strings, key)]
    for key in unsized:  # a size without its number would say only "KB"
        line = entries[key].line if key in entries else None
        problems.add(shown, line, f"'{key}' must contain {{size}}, where the number goes")
    if unsized:
        return None
    if len(strings.month_names) != 12:  # issue 12: dates in the reader's language
        line = entries["month_names"].line if entries else None
        problems.add(
            shown,
            line,
            f"'month_names' must list the 12 months of the calendar; got "
            f"{len(strings.month_names)}",
        )
        return None
    return strings


def _names_the_organisation(strings: UIStrings, entries, shown, problems: ProblemList) -> bool:
    """Whether every licence's terms name the organisation ({organisation}): the licences
    require partners to name it, so the line must say whom."""
    ok = True
    for licence in LICENCES.values():
        if "{organisation}" not in getattr(strings, licence.terms_key):
            problems.add(
                shown,
                entries[licence.terms_key].line,
                f"'{licence.terms_key}' must contain {{organisation}}, where the name of the "
                "organisation partners must credit goes",
            )
            ok = False
    return ok


def _plain_strings(strings: UIStrings, entries, shown, settings, problems: ProblemList) -> bool:
    """Whether every string is plain text of a sensible length; reports those that are not."""
    ok = True
    for field in fields(strings):
        value = getattr(strings, field.name)
        line = entries[field.name].line if field.name in entries else None
        if isinstance(value, list):  # month names
            value = " ".join(item for item in value if isinstance(item, str))
        if not isinstance(value, str) or field.name in ("direction", "digits"):
            continue
        if len(value) > MAX_UI_CHARACTERS:
            problems.add(shown, line, f"'{field.name}' is {len(value):,} characters long; "
                         f"keep it under {MAX_UI_CHARACTERS:,}")  # fmt: skip
            ok = False
            continue
        problem = plain_text_problem(field.name, value, settings.markdown)
        if problem:
            problems.add(shown, line, problem)
            ok = False
    return ok
