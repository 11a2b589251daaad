"""The website's generated pages, written as real Markdown files under the docs folder.

mkdocs-static-i18n only takes pages that are real files under `docs_dir` (a generated
`File` crashes it, a file outside the docs folder is dropped), so every generated page
becomes one file per language in a git-ignored folder of the docs tree, in the i18n suffix
layout:

    docs/pamphlets/index.az.md                        the list of pamphlets, in Azerbaijani
    docs/pamphlets/rights-and-duties/index.az.md      a pamphlet, in Azerbaijani
    docs/pamphlets/rights-and-duties/index.fa.md      the same pamphlet, for Persian readers
    docs/downloads/index.<lang>.md                    the downloads page (downloads_page.py)
    docs/print-runs/index.<lang>.md                   print runs and reach (runs_page.py)
    docs/translation-status/index.<lang>.md           translation status (status_page.py)

Every language gets every pamphlet at the same path, so the language switcher always leads
to the same pamphlet. A language without its own text shows the first text of its fallback
chain with a notice; a draft says so at the top. Files are rewritten only when their content
changes (so `mkdocs serve` does not loop), and files whose source is gone are removed.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..content.catalog import Catalog, Pamphlet, Shown
from ..content.markdown import link_pamphlets_for_site
from ..content.translation_status import TranslationStatus, is_outdated
from ..outputs import FILE_KINDS, LeafletFile, LeafletOutputs
from .templating import keep_templates_compiled, render


@dataclass(frozen=True)
class GeneratedFolders:
    """The folders under docs_dir that the plugin owns: it writes them, and removes what
    in them no source produces any more. Keep them git-ignored."""

    pamphlets: Path
    runs: Path
    downloads: Path
    status: Path
    pamphlets_name: str

    @classmethod
    def under(cls, docs_dir: Path, options) -> GeneratedFolders:
        return cls(
            docs_dir / options.generated_dir,
            docs_dir / options.ledger_dir,
            docs_dir / options.downloads_dir,
            docs_dir / options.status_dir,
            options.generated_dir,
        )

    @property
    def all(self) -> tuple[Path, ...]:
        return (self.pamphlets, self.runs, self.downloads, self.status)

    def owns(self, source: Path) -> bool:
        """Whether a page's source file is one the plugin wrote."""
        return any(folder in source.parents for folder in self.all)


def suffixed(path: str, language: str) -> str:
    """The i18n suffix name of a page in a language: index -> index.ru.md."""
    return f"{path}.{language}.md"


def site_root(catalog: Catalog, language: str, depth: int) -> str:
    """The relative path from a page `depth` folders below its language's root to the
    site's root (the default language lives at the root, the others one folder down)."""
    extra = 0 if language == catalog.settings.default_language else 1
    return "../" * (depth + extra)


def language_prefix(catalog: Catalog, language: str) -> str:
    return "" if language == catalog.settings.default_language else f"{language}/"


def page_link(directory: str, directory_urls: bool) -> str:
    """A link to a page folder: "x/" on a web server, "x/index.html" from the file system."""
    return directory if directory_urls else directory + "index.html"


def yaml_front_matter(values: dict) -> str:
    """Front matter lines for a generated page (title, description), as YAML."""
    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1000).rstrip("\n")


def notices_html(
    catalog: Catalog, shown: Shown, pamphlet: Pamphlet | None = None, directory_urls: bool = True
) -> str:
    """The notices at the top of a pamphlet page: fallback language, outdated, draft."""
    outdated = None
    if pamphlet and is_outdated(catalog, pamphlet, shown.translation.language):
        source = pamphlet.settings.source_language
        href = f"{site_root(catalog, shown.language, 2)}{language_prefix(catalog, source)}"
        href += page_link(f"pamphlets/{pamphlet.slug}/", directory_urls)
        outdated = {"language": source, "language_name": catalog.language(source).name,
                    "href": href}  # fmt: skip
    fallback = catalog.language(shown.translation.language).name if shown.is_fallback else None
    return render(
        "notices.html",
        ui=catalog.ui[shown.language],
        fallback_language=fallback,
        outdated=outdated,
        draft=shown.translation.is_draft,
    ).strip()


def downloads_html(
    catalog: Catalog,
    shown: Shown,
    files: list[LeafletFile],
    directory_urls: bool = True,
    preview_note: str = "",
) -> str:
    """The download a reader needs (the screen PDF, with page count and size), and a link to
    the files for the print shop on the downloads page, in the section of the text's language.

    The files live once in site/pdf/; a pamphlet page is two folders deep, three in a
    language other than the default.
    """
    order = list(FILE_KINDS)
    offered = sorted(
        (file for file in files if file.kind.label and file.kind.for_readers),
        key=lambda file: order.index(file.variant),
    )
    root = site_root(catalog, shown.language, 2)
    has_print_files = any(file.kind.label and not file.kind.for_readers for file in files)
    print_files = ""
    if has_print_files:
        downloads = f"{root}{language_prefix(catalog, shown.language)}downloads/"
        print_files = page_link(downloads, directory_urls) + f"#hub-{shown.translation.language}"
    return render(
        "downloads.html",
        ui=catalog.ui[shown.language],
        files=offered,
        root=root,
        print_files=print_files,
        preview_note=preview_note,
    ).strip()


def dates_html(
    catalog: Catalog, pamphlet: Pamphlet, shown: Shown, today: datetime.date, stale_only=False
) -> str:
    """Under the title: the edition, and the date of the oldest fact the text uses (the day
    its facts were all last checked), in the reader's language and calendar. With
    `stale_only`: the facts checked longer ago than `facts_max_age_days`, flagged."""
    ui = catalog.ui[shown.language]
    facts = [
        (name, fact) for name in shown.translation.facts
        if (fact := catalog.facts.get(name)) is not None
    ]  # fmt: skip
    oldest = min((fact.verified_on for _name, fact in facts), default=None)
    limit = catalog.settings.facts_max_age_days
    stale = [
        {"value": fact.value, "date": ui.date(fact.verified_on)}
        for _name, fact in facts
        if (today - fact.verified_on).days > limit
    ]
    return render(
        "pamphlet_dates.html",
        ui=ui,
        edition=ui.edition.replace("{date}", ui.date(pamphlet.settings.edition)),
        checked=ui.checked_on.replace("{date}", ui.date(oldest)) if oldest else "",
        stale=stale,
        stale_only=stale_only,
        stale_notice=ui.stale_notice.replace("{days}", ui.number(limit)),
    ).strip()


SECTION_START = re.compile(r"^## ", re.M)


def lead_section_first(body: str, lead: int | None) -> str:
    """The text with its `lead`-th `##` section moved before the others (and before the
    opening paragraphs): what a reader in danger needs comes first."""
    starts = [match.start() for match in SECTION_START.finditer(body)]
    if lead is None or not 1 <= lead <= len(starts):
        return body
    start = starts[lead - 1]
    end = starts[lead] if lead < len(starts) else len(body)
    section = body[start:end].rstrip("\n")
    rest = (body[:start] + body[end:]).strip("\n")
    return f"{section}\n\n{rest}\n"


def pamphlet_page(
    catalog: Catalog,
    pamphlet: Pamphlet,
    shown: Shown,
    files: list[LeafletFile] | None = None,
    directory_urls: bool = True,
    today: datetime.date | None = None,
    preview_note: str = "",
) -> str:
    """The Markdown file of one pamphlet page in one language (`preview_note`: what the live
    preview says about the leaflets, e.g. that they are being made)."""
    translation = shown.translation
    front = yaml_front_matter(
        {"title": translation.front.title, "description": translation.front.summary}
    )
    fallback_direction = catalog.ui[translation.language].direction if shown.is_fallback else ""
    return render(
        "pamphlet_page.md",
        front_matter=front,
        translation=translation,
        fallback_direction=fallback_direction,
        dates=dates_html(catalog, pamphlet, shown, today or datetime.date.today()),
        notices=notices_html(catalog, shown, pamphlet, directory_urls),
        stale=dates_html(catalog, pamphlet, shown, today or datetime.date.today(), True),
        downloads=downloads_html(catalog, shown, files or [], directory_urls, preview_note),
        body=lead_section_first(
            link_pamphlets_for_site(translation.body), pamphlet.settings.lead_section
        ).strip(),
    )


def pamphlet_list(catalog: Catalog, language: str, prefix: str) -> str:
    """The pamphlets as Material grid cards, each with its title and summary.

    `prefix` is the path from the page holding the list to the pamphlets folder.
    """
    cards = []
    for pamphlet in catalog.pamphlets:
        shown = catalog.shown(pamphlet, language)
        code = shown.translation.language
        cards.append(
            {
                "title": shown.translation.front.title,
                "summary": shown.translation.front.summary,
                "link": posixpath.join(prefix, pamphlet.slug, "index.md"),
                "language": code if shown.is_fallback else "",
                "direction": catalog.ui[code].direction,
            }
        )
    return render("pamphlet_list.md", cards=cards)


def relative_url(target: str, page_url: str) -> str:
    """The link from the page at `page_url` to `target`, both site URLs ("ru/", "ru/x.html")."""
    page_dir = page_url if page_url == "" or page_url.endswith("/") else posixpath.dirname(page_url)
    link = posixpath.relpath("/" + target, "/" + page_dir)
    return link + "/" if target == "" or target.endswith("/") else link


def language_picker(catalog: Catalog, language: str, page_url: str) -> str:
    """Links to this page in every language, each language named in its own name and script."""
    default = catalog.settings.default_language
    prefix = "" if language == default else f"{language}/"
    base = page_url[len(prefix) :] if page_url.startswith(prefix) else page_url
    items = [
        {
            "href": relative_url(("" if other.code == default else f"{other.code}/") + base,
                                 page_url),  # fmt: skip
            "code": other.code,
            "name": other.name,
            "direction": catalog.ui[other.code].direction if other.code in catalog.ui else "ltr",
            "current": other.code == language,
        }
        for other in catalog.settings.languages
    ]
    return render(
        "language_picker.html", heading=catalog.ui[language].languages_heading, items=items
    )


def pamphlet_pages(
    catalog: Catalog,
    outputs: LeafletOutputs | None = None,
    directory_urls: bool = True,
    preview_note: str = "",
    being_made: Collection[tuple[str, str]] = (),
) -> dict[str, str | bytes]:
    """Every file of the pamphlets folder (pages, and the images they show), by its path
    relative to that folder. `preview_note` is shown on the pages of the leaflets in
    `being_made` (pamphlet, language) only: a save then changes the pages of its own
    language, and the preview rebuilds that language alone (preview_languages.py)."""
    pages: dict[str, str | bytes] = {}
    for pamphlet in catalog.pamphlets:
        for translation in pamphlet.translations.values():
            folder = (catalog.settings.root / translation.path).parent
            for image in translation.images:
                pages[f"{pamphlet.slug}/{image}"] = (folder / image).read_bytes()
    for language in catalog.settings.language_codes:
        heading = catalog.ui[language].pamphlets_heading
        pages[suffixed("index", language)] = (
            f"---\n{yaml_front_matter({'title': heading})}\n---\n\n"
            f"# {heading}\n\n{pamphlet_list(catalog, language, '')}"
        )
        for pamphlet in catalog.pamphlets:
            shown = catalog.shown(pamphlet, language)
            code = shown.translation.language
            files = outputs.for_translation(pamphlet.slug, code) if outputs else []
            note = preview_note if (pamphlet.slug, code) in being_made else ""
            pages[suffixed(f"{pamphlet.slug}/index", language)] = pamphlet_page(
                catalog, pamphlet, shown, files, directory_urls, preview_note=note
            )
    return pages


def write_folder(folder: Path, pages: dict[str, str | bytes]) -> tuple[int, int]:
    """Make `folder` hold exactly `pages`: write what changed, remove what is gone.

    Returns (files written, files removed). Unchanged files keep their modification time, so
    `mkdocs serve` sees no change and does not rebuild in a loop.
    """
    written = removed = 0
    for relative, content in pages.items():
        path = folder / relative
        data = content.encode("utf-8") if isinstance(content, str) else content
        if path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
        written += 1
    if folder.exists():
        for path in sorted(folder.rglob("*"), reverse=True):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and relative not in pages:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written, removed


def write_generated_pages(
    folders: GeneratedFolders,
    catalog: Catalog,
    outputs: LeafletOutputs | None,
    matrix: list[TranslationStatus],
    directory_urls: bool,
    preview_note: str = "",
    being_made: Collection[tuple[str, str]] = (),
) -> tuple[int, int]:
    """Write every generated page of the site; returns (files written, files removed).
    `preview_note`: see pamphlet_pages."""
    from .downloads_page import downloads_pages
    from .runs_page import runs_pages
    from .status_page import status_pages

    # Compiled once, then read back by every build (each build is a new process).
    keep_templates_compiled(catalog.settings.cache_dir / "page-templates")
    contents = {
        folders.pamphlets: pamphlet_pages(
            catalog, outputs, directory_urls, preview_note, being_made
        ),
        folders.runs: runs_pages(catalog),
        folders.status: status_pages(catalog, matrix),
        folders.downloads: downloads_pages(catalog, outputs, directory_urls) if outputs else {},
    }
    written = removed = 0
    for folder, pages in contents.items():
        done = write_folder(folder, pages)
        written, removed = written + done[0], removed + done[1]
    return written, removed
