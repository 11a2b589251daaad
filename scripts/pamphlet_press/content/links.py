"""Links to a section (`#anchor`), checked against the sections the reader will find.

A pamphlet links another as `../<slug>/<lang>.md#section`; on the site the link leads to
that pamphlet in the language of the page it is on (or that language's fallback), and in a
leaflet to its web address. The section must exist in the text a reader of that page gets,
which is not always the text the link names: the Russian text's link is followed by Russian
readers, and by the readers whose language falls back to the Russian text. A link to
`#section` alone must name a section of its own text. MkDocs would only say so while it
builds, naming a generated file; checked here, the problem names the source file and line.

Sections are the `id`s the site's Markdown gives headings (the `toc` extension's slugify,
as set in mkdocs.yml) and any `{ #id }` the text sets itself.
"""

from __future__ import annotations

import re
from functools import cache

from ..problems import ProblemList, did_you_mean
from .catalog import Catalog, Translation
from .markdown import PAMPHLET_LINK, line_of

ID = re.compile(r"""\sid=["']([^"']+)["']""")


def anchor_problems(catalog: Catalog) -> ProblemList:
    """A problem for every `#anchor` that the text a reader gets does not have."""
    settings = catalog.settings
    by_slug = {pamphlet.slug: pamphlet for pamphlet in catalog.pamphlets}

    @cache
    def ids_of(translation: Translation) -> frozenset[str]:
        html = translation.html or settings.markdown.convert(translation.body)
        return frozenset(ID.findall(html))

    problems = ProblemList()
    for pamphlet in catalog.pamphlets:
        for translation in pamphlet.translations.values():
            readers = [
                language
                for language in settings.language_codes
                if catalog.shown(pamphlet, language).translation is translation
            ]
            source = (settings.root / translation.path).read_text(encoding="utf-8-sig")
            for tag, href in translation.links_and_images(settings):
                if tag != "a" or "#" not in href:
                    continue
                target, anchor = href.split("#", 1)
                line = line_of(source, href, 1)
                if not target:
                    texts = {translation.language: translation}
                    where = "this text"
                else:
                    match = PAMPHLET_LINK.match(href)
                    if not match or match.group(1) not in by_slug:
                        continue  # the link itself is reported by the catalog
                    other = by_slug[match.group(1)]
                    texts = {language: catalog.shown(other, language).translation
                             for language in readers}  # fmt: skip
                    where = other.slug
                missing = {
                    language: text for language, text in texts.items() if anchor not in ids_of(text)
                }
                if not missing:
                    continue
                language, text = next(iter(missing.items()))
                names = ", ".join(catalog.language(code).name for code in missing)
                sections = sorted(ids_of(text))
                problems.add(
                    translation.path,
                    line,
                    f"link '{href}': {where} has no section '#{anchor}'"
                    f"{did_you_mean(anchor, sections)} in the text {names} readers get "
                    f"({text.path}); its sections are "
                    f"{', '.join('#' + s for s in sections) or 'none'}",
                )
    return problems
