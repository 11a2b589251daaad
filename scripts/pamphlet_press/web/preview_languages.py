"""The live preview rebuilds only the languages that a save changed.

mkdocs-static-i18n builds every language again after each save: MkDocs' own build makes the
default language, then its `on_post_build` builds the others one after the other, in the
same folder. With 20 pamphlets in 5 languages each costs about half a second, and a
translator who saved one Russian text waits for all five.

Under `mkdocs serve` the plugin runs that loop itself (it tells mkdocs-static-i18n that it
is building already, so that its own loop stops at once) and builds a language only when
its fingerprint changed since the copy being served was built. The fingerprint is the one
`pamphlets build` uses for the same decision (site_build.language_inputs: the language's
pages under docs/, the generated ones included, the default language's pages it falls back
to, its interface strings, the facts, and what every language shares). The default
language is MkDocs' own build: it is always built.

MkDocs empties the served folder before each build, but leaves hidden entries alone: the
languages' folders are moved into a hidden folder before (`hold`), and the unchanged ones
moved back after, so nothing is copied. A language's search and sitemap entries are kept
with it, so that the search index and the sitemap still hold every language.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs_static_i18n.utils import I18nLoggingFilter

from .site_build import sitemap_entries, sitemap_head, write_sitemap

HOLD = ".pamphlets-languages"  # hidden: MkDocs' cleaning of the served folder skips it


class PreviewLanguages:
    """What the served folder holds of each language besides the default one, between the
    rebuilds of one `mkdocs serve` (the plugin keeps this object across them)."""

    def __init__(self) -> None:
        # Language -> fingerprint of the inputs its folder (served or held) was built from.
        self.built_from: dict[str, str] = {}
        # Language -> its entries in the search index, and in the sitemap.
        self.search_entries: dict[str, list] = {}
        self.sitemap_entries: dict[str, list[str]] = {}
        # True while the loop builds another language (the plugin's events then do less).
        self.building_other = False

    def hold(self, site: Path, languages: list[str]) -> None:
        """Move the languages' folders out of MkDocs' way, before it empties `site`."""
        held = site / HOLD
        for code in languages:
            folder = site / code
            if folder.is_dir():
                held.mkdir(exist_ok=True)
                if (held / code).exists():
                    shutil.rmtree(held / code)
                folder.rename(held / code)
        for code in list(self.built_from):
            if not (held / code).is_dir():  # a build that failed halfway: build it again
                del self.built_from[code]

    def build_others(
        self, config: MkDocsConfig, i18n, fingerprints: dict[str, str]
    ) -> tuple[list[str], list[str]]:
        """Build every language but the default one whose inputs changed, and put the
        others back from the hold; returns (built, kept)."""
        from mkdocs import utils
        from mkdocs.commands.build import build

        site = Path(config.site_dir)
        held = site / HOLD
        default = i18n.default_language
        # Each build adds its language's pages to the sitemap written by the one before.
        sitemap = site / "sitemap.xml"
        codes = list(i18n.build_languages)

        def sitemap_entries_of(code: str) -> list[str]:
            text = sitemap.read_text(encoding="utf-8") if sitemap.exists() else ""
            return sitemap_entries(text, codes, default, config.site_url or "")[code]

        head = sitemap_head(sitemap.read_text(encoding="utf-8")) if sitemap.exists() else ""
        entries = sitemap_entries_of(default)
        built: list[str] = []
        kept: list[str] = []
        # As mkdocs-static-i18n does: the languages share the folder, so a language's build
        # must not empty it.
        clean_directory = utils.clean_directory
        utils.clean_directory = lambda directory: None
        # mkdocs-static-i18n's own filter, set as its loop sets it: one rebuild says
        # "Documentation built" once.
        quiet = I18nLoggingFilter()
        quiet.filtered_prefixes.update(("Documentation built in",
                                        "Building documentation to directory"))  # fmt: skip
        build_log = logging.getLogger("mkdocs.commands.build")
        build_log.addFilter(quiet)
        try:
            for code in i18n.build_languages:
                if code == default:
                    continue
                fingerprint = fingerprints.get(code)
                if (
                    fingerprint is not None
                    and self.built_from.get(code) == fingerprint
                    and code in self.search_entries
                    and code in self.sitemap_entries
                    and (held / code).is_dir()
                ):
                    (held / code).rename(site / code)
                    i18n.search_entries.extend(self.search_entries[code])
                    entries += self.sitemap_entries[code]
                    kept.append(code)
                    continue
                self.built_from.pop(code, None)
                if (held / code).exists():
                    shutil.rmtree(held / code)
                first_entry = len(i18n.search_entries)
                i18n.current_language = code
                self.building_other = True
                try:
                    build(config, dirty=False)
                finally:
                    self.building_other = False
                self.search_entries[code] = i18n.search_entries[first_entry:]
                self.sitemap_entries[code] = sitemap_entries_of(code)
                entries += self.sitemap_entries[code]
                if fingerprint is not None:
                    self.built_from[code] = fingerprint
                built.append(code)
        finally:
            utils.clean_directory = clean_directory
            build_log.removeFilter(quiet)
            i18n.current_language = default
        # Left: languages no longer in mkdocs.yml.
        shutil.rmtree(held, ignore_errors=True)
        if head:  # the one sitemap of every language, as a build of them all writes it
            write_sitemap(site, head, entries)
        return built, kept
