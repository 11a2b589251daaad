"""The thin MkDocs adapter: everything that knows about MkDocs, Material and
mkdocs-static-i18n is in this module (and config.py), so that moving to another site
generator is one module's work. The work itself is done by plain functions elsewhere.

mkdocs-static-i18n reruns the whole build once per language, so every event below runs
once per language; the catalog is loaded and the pages are generated once per build.
"""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from .catalog import Catalog, Language, PdfSettings, ProjectSettings, load_catalog
from .config import PamphletsConfig
from .csp import with_policy
from .facts import expand_facts
from .hub_page import hub_pages
from .ledger_page import ledger_pages
from .markdown import MarkdownSettings, find_raw_html, find_unsafe_html
from .pdf_build import PdfBuildResult, build_pdfs, write_manifest
from .problems import ContentError, ProblemList
from .search_split import (
    language_search_base,
    split_search_index,
    with_named_search_dialog,
    without_head_alternates,
)
from .site_pages import (
    LANGUAGES_MARKER,
    LIST_MARKER,
    generated_pages,
    language_picker,
    pamphlet_list,
    write_generated,
)
from .status import status_matrix
from .status_page import status_pages

log = get_plugin_logger(__name__)


def project_settings(config: MkDocsConfig, options: PamphletsConfig) -> ProjectSettings:
    """What the catalog needs, read from a loaded mkdocs.yml (languages from the i18n plugin)."""
    root = Path(config.config_file_path).resolve().parent
    i18n = config.plugins.get("i18n")
    if i18n is None:
        raise PluginError("mkdocs.yml: the 'i18n' plugin must be listed before 'pamphlets'")
    languages = tuple(
        Language(str(item.locale), str(item.name or item.locale))
        for item in i18n.config.languages
        if item.locale != "null"
    )
    default = next((item.locale for item in i18n.config.languages if item.default), None)
    return ProjectSettings(
        root=root,
        languages=languages,
        default_language=str(default or languages[0].code),
        pamphlets_dir=root / options.pamphlets_dir,
        markdown=MarkdownSettings(
            tuple(str(name) for name in config.markdown_extensions), dict(config.mdx_configs)
        ),
        fallback={key: list(value) for key, value in options.fallback.items()},
        site_url=config.site_url or "",
        facts_max_age_days=options.facts_max_age_days,
        pdf=PdfSettings(
            enabled=options.pdf.enabled,
            fonts=tuple(options.pdf.fonts),
            icc_profile=root / options.pdf.icc_profile,
            output_condition=options.pdf.output_condition,
            crop_marks=options.pdf.crop_marks,
            jobs=options.pdf.jobs,
        ),
    )


def load_project(
    config_file: str = "mkdocs.yml", **overrides
) -> tuple[MkDocsConfig, ProjectSettings]:
    """Load mkdocs.yml as MkDocs does, and the project settings from it."""
    config = load_config(config_file, **overrides)
    plugin = config.plugins.get("pamphlets")
    if plugin is None:
        raise PluginError(f"{config_file}: the 'pamphlets' plugin is not listed under plugins")
    return config, project_settings(config, plugin.config)


def run_mkdocs_build(config: MkDocsConfig) -> None:
    """One MkDocs build (every language, through mkdocs-static-i18n)."""
    from mkdocs.commands.build import build

    build(config)


def _i18n(config: MkDocsConfig):
    return config.plugins.get("i18n")


def _rerun_for_another_language(config: MkDocsConfig) -> bool:
    """True inside the builds that mkdocs-static-i18n runs for its other languages."""
    return bool(getattr(_i18n(config), "building", False))


def _offline_build(config: MkDocsConfig) -> bool:
    offline = config.plugins.get("material/offline")
    return bool(offline and offline.config.enabled)


def _current_language(config: MkDocsConfig, settings: ProjectSettings) -> str:
    return str(getattr(_i18n(config), "current_language", None) or settings.default_language)


def _first_body_line(source: Path, markdown: str) -> int:
    """The file line of the first line of a page's Markdown. MkDocs has taken the front
    matter (and the blank lines after it) off the text the plugin sees: line the two up by
    their first line with content."""
    try:
        lines = source.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except OSError:
        return 1
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
    in_file = next((i for i in range(start, len(lines)) if lines[i].strip()), start)
    page_lines = markdown.split("\n")
    in_page = next((i for i, line in enumerate(page_lines) if line.strip()), 0)
    return in_file - in_page + 1


def pdf_cache_dir(settings: ProjectSettings) -> Path:
    return settings.root / ".cache" / "pdf"


class PamphletsPlugin(BasePlugin[PamphletsConfig]):
    """Turns pamphlets/<slug>/<lang>.md into site pages in every language, with their PDFs."""

    settings: ProjectSettings
    catalog: Catalog | None = None
    pdfs: PdfBuildResult | None = None
    # Set by `pamphlets build`, which has loaded the catalog and made the PDFs already
    # (with a progress display): the build then does neither again.
    prepared: tuple[Catalog, PdfBuildResult | None] | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.settings = project_settings(config, self.config)
        docs = Path(config.docs_dir)
        self.generated_dir = docs / self.config.generated_dir
        self.ledger_dir = docs / self.config.ledger_dir
        self.downloads_dir = docs / self.config.downloads_dir
        self.status_dir = docs / self.config.status_dir
        self.owned_dirs = (self.generated_dir, self.ledger_dir, self.downloads_dir, self.status_dir)
        watched = str(self.settings.pamphlets_dir)
        if watched not in config.watch:
            config.watch.append(watched)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if _rerun_for_another_language(config) and self.catalog is not None:
            return
        if self.prepared:
            self.catalog, self.pdfs = self.prepared
        else:
            try:
                self.catalog = load_catalog(self.settings)
            except ContentError as error:
                raise PluginError(f"the pamphlets have problems:\n{error}") from None
            self.pdfs = None
            if self.settings.pdf.enabled:
                self.pdfs = build_pdfs(
                    self.catalog, pdf_cache_dir(self.settings), self.settings.pdf.jobs
                )
                if self.pdfs.failed:
                    raise PluginError("the leaflets failed:\n" + "\n".join(self.pdfs.failed))
        directory_urls = bool(config.use_directory_urls)
        pages = generated_pages(self.catalog, self.pdfs, directory_urls)
        written, removed = write_generated(self.generated_dir, pages)
        write_generated(self.ledger_dir, dict(ledger_pages(self.catalog)))
        # The status reads git history: once per catalog, not again for the offline copy.
        if getattr(self, "_matrix_of", None) is not self.catalog:
            self._matrix_of, self._matrix = self.catalog, status_matrix(self.catalog)
        matrix = self._matrix
        write_generated(self.status_dir, dict(status_pages(self.catalog, matrix)))
        hub = hub_pages(self.catalog, self.pdfs, directory_urls) if self.pdfs else {}
        write_generated(self.downloads_dir, dict(hub))
        log.info(
            f"{len(self.catalog.pamphlets)} pamphlets in {len(self.settings.languages)} "
            f"languages; {written} pages written, {removed} removed"
        )

    def _is_generated(self, page: Page, folders: tuple[Path, ...] | None = None) -> bool:
        source = Path(page.file.abs_src_path or "")
        folders = folders or self.owned_dirs
        return any(folder in source.parents for folder in folders)

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.catalog is not None  # on_pre_build ran
        if self._is_generated(page):
            markdown = self._expand_markers(markdown, page, config)
            return markdown
        # A hand-written page (home, about): the same rules as pamphlets.
        source = Path(page.file.abs_src_path or page.file.src_path)
        shown = self.settings.shown(source)
        first = _first_body_line(source, markdown)
        problems = ProblemList()
        for line, snippet in find_raw_html(markdown):
            problems.add(
                shown, first + line - 1, f"raw HTML is not allowed ({snippet}); write Markdown"
            )
        markdown = expand_facts(markdown, self.catalog.facts, shown, first, problems)
        for what in find_unsafe_html(self.settings.markdown.convert(markdown)):
            problems.add(shown, None, f"the page would contain {what}; remove it")
        if problems:
            raise PluginError("\n".join(str(problem) for problem in problems))
        return self._expand_markers(markdown, page, config)

    def _expand_markers(self, markdown: str, page: Page, config: MkDocsConfig) -> str:
        assert self.catalog is not None
        language = _current_language(config, self.settings)
        if LIST_MARKER in markdown:
            page_dir = posixpath.dirname(page.file.src_uri)
            prefix = posixpath.relpath(self.config.generated_dir, page_dir or ".")
            markdown = markdown.replace(LIST_MARKER, pamphlet_list(self.catalog, language, prefix))
        if LANGUAGES_MARKER in markdown:
            picker = language_picker(self.catalog, language, page.url)
            markdown = markdown.replace(LANGUAGES_MARKER, picker)
        return markdown

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        # Readers come for the pamphlets: put their section right after the home page.
        for index, item in enumerate(nav.items):
            if isinstance(item, Section) and any(
                isinstance(child, Page) and self._is_generated(child, (self.generated_dir,))
                for child in item.children
            ):
                nav.items.insert(min(1, len(nav.items) - 1), nav.items.pop(index))
                break
        return nav

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        output = with_named_search_dialog(without_head_alternates(output))
        language = _current_language(config, self.settings)
        if language != self.settings.default_language:
            output = language_search_base(output, language)
        if not _offline_build(config):
            # From file:// the origin is opaque and 'self' matches nothing: no policy there.
            output = with_policy(output)
        return output

    @event_priority(-200)  # after mkdocs-static-i18n has built every language
    def on_post_build(self, config: MkDocsConfig) -> None:
        if _rerun_for_another_language(config):
            return
        site = Path(config.site_dir)
        split_search_index(site, self.settings.language_codes, self.settings.default_language)
        if self.pdfs:
            (site / "pdf").mkdir(exist_ok=True)
            cache = pdf_cache_dir(self.settings)
            for file in self.pdfs.files:
                shutil.copyfile(cache / file.file, site / file.path)
            (site / "pdf" / "bundles").mkdir(exist_ok=True)
            for bundle in self.pdfs.bundles:
                shutil.copyfile(cache / "bundles" / bundle.file, site / bundle.path)
            write_manifest(self.pdfs, site / "downloads.json")
        # Material looks for sitemap.xml under each language's root; i18n writes only one.
        for language in self.settings.languages:
            if language.code == self.settings.default_language:
                continue
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                if (site / name).exists() and (site / language.code).is_dir():
                    shutil.copyfile(site / name, site / language.code / name)
