"""The release gate: what must be true before leaflets go to a print shop.

`pamphlets build --release` makes the print package for a print run: the print PDFs, the
imposed sheets and the preflight report (text and JSON), in a folder of its own
(`release/`), not in the public site. It refuses, writing nothing, when any leaflet it is
asked for (all, or those chosen with --pamphlet and --language) would go to press with:

    a draft or outdated text       only a text a lawyer reviewed, in step with its original
    a placeholder address          the QR code and the printed web address come from
                                   site_url: example.org, *.test, localhost, a private address
    an old or unconfirmed fact     a fact the text uses (or the imprint: the NGO's phone)
                                   checked longer ago than facts_max_age_days, or marked
                                   `status: unconfirmed` in pamphlets/facts.yml
    no recorded print run          the imprint would say "print run: not recorded"
    a failed preflight             any check of preflight.py, on a print PDF or its sheets

Once printed, a leaflet cannot be corrected: every reason is listed, with how to fix it.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlparse

from .content.catalog import Catalog, Translation
from .content.facts import FACT_REFERENCE
from .content.translation_status import is_outdated
from .leaflets.leaflet import page_url

# Host names reserved for examples and tests (RFC 2606, RFC 6761), and local ones.
PLACEHOLDER_LABELS = {"example", "test", "invalid", "localhost", "local"}
# Facts every leaflet uses: the imprint states the NGO's phone.
IMPRINT_FACTS = ("ngo_phone",)

FIXES = {
    "draft": "a lawyer who reads the language reviews the text; then set status: reviewed, "
    "reviewed_by and reviewed_on in its front matter",
    "outdated": "bring the translation up to date with its original (pamphlets translate "
    "SLUG LANG shows what changed), then set translated_from",
    "address": "set site_url in mkdocs.yml to the address where the site is published",
    "fact": "check the fact against its source and update verified_on (and status) in "
    "pamphlets/facts.yml, or take it out of the text",
    "run": "record the run: pamphlets runs add --pamphlet SLUG --language LANG --quantity N "
    "--status ordered",
    "preflight": "see the preflight report below",
}


@dataclass
class Refusal:
    """Why leaflets cannot be released: per leaflet its reasons, and the fixes."""

    reasons: dict[str, list[str]] = field(default_factory=dict)
    kinds: set[str] = field(default_factory=set)

    def add(self, leaflet: str, kind: str, reason: str) -> None:
        self.reasons.setdefault(leaflet, []).append(reason)
        self.kinds.add(kind)

    def __bool__(self) -> bool:
        return bool(self.reasons)

    def message(self) -> str:
        lines = ["the release is refused; nothing was written (site/ and release/ are as "
                 "they were):"]  # fmt: skip
        for leaflet, reasons in self.reasons.items():
            lines.append(f"  {leaflet}: {'; '.join(reasons)}")
        lines.append("How to fix:")
        lines += [f"  {kind}: {FIXES[kind]}" for kind in FIXES if kind in self.kinds]
        lines.append(
            "To release some leaflets only, choose them with --pamphlet and --language."
        )
        return "\n".join(lines)


def placeholder_address(url: str) -> str | None:
    """Why `url` cannot be printed (a placeholder or local address), or None."""
    host = (urlparse(url).hostname or "").lower()
    if not host:
        return "no site_url is set"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        labels = set(host.split("."))
        if labels & PLACEHOLDER_LABELS or host.split(".")[-1] in PLACEHOLDER_LABELS:
            return f"{host} is a placeholder or local address"
        return None
    if address.is_private or address.is_loopback or address.is_link_local:
        return f"{host} is a local address"
    return None


def facts_used(translation: Translation) -> list[str]:
    """The facts a translation's leaflet states: those its text names, and the imprint's."""
    named = FACT_REFERENCE.findall(translation.source_text)
    return list(dict.fromkeys([*named, *IMPRINT_FACTS]))


def release_problems(
    catalog: Catalog,
    today: datetime.date,
    pamphlets: set[str] | None = None,
    languages: set[str] | None = None,
) -> tuple[list[tuple[str, str]], Refusal]:
    """The leaflets asked for, as (slug, language), and why any of them cannot go to press."""
    settings = catalog.settings
    refusal = Refusal()
    chosen = []
    for pamphlet in catalog.pamphlets:
        if pamphlets and pamphlet.slug not in pamphlets:
            continue
        edition = pamphlet.settings.edition.isoformat()
        for language, translation in pamphlet.translations.items():
            if languages and language not in languages:
                continue
            chosen.append((pamphlet.slug, language))
            name = f"{pamphlet.slug} ({language})"
            if translation.front.status != "reviewed":
                refusal.add(name, "draft", f"a {translation.front.status}")
            if is_outdated(catalog, pamphlet, language):
                refusal.add(name, "outdated", "outdated (its original changed since)")
            url = page_url(catalog, pamphlet.slug, language)
            placeholder = placeholder_address(url)
            if placeholder:
                refusal.add(name, "address", f"its QR code and address would point to {url} "
                            f"({placeholder})")  # fmt: skip
            for fact_name in facts_used(translation):
                fact = catalog.facts.get(fact_name)
                if fact is None:
                    continue
                age = (today - fact.verified_on).days
                if fact.status == "unconfirmed":
                    refusal.add(name, "fact", f"fact '{fact_name}' is unconfirmed")
                elif age > settings.facts_max_age_days:
                    refusal.add(
                        name, "fact",
                        f"fact '{fact_name}' was checked {age} days ago "
                        f"({fact.verified_on}; the limit is {settings.facts_max_age_days})",
                    )  # fmt: skip
            if catalog.ledger.current_run(pamphlet.slug, language, edition) is None:
                refusal.add(name, "run", f"no print run recorded for edition {edition}")
    return chosen, refusal
