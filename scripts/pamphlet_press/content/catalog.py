"""The content model: every pamphlet in every language, the facts and the interface strings,
loaded and validated once, and then used by the site (and the leaflets).

On disk:

    pamphlets/
      facts.yml                      facts that change (see facts.py)
      ui/<lang>.yml                  interface strings of a language (notices, headings)
      <slug>/pamphlet.yml            the pamphlet's settings:
                                       order: 1
                                       source_language: en
                                       format: a5-booklet      # or a4-trifold
                                       edition: 2026-11-28     # date of this version
      <slug>/<lang>.md               a translation: front matter, then the Markdown body
                                       ---
                                       title: Your rights and duties
                                       summary: What the law gives you and asks of you.
                                       status: draft           # or reviewed
                                       reviewed_by: (name, when status is reviewed)
                                       reviewed_on: (YYYY-MM-DD, when status is reviewed)
                                       ---

The languages come from mkdocs.yml (the i18n plugin's `languages`); nothing here lists them.
A language that lacks a pamphlet shows it in the first available language of its fallback
chain (`fallback_chain`).

(Longer than most modules: every rule a pamphlet's text and front matter must meet is
checked here, in one pass with the file and line of each problem; the rules themselves live
in markdown.py, sources.py and facts.py.)
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from ..problems import ProblemList, did_you_mean
from ..settings import Language, ProjectSettings
from .facts import FACT_REFERENCE, Fact, expand_facts, load_facts
from .ledger import Ledger, load_ledger
from .markdown import (
    NETWORK_ADDRESS,
    PAMPHLET_LINK,
    find_body_heading,
    find_costly_markdown,
    find_raw_html,
    line_of,
    line_of_any,
    links_in,
    locate_unsafe_html,
    plain_text_problem,
    url_scheme,
)
from .sources import (
    MAX_YAML_BYTES,
    parse_mapping,
    read_text,
    record_from_mapping,
    split_front_matter,
)
from .text_cache import TextCache
from .ui import UIStrings, load_ui

# Lower-case letters, digits and '-', short enough that the longest file name made from it
# (<slug>-<lang>-print-imposed.pdf, and its temporary name) stays far below the 255 bytes a
# file system allows.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_SLUG_LENGTH = 64
# A title is a heading on the cover and in every list; a summary is one or two sentences.
MAX_LENGTH = {"title": 150, "summary": 400}
# Raster images only: an SVG can carry a script.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
# Limits that keep one bad file from stalling a build: a leaflet is a few pages long.
MAX_TEXT_CHARACTERS = 200_000
MAX_NESTING = 12
MAX_IMAGE_PIXELS = 6000 * 6000
MAX_IMAGE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FrontMatter:
    """The front matter of a pamphlet translation."""

    title: str
    summary: str
    # draft: translated, not yet checked by a lawyer who reads the language; reviewed:
    # checked; untranslated: a stub made by `pamphlets translate`, still holding the source
    # text, never published (readers get the fallback until a translator marks it draft).
    status: Literal["draft", "reviewed", "untranslated"]
    reviewed_by: str | None = None
    reviewed_on: datetime.date | None = None
    # For a translation: the version of the source-language text it was made from (see
    # status.py); `pamphlets translate` fills it in.
    translated_from: str | None = None


@dataclass(frozen=True)
class PamphletSettings:
    """The settings of a pamphlet (`pamphlets/<slug>/pamphlet.yml`)."""

    order: int
    source_language: str
    format: str  # a name from the format registry (leaflets/formats.py)
    edition: datetime.date
    # On the site, the page opens with this section (its n-th `##` section, counted from 1)
    # before the others: the trafficking pamphlet opens with what to do and whom to call.
    lead_section: int | None = None


@dataclass(frozen=True)
class Translation:
    """A pamphlet in one language; `body` has its facts already filled in."""

    slug: str
    language: str
    front: FrontMatter
    body: str
    path: str
    images: tuple[str, ...] = ()
    # The Markdown as written, before facts are filled in: what a translator translates.
    source_text: str = ""
    # The facts the text uses (names in facts.yml), in order: a page says when they were checked.
    facts: tuple[str, ...] = ()
    # `body` as HTML, with the site's Markdown extensions (converted once, checked once).
    html: str = field(default="", repr=False, compare=False)
    # Every (a, href) and (img, src) in `html`, in order (markdown.links_in).
    links: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)

    def links_and_images(self, settings: ProjectSettings) -> tuple[tuple[str, str], ...]:
        """Every (a, href) and (img, src) of the text: as found when it loaded, or found now
        for a translation made otherwise (tests, the PO import)."""
        if self.html:
            return self.links
        return tuple(links_in(settings.markdown.convert(self.body)))

    @property
    def version(self) -> str:
        """A short fingerprint of the text (title, summary, body as written). A translation
        made from this text records it as `translated_from`; when the text changes, the
        fingerprint changes and the translation is outdated."""
        return version_of_text(self.front.title, self.front.summary, self.source_text)

    @property
    def is_draft(self) -> bool:
        return self.front.status == "draft"


def version_of_text(title: str, summary: str, body: str) -> str:
    """The fingerprint of a text version (see Translation.version)."""
    material = f"{title}\n{summary}\n{body.strip()}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Pamphlet:
    slug: str
    settings: PamphletSettings
    # The published texts, by language.
    translations: dict[str, Translation]
    # Stubs waiting for a translator (status: untranslated), by language: not published.
    untranslated: dict[str, Translation] = field(default_factory=dict)


@dataclass(frozen=True)
class Shown:
    """What a reader of `language` sees of a pamphlet: a translation, maybe a fallback."""

    translation: Translation
    language: str

    @property
    def is_fallback(self) -> bool:
        return self.translation.language != self.language


@dataclass(frozen=True)
class Catalog:
    settings: ProjectSettings
    pamphlets: tuple[Pamphlet, ...]
    facts: dict[str, Fact | None]
    ui: dict[str, UIStrings]
    ledger: Ledger = Ledger()

    def language(self, code: str) -> Language:
        return next(language for language in self.settings.languages if language.code == code)

    def fallback_chain(self, language: str) -> list[str]:
        """The languages to try, in order, for a reader of `language`.

        The language itself, then its configured chain, then the default language, then
        every other language in the configured order.
        """
        chain = [language, *self.settings.fallback.get(language, [])]
        chain += [self.settings.default_language, *self.settings.language_codes]
        return list(dict.fromkeys(chain))

    def shown(self, pamphlet: Pamphlet, language: str) -> Shown:
        for candidate in self.fallback_chain(language):
            if candidate in pamphlet.translations:
                return Shown(pamphlet.translations[candidate], language)
        raise LookupError(pamphlet.slug)  # load_catalog ensures every pamphlet has a text


def load_catalog(settings: ProjectSettings) -> Catalog:
    """Read and validate every source under the pamphlets folder.

    Raises ContentError listing every problem found (file, line, what, how to fix).
    """
    problems = ProblemList()
    base = settings.pamphlets_dir
    if not base.is_dir():
        problems.add(settings.shown(base), None, "the pamphlets folder is missing; create it")
        problems.raise_if_any()
    _check_fallback(settings, problems)
    facts = load_facts(
        base / "facts.yml", settings.shown(base / "facts.yml"), problems, settings.root,
        settings.markdown,
    )  # fmt: skip
    texts = TextCache(settings, facts)  # texts that did not change are not checked again
    ui = load_ui(settings, problems, texts)
    pamphlets = []
    for folder in sorted(path for path in base.iterdir() if path.is_dir()):
        if folder.name == "ui":
            continue
        pamphlet = _load_pamphlet(folder, settings, facts, problems, texts)
        if pamphlet:
            pamphlets.append(pamphlet)
    # A pamphlet with a broken pamphlet.yml is still a pamphlet that others may link to.
    slugs = {folder.name for folder in base.iterdir() if (folder / "pamphlet.yml").exists()}
    for pamphlet in pamphlets:
        for language, translation in pamphlet.translations.items():
            pamphlet.translations[language] = _check_links(translation, slugs, settings, problems)
    ledger_path = base / "print-runs.yml"
    ledger = load_ledger(
        ledger_path, settings.shown(ledger_path), slugs, settings.language_codes, problems,
        markdown=settings.markdown, root=settings.root,
    )  # fmt: skip
    problems.raise_if_any()
    pamphlets.sort(key=lambda pamphlet: (pamphlet.settings.order, pamphlet.slug))
    catalog = Catalog(settings, tuple(pamphlets), facts, ui, ledger)
    from .links import anchor_problems  # it reads the catalog: imported here, not above

    anchor_problems(catalog).raise_if_any()
    texts.forget_others()
    return catalog


def _check_fallback(settings: ProjectSettings, problems: ProblemList) -> None:
    codes = settings.language_codes
    for language, chain in settings.fallback.items():
        for code in [language, *chain]:
            if code not in codes:
                problems.add(
                    "mkdocs.yml",
                    None,
                    f"plugins.pamphlets.fallback.{language}: '{code}' is not a language of "
                    f"the site ({', '.join(codes)}); use one of those",
                )


def _load_pamphlet(
    folder: Path,
    settings: ProjectSettings,
    facts: dict[str, Fact | None],
    problems: ProblemList,
    texts: TextCache,
) -> Pamphlet | None:
    slug = folder.name
    settings_path = folder / "pamphlet.yml"
    shown = settings.shown(settings_path)
    if not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG_LENGTH:
        problems.add(
            settings.shown(folder),
            None,
            "a pamphlet folder name must be lower-case letters, digits and '-' (like "
            f"work-permit), at most {MAX_SLUG_LENGTH} of them; got {slug!r}",
        )
        return None
    if not settings_path.exists():
        problems.add(shown, None, "is missing; every pamphlet folder needs a pamphlet.yml")
        return None
    text = read_text(settings_path, shown, problems, within=settings.root, max_bytes=MAX_YAML_BYTES)
    entries = parse_mapping(text, shown, problems) if text else None
    pamphlet_settings = (
        record_from_mapping(PamphletSettings, entries, shown, problems) if entries else None
    )
    translations = {}
    untranslated = {}
    codes = settings.language_codes
    for path in sorted(folder.glob("*.md")):
        language = path.stem
        if language not in codes:
            problems.add(
                settings.shown(path),
                None,
                f"'{language}' is not a language of this site{did_you_mean(language, codes)} "
                f"({', '.join(codes)}); rename the file, or add the language to "
                "plugins.i18n.languages in mkdocs.yml",
            )
            continue
        translation = texts.load(
            path,
            lambda: _load_translation(path, slug, language, settings, facts, problems),  # noqa: B023
            problems,
        )
        if translation and translation.front.status == "untranslated":
            untranslated[language] = translation
        elif translation:
            translations[language] = translation
    if pamphlet_settings is None or entries is None:
        return None
    if pamphlet_settings.format not in settings.pdf.formats:
        problems.add(
            shown,
            entries["format"].line,
            f"'format' must be one of {', '.join(settings.pdf.formats)}; got "
            f"'{pamphlet_settings.format}'",
        )
        return None
    source = pamphlet_settings.source_language
    if source not in codes:
        problems.add(
            shown,
            entries["source_language"].line,
            f"'source_language' must be one of {', '.join(codes)}; got '{source}'",
        )
        return None
    if source not in translations and not (folder / f"{source}.md").exists():
        problems.add(
            shown,
            entries["source_language"].line,
            f"the source language is '{source}' but {slug}/{source}.md does not exist; "
            "write it or change source_language",
        )
        return None
    if source in untranslated:
        problems.add(
            untranslated[source].path,
            None,
            "the source text cannot be 'status: untranslated' (every translation is made "
            "from it); write it and set status: draft",
        )
        return None
    lead = pamphlet_settings.lead_section
    for language, translation in translations.items() if lead is not None else ():
        sections = len(re.findall(r"^## ", translation.body, re.M))
        if not 1 <= lead <= sections:
            problems.add(
                shown,
                entries["lead_section"].line,
                f"'lead_section' is {lead} but {slug}/{language}.md has {sections} '## ' "
                "sections; give the number of the section to show first (1 is the first)",
            )
    return Pamphlet(slug, pamphlet_settings, translations, untranslated)


def _load_translation(
    path: Path,
    slug: str,
    language: str,
    settings: ProjectSettings,
    facts: dict[str, Fact | None],
    problems: ProblemList,
) -> Translation | None:
    shown = settings.shown(path)
    before = len(problems)
    text = read_text(path, shown, problems, within=settings.root)
    parts = split_front_matter(text, shown, problems) if text else None
    if parts is None:
        return None
    matter, body, body_line = parts
    front = record_from_mapping(FrontMatter, matter, shown, problems)
    if front and front.status == "reviewed" and not (front.reviewed_by and front.reviewed_on):
        problems.add(
            shown,
            matter["status"].line,
            "a reviewed text needs 'reviewed_by' (the lawyer's name) and 'reviewed_on' "
            "(YYYY-MM-DD); add them or set status: draft",
        )
    for key, limit in MAX_LENGTH.items():
        value = matter[key].value if key in matter else None
        if not isinstance(value, str):
            continue
        if len(value) > limit:
            problems.add(
                shown,
                matter[key].line,
                f"'{key}' is {len(value):,} characters long; keep it under {limit}",
            )
        elif "\n" in value.strip():
            problems.add(shown, matter[key].line, f"'{key}' must be one line of text")
        elif find_raw_html(value):
            problems.add(shown, matter[key].line, f"'{key}' must be plain text, without HTML")
        elif problem := plain_text_problem(key, value, settings.markdown):
            problems.add(shown, matter[key].line, problem)
    if not body.strip():
        problems.add(shown, body_line, "the text after the front matter is empty; write it")
    if len(body) > MAX_TEXT_CHARACTERS:
        problems.add(
            shown,
            body_line,
            f"the text is {len(body) // 1000} thousand characters long; a leaflet holds far "
            f"less (at most {MAX_TEXT_CHARACTERS // 1000} thousand): split it into pamphlets",
        )
        return None
    depth_line = _too_deep(body)
    if depth_line:
        line, depth = depth_line
        problems.add(
            shown,
            body_line + line - 1,
            f"lists or quotes are nested {depth} levels deep; a leaflet reads well with at "
            f"most {MAX_NESTING}: flatten them",
        )
        return None
    for line, snippet in find_raw_html(body):
        problems.add(
            shown,
            body_line + line - 1,
            f"raw HTML is not allowed in a pamphlet ({snippet}); write it in Markdown instead",
        )
    heading = find_body_heading(body)
    if heading is not None:
        problems.add(
            shown,
            body_line + heading - 1,
            "the text has a top-level heading ('# ...'); the title (front matter) is the "
            "page's heading: start the text's sections with '## '",
        )
    expanded = expand_facts(body, facts, shown, body_line, problems)
    for line, message in find_costly_markdown(expanded):
        problems.add(shown, body_line + line - 1, message)
    if len(problems) > before or front is None:
        return None
    try:
        html = settings.markdown.convert(expanded)
    except RecursionError:
        problems.add(shown, None, "the Markdown is nested too deeply to convert; flatten it")
        return None
    for what, needle in locate_unsafe_html(html):
        if what.startswith(NETWORK_ADDRESS + " 'src'"):
            continue  # an image on the network: _check_links says what to do instead
        problems.add(
            shown,
            line_of_any(expanded, needle, body_line),
            f"the text would put {what} into the page and the leaflet; remove it",
        )
    if len(problems) > before:
        return None
    used = tuple(dict.fromkeys(FACT_REFERENCE.findall(body)))
    return Translation(
        slug, language, front, expanded, shown, source_text=body, facts=used, html=html,
        links=tuple(links_in(html)),
    )


def _too_deep(body: str) -> tuple[int, int] | None:
    """(line, depth) of the first line nested deeper than MAX_NESTING, by quote markers
    and indentation (a list level is indented by up to four spaces)."""
    for number, line in enumerate(body.split("\n"), start=1):
        expanded = line.replace("\t", "    ")
        indent = len(expanded) - len(expanded.lstrip(" "))
        quotes = len(re.match(r"[>\s]*", expanded).group(0).replace(" ", ""))
        depth = indent // 2 + quotes
        if depth > MAX_NESTING:
            return number, depth
    return None


def _check_links(
    translation: Translation, slugs: set[str], settings: ProjectSettings, problems: ProblemList
) -> Translation:
    """Links between pamphlets must name an existing pamphlet and a language of the site;
    images must be raster files in the pamphlet's folder (nothing is fetched from the
    network, nothing outside the project is read). Returns the translation with its images."""
    source = (settings.root / translation.path).read_text(encoding="utf-8-sig")
    folder = (settings.root / translation.path).parent
    images = []
    for tag, href in translation.links_and_images(settings):
        line = line_of(source, href.split("#")[0], 1)
        if tag == "img":
            image, problem = _check_image(href, folder, settings)
            if problem:
                problems.add(translation.path, line, problem)
            elif image:
                images.append(image)
            continue
        if href.startswith("//"):
            problems.add(
                translation.path,
                line,
                f"link '{href}' leads to another host without saying how; write the full "
                "https:// address",
            )
            continue
        if href.startswith("/"):
            problems.add(
                translation.path,
                line,
                f"link '{href}' is an absolute path (a file of this computer in a PDF); link "
                "another pamphlet as ../<slug>/<lang>.md, or give a full https:// address",
            )
            continue
        if url_scheme(href) or href.startswith("#"):
            continue
        match = PAMPHLET_LINK.match(href)
        if not match:
            problems.add(
                translation.path,
                line,
                f"link '{href}' points to no pamphlet; link another pamphlet as "
                "../<slug>/<lang>.md, or give a full https:// address",
            )
        elif match.group(1) not in slugs:
            problems.add(
                translation.path,
                line,
                f"link '{href}': there is no pamphlet '{match.group(1)}'"
                f"{did_you_mean(match.group(1), slugs)} (there are: {', '.join(sorted(slugs))})",
            )
        elif match.group(2) not in settings.language_codes:
            problems.add(
                translation.path,
                line,
                f"link '{href}': '{match.group(2)}' is not a language of this site"
                f"{did_you_mean(match.group(2), settings.language_codes)}",
            )
    return replace(translation, images=tuple(images))


def _check_image(src: str, folder: Path, settings: ProjectSettings) -> tuple[str | None, str]:
    """(the image's file name in the pamphlet folder, "") or (None, the problem)."""
    scheme = url_scheme(src)
    if scheme:
        return None, (
            f"image '{src}' is on the network ({scheme}:); the site and the leaflets are made "
            f"without network: save the image in {settings.shown(folder)}/ and give its file name"
        )
    path = (folder / src).resolve()
    if folder.resolve() not in path.parents:
        return None, (
            f"image '{src}' is outside the pamphlet's folder; copy it into "
            f"{settings.shown(folder)}/ and give its file name"
        )
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return None, f"image '{src}' must be a PNG or JPEG file"
    if not path.is_file():
        return None, f"image '{src}' does not exist in {settings.shown(folder)}/"
    if path.stat().st_size > MAX_IMAGE_BYTES:
        return None, f"image '{src}' is {path.stat().st_size // 2**20} MB; save it smaller"
    problem = _unreadable_image(path, src)
    if problem:
        return None, problem
    return path.relative_to(folder.resolve()).as_posix(), ""


def _unreadable_image(path: Path, src: str) -> str:
    """Why an image cannot go into a page or a leaflet (not a real image, too large)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return (
                    f"image '{src}' is {width} x {height} pixels; scale it down (a full A5 page "
                    "at 300 dpi is 1748 x 2480)"
                )
            image.verify()
    except Image.DecompressionBombError:
        return f"image '{src}' is far too large; scale it down"
    except Exception as error:  # Pillow raises many kinds for a broken file
        return (
            f"image '{src}' cannot be read as PNG or JPEG ({type(error).__name__}); save it again"
        )
    return ""
