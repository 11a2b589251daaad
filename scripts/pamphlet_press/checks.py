"""What `pamphlets check` verifies beyond the catalog, so that `pamphlets build` does not
fail later on it (or silently ship it), each problem named by its source:

- every character of every text is in one of the configured fonts (else the leaflet
  cannot be rendered: `U+XXXX` and the line where it first appears);
- the print shop's colour profile exists (else no print PDF can be made);
- every hand-written page of the site (docs/) exists in every language (else that
  language's readers get the default language's page);

and what an editor should look at, as warnings:

- interface strings (pamphlets/ui/<lang>.yml) still identical to the English ones;
- no content licence chosen (partners cannot know whether they may reprint).
"""

from __future__ import annotations

import html as html_module
from pathlib import Path

from .content.catalog import Catalog
from .content.licences import LICENCES
from .problems import ProblemList

# Interface strings that may well read the same in two languages.
SAME_IN_MANY_LANGUAGES = {
    "direction", "digits", "thousands_separator", "calendar", "date_format", "og_locale",
    "month_names", "decimal_separator", "separator",
    # Units that many languages write in Latin letters (Azerbaijani: KB, MB).
    "size_kb", "size_mb",
    # A proper name: the NGO writes its name in English where it has none of its own.
    "organisation",
}  # fmt: skip


def glyph_problems(catalog: Catalog) -> ProblemList:
    """Characters of a text (title, summary, body with its facts) that no font has."""
    from .leaflets.render import missing_characters, visible_text

    problems = ProblemList()
    fonts = catalog.settings.pdf.fonts
    for pamphlet in catalog.pamphlets:
        for translation in pamphlet.translations.values():
            front = translation.front
            html = catalog.settings.markdown.convert(translation.body)
            text = f"{front.title}\n{front.summary}\n{html_module.unescape(visible_text(html))}"
            missing = missing_characters(text, fonts)
            if not missing:
                continue
            source = (catalog.settings.root / translation.path).read_text(encoding="utf-8")
            first = chr(int(missing[0].split()[0][2:], 16))
            line = source[: max(source.find(first), 0)].count("\n") + 1
            problems.add(
                translation.path,
                line,
                f"no configured font ({', '.join(fonts)}) has {', '.join(missing)}; remove "
                "the character or add a font that has it to plugins.pamphlets.pdf.fonts",
            )
    return problems


def profile_problems(catalog: Catalog) -> ProblemList:
    problems = ProblemList()
    pdf = catalog.settings.pdf
    if pdf.enabled and (pdf.icc_profile is None or not pdf.icc_profile.is_file()):
        shown = catalog.settings.shown(pdf.icc_profile) if pdf.icc_profile else "(none)"
        problems.add(
            "mkdocs.yml",
            None,
            f"plugins.pamphlets.pdf.icc_profile: the colour profile '{shown}' does not exist; "
            "run scripts/setup.sh (it makes the default FOGRA39 profile), or set the print "
            "shop's profile",
        )
    return problems


def docs_page_problems(catalog: Catalog, docs_dir: Path, generated: set[str]) -> ProblemList:
    """Hand-written pages (`docs/about.az.md`, ...) that a language lacks: compared with the
    default language's pages."""
    settings = catalog.settings
    default = settings.default_language
    problems = ProblemList()
    for page in sorted(docs_dir.rglob(f"*.{default}.md")):
        relative = page.relative_to(docs_dir)
        if relative.parts[0] in generated:
            continue
        stem = page.name.removesuffix(f".{default}.md")
        for code in settings.language_codes:
            other = page.with_name(f"{stem}.{code}.md")
            if not other.exists():
                problems.add(
                    settings.shown(other),
                    None,
                    f"is missing: readers of '{code}' would get the "
                    f"{catalog.language(default).name} page ({settings.shown(page)}); "
                    "translate it into this file",
                )
    return problems


def untranslated_strings(catalog: Catalog) -> list[str]:
    """Interface strings of a language that are still the English ones (warnings)."""
    english = catalog.ui.get("en")
    if english is None:
        return []
    warnings = []
    for code, strings in catalog.ui.items():
        if code == "en":
            continue
        same = [
            key
            for key, value in vars(strings).items()
            if key not in SAME_IN_MANY_LANGUAGES
            and isinstance(value, str)
            and any(character.isalpha() for character in value)
            and value == getattr(english, key)
        ]
        if same:
            warnings.append(
                f"pamphlets/ui/{code}.yml: {len(same)} strings are the English ones "
                f"({', '.join(same[:6])}{', ...' if len(same) > 6 else ''}); translate them"
            )
    return warnings


def licence_warning(catalog: Catalog) -> str | None:
    """A warning when the project has chosen no content licence (issue 14)."""
    if catalog.settings.content_licence is not None:
        return None
    return (
        "mkdocs.yml: plugins.pamphlets.content_licence is not set: the site and the leaflets "
        "state no licence, so partner organisations cannot know whether they may reprint, "
        f"share or translate them; set one of {', '.join(LICENCES)} (for example "
        "'content_licence: CC-BY-4.0' under the pamphlets plugin)"
    )
