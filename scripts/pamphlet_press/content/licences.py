"""The content licence: on what terms partner organisations may reuse the texts and leaflets.

The code has its own licence (LICENSE, MIT); the pamphlets, pages and leaflets are the
NGO's, and partners who print, share or translate them need to know what they may do. The
NGO chooses a Creative Commons licence in mkdocs.yml, by its SPDX id:

    plugins:
      - pamphlets:
          content_licence: CC-BY-4.0

The site's footer (every page, every language) and the leaflet's imprint then say in the
reader's language what partners may do and that they must name the organisation (the
interface strings `licence_terms_<kind>`, with `{organisation}`), followed by the licence's
name ("CC BY 4.0") linked to its deed on the web, and its address in short form in print.
`downloads.json` carries the id, name and address for partners' scripts.

Only the licences that let partners translate and adapt are offered: the NoDerivatives
ones (CC-BY-ND-4.0, CC-BY-NC-ND-4.0) forbid the translations this NGO's readers depend on.
Left out, no licence is shown, and `pamphlets check` warns that partners cannot know
whether they may reprint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..problems import did_you_mean

# The languages Creative Commons translated its 4.0 deeds into (the deed's language menu):
# a reader of one of them is linked to the deed in their language (`.../deed.fa`).
DEED_LANGUAGES = frozenset(
    "an az id eu ca da de et en es eo fr fy ga gl hr it lv lt hu ms nl no pl pt pt-br ro sk "
    "sl sr-latn fi sv tr is cs el be bg ru uk ar fa hi bn ja zh-hans zh-hant ko".split()
)


@dataclass(frozen=True)
class Licence:
    """A Creative Commons licence a project may choose for its texts and leaflets."""

    spdx: str  # the SPDX id, as mkdocs.yml names it: CC-BY-4.0
    name: str  # as the licence names itself: CC BY 4.0
    url: str  # its deed (the human-readable summary), in English
    # What partners may do, in plain words: the interface string (pamphlets/ui/<lang>.yml)
    # that says it in each language; it names the organisation with {organisation}.
    terms_key: str

    def deed(self, language: str) -> str:
        """The deed in `language` when Creative Commons has it, else the English one."""
        return f"{self.url}deed.{self.deed_language(language)}"

    @staticmethod
    def deed_language(language: str) -> str:
        """The language of the deed a reader of `language` is linked to."""
        return language if language in DEED_LANGUAGES else "en"

    @property
    def short_url(self) -> str:
        """Its address as printed: creativecommons.org/licenses/by/4.0"""
        return self.url.removeprefix("https://").rstrip("/")

    def manifest_entry(self) -> dict[str, str]:
        return {"id": self.spdx, "name": self.name, "url": self.url}


LICENCES: dict[str, Licence] = {
    licence.spdx: licence
    for licence in (
        Licence("CC-BY-4.0", "CC BY 4.0",
                "https://creativecommons.org/licenses/by/4.0/", "licence_terms_by"),
        Licence("CC-BY-SA-4.0", "CC BY-SA 4.0",
                "https://creativecommons.org/licenses/by-sa/4.0/", "licence_terms_by_sa"),
        Licence("CC-BY-NC-4.0", "CC BY-NC 4.0",
                "https://creativecommons.org/licenses/by-nc/4.0/", "licence_terms_by_nc"),
        Licence("CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0",
                "https://creativecommons.org/licenses/by-nc-sa/4.0/", "licence_terms_by_nc_sa"),
    )
}  # fmt: skip

# Licences someone may well try, and why they are not offered.
REFUSED = {
    "CC-BY-ND-4.0": "it forbids translations and adaptations, which partners need",
    "CC-BY-NC-ND-4.0": "it forbids translations and adaptations, which partners need",
}


class UnknownLicence(ValueError):
    """mkdocs.yml names a licence that is not in LICENCES; the message says what to set."""


def licence_named(spdx: str | None) -> Licence | None:
    """The licence with the SPDX id `spdx` (ids match whatever their case, as SPDX says);
    None when none is set; UnknownLicence for any other id."""
    if spdx is None or not spdx.strip():
        return None
    by_upper = {key.upper(): licence for key, licence in LICENCES.items()}
    licence = by_upper.get(spdx.strip().upper())
    if licence is not None:
        return licence
    allowed = ", ".join(LICENCES)
    # Compared as SPDX writes ids: "cc by nd 4.0" is CC-BY-ND-4.0.
    spelt = re.sub(r"[\s_]+", "-", spdx.strip().upper())
    reason = REFUSED.get(spelt)
    if reason:
        raise UnknownLicence(f"'{spdx}' is not offered: {reason}; set one of {allowed}")
    close = did_you_mean(spelt, LICENCES)
    raise UnknownLicence(
        f"'{spdx}' is not a licence this project knows{close}; set one of {allowed} "
        "(SPDX ids), or leave it out to show no licence"
    )
