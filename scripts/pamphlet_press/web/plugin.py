"""The MkDocs plugin `pamphlets`: a thin adapter from MkDocs events to the web side.

It turns the catalog (content/) and the leaflet files a build made (outputs.py) into site
pages in every language; the pages themselves are made by plain functions in this folder.
It renders no PDF: `pamphlets build` makes them first and hands them over through
`use_prepared`; under a plain `mkdocs build` or `mkdocs serve` the pages link the leaflets
the last `pamphlets build` (or `pamphlets pdf`) made, as recorded in `.cache/pdf/`.

mkdocs-static-i18n reruns the whole build once per language, so every event below runs
once per language; the catalog is loaded and the pages are written once per build.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..content.catalog import Catalog, load_catalog
from ..content.markdown import locate_unsafe_html
from ..content.translation_status import status_matrix
from ..problems import ContentError
from .chrome import (
    PreviewSubject,
    SitePaths,
    fill_markers,
    help_phone,
    link_preview_html,
    not_found_page,
    relative_href,
    with_link_preview,
)
from .config import PamphletsConfig
from .csp import TrustedScripts
from .docs_pages import check_docs_files, check_docs_page, expand_markers
from .html import UntrustedScript, finish_page
from .navigation import arrange_navigation
from .pages import GeneratedFolders, write_generated_pages
from .preview import READY_STAMP, BackgroundLeaflets, leaflet_inputs, watch_once_per_save
from .preview_languages import PreviewLanguages
from .project import Project, project_settings
from .publish import finish_site, leaflet_outputs_of_last_build
from .search import split_search_index
from .site_build import language_inputs, shared_inputs

log = get_plugin_logger(__name__)


def _made_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
THEME = Path(__file__).resolve().parent / "theme"


class PamphletsPlugin(BasePlugin[PamphletsConfig]):
    """Turns pamphlets/<slug>/<lang>.md into site pages in every language, with their
    leaflets' downloads."""

    def __init__(self) -> None:
        super().__init__()
        self.serving = False
        self._prepared = None
        self.catalog: Catalog | None = None
        self.outputs = None
        self._matrix_of = None
        self._matrix: list = []
        self._not_found: str | None = None
        self._background: BackgroundLeaflets | None = None
        self._pages_written = False
        self._notice_shown = False  # the last pages written say "being made"
        self.trusted_scripts: TrustedScripts | None = None
        # Under `mkdocs serve`: the languages' loop, run here to skip unchanged languages.
        self._preview: PreviewLanguages | None = None
        self._fingerprints: dict[str, str] = {}

    # ---------------------------------------------------------------- what MkDocs calls

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this plugin between the rebuilds of `mkdocs serve`.
        self.serving = command == "serve"
        # A dirty rebuild (serve --dirty) keeps the folder as it is: mkdocs-static-i18n's
        # own loop then.
        self._preview = PreviewLanguages() if self.serving and not dirty else None

    def on_shutdown(self) -> None:
        if self._background:
            self._background.stop()

    def on_serve(self, server, config: MkDocsConfig, builder):
        watch_once_per_save(server, Path(config.docs_dir), self.folders.all, self._stamp())
        if self._notice_shown and self._background:
            self._background.touch_stamp_once_watched(server)
        return server

    def use_prepared(self, catalog: Catalog, outputs, pages_written: bool = False) -> None:
        """Build from a catalog and leaflet files made already (by `pamphlets build`), instead
        of loading the catalog and reading the last build's leaflets; `pages_written`: the
        generated pages are in place already (site_build.py writes them once for all the
        languages it builds)."""
        self._prepared = (catalog, outputs)
        self._pages_written = pages_written

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.settings = project_settings(config, self.config)
        self.folders = GeneratedFolders.under(Path(config.docs_dir), self.config)
        # The plugin's own theme templates (web/theme/: the help bar, the footer, the 404
        # page) come after the project's custom_dir and before Material's.
        position = 1 if config.theme.custom_dir else 0
        if str(THEME) not in config.theme.dirs:
            config.theme.dirs.insert(position, str(THEME))
        watched = str(self.settings.pamphlets_dir)
        if watched not in config.watch:
            config.watch.append(watched)
        # mkdocs-static-i18n removes from a language's search entries those equal to one of
        # the default language's (a page that falls back to it), as the one index it writes
        # still holds them. Every language gets an index of its own here (search.py), which
        # must keep them: a Russian reader searches the Russian index only. (Its other part,
        # adding the languages to the search plugin's `lang`, was done in its on_config.)
        config.plugins["i18n"].config.reconfigure_search = False
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        rerun = self._rerun_for_another_language(config)
        if self._prepared:
            if rerun and self.catalog is self._prepared[0]:
                return
            # Taken even in a language's own build: the plugin object outlives a build in a
            # process that builds more than one project, and its catalog with it.
            self.catalog, self.outputs = self._prepared
        elif rerun and self.catalog is not None:
            return
        else:
            try:
                self.catalog = load_catalog(self.settings)
            except ContentError as error:
                raise PluginError(f"the pamphlets have problems:\n{error}") from None
            self.outputs = leaflet_outputs_of_last_build(self.settings)
        try:
            self.phone = help_phone(self.catalog, self.config.help_phone)
        except ContentError as error:
            raise PluginError(str(error)) from None
        if self._pages_written:
            return
        # The status reads git history: once per catalog.
        if self._matrix_of is not self.catalog:
            self._matrix_of, self._matrix = self.catalog, status_matrix(self.catalog)
        note, being_made = self._leaflets_in_the_background(config)
        written, removed = write_generated_pages(
            self.folders, self.catalog, self.outputs, self._matrix, config.use_directory_urls,
            note, being_made,
        )  # fmt: skip
        self._notice_shown = bool(being_made)
        log.info(
            f"{len(self.catalog.pamphlets)} pamphlets in {len(self.settings.languages)} "
            f"languages; {written} pages written, {removed} removed"
        )
        if self._preview is not None:
            # What each language is made of, before any page is read (a save during the
            # build then differs from it, and the next rebuild builds that language).
            project = Project(str(config.config_file_path), config, self.settings)
            self._fingerprints = language_inputs(project, shared_inputs(project))
            default = self.settings.default_language
            others = [code for code in self.settings.language_codes if code != default]
            self._preview.hold(Path(config.site_dir), others)
            config.plugins["i18n"].building = True  # its loop is run in on_post_build

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        catalog = self._catalog()
        source = Path(page.file.abs_src_path or page.file.src_path)
        if not self.folders.owns(source):
            try:
                markdown = check_docs_page(markdown, source, catalog)
            except ContentError as error:
                raise PluginError(str(error)) from None
        return expand_markers(
            markdown, catalog, self._language(config), page.file.src_uri, page.url, self.folders
        )

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            check_docs_files(files, Path(config.docs_dir), self.folders, self.settings)
        except ContentError as error:
            raise PluginError(str(error)) from None
        return files

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # The last net: whatever the sources and templates made, nothing that runs a script,
        # reaches another host or breaks the theme goes into a page (charts are inline SVG).
        unsafe = locate_unsafe_html(html, allowed_elements=frozenset({"svg"}))
        if unsafe:
            raise PluginError(
                f"{page.file.src_uri}: the page would contain {unsafe[0][0]}; it comes from the "
                "sources it was made from (front matter, pamphlets/ui, the ledger): fix them"
            )
        return html

    def on_env(self, env, config: MkDocsConfig, files: Files):
        # Every build (every language) compiles the theme's templates anew: kept compiled
        # under .cache/, they are read back instead (Jinja checks each against its source).
        env.bytecode_cache = FileSystemBytecodeCache(
            str(_made_folder(self.settings.cache_dir / "templates"))
        )
        # The theme's inline scripts, as the policy of every page allows them (csp.py).
        self.trusted_scripts = TrustedScripts(env, list(config.theme.dirs))
        return env

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        return arrange_navigation(
            nav, self.folders.pamphlets, self._catalog(), self._language(config)
        )

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        catalog, language = self._catalog(), self._language(config)
        output = fill_markers(
            output, catalog, language, self.phone, self._paths(),
            lambda target: relative_href(target, page.url),
        )  # fmt: skip
        output = with_link_preview(
            output,
            link_preview_html(
                catalog, self.outputs, language, config.site_name, page.url,
                self._subject(page, config),
            ),
        )  # fmt: skip
        base_url = get_relative_url(".", page.url)
        return self._finish(
            output, language, page.file.src_uri, config=config, page=page, base_url=base_url
        )

    def on_post_template(
        self, output_content: str, template_name: str, config: MkDocsConfig
    ) -> str:
        """The 404 page, one per language (MkDocs renders it from the theme, as the root's
        404.html, in every language's build: each language's is kept in its folder)."""
        if template_name != "404.html":
            return output_content
        language, default = self._language(config), self.settings.default_language
        output = not_found_page(
            output_content, self._catalog(), language, self.phone, self._paths()
        )
        # Error pages link from the site's root path (MkDocs' base_url for them).
        base_url = urlsplit(config.site_url or "/").path
        output = self._finish(output, language, "404.html", config=config, base_url=base_url)
        if language == default:
            self._not_found = output
        else:
            target = Path(config.site_dir) / language / "404.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(output, encoding="utf-8")
        return output

    @event_priority(-200)  # after mkdocs-static-i18n has built every language
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self._rerun_for_another_language(config):
            return
        site = Path(config.site_dir)
        if self._preview is not None:
            i18n = config.plugins["i18n"]
            built, kept = self._preview.build_others(config, i18n, self._fingerprints)
            i18n.reconfigure_search_index(config)  # what its own loop does at the end
            log.info(f"Languages rebuilt: {', '.join(built) or 'none besides the default'}; "
                     f"unchanged, kept: {', '.join(kept) or 'none'}")  # fmt: skip
        if self._not_found is not None:  # each language's build wrote the root's 404.html
            (site / "404.html").write_text(self._not_found, encoding="utf-8")
        split_search_index(site, self.settings.language_codes, self.settings.default_language)
        finish_site(site, self._catalog(), self.outputs)
        self._prepared = None

    # ---------------------------------------------------------------- helpers

    def _finish(self, output: str, language: str, shown: str, **context) -> str:
        """finish_page with the hashes of the theme's scripts as rendered for this page
        (`context`: config, page, base_url, as the theme had them)."""
        trusted: frozenset[str] = frozenset()
        if self.trusted_scripts is not None:
            trusted = self.trusted_scripts.hashes(**context)
        try:
            return finish_page(output, language, self.settings.default_language, trusted)
        except UntrustedScript as error:
            raise PluginError(f"{shown}: {error}") from None

    def _stamp(self) -> Path:
        return self.settings.cache_dir / "preview" / READY_STAMP

    def _leaflets_in_the_background(self, config: MkDocsConfig) -> tuple[str, set]:
        """Under `mkdocs serve`: have the leaflets made in the background; what the pages
        say about them meanwhile, and the (pamphlet, language) of the pages that say it
        (those whose leaflets are out of date; none when nothing is being made)."""
        if not (self.serving and self.settings.pdf.enabled and config.config_file_path):
            return "", set()
        if self._background is None:
            self._background = BackgroundLeaflets(config.config_file_path, self._stamp())
        inputs = leaflet_inputs(self._catalog(), config.config_file_path)
        self._background.want(inputs)
        being_made = self._background.being_made(inputs)
        note = (
            "Preview: the leaflets are being made in the background (see the terminal); this "
            "page will show them when they are ready."
        )
        return (note, being_made) if being_made else ("", set())

    def _catalog(self) -> Catalog:
        if self.catalog is None:  # on_pre_build always runs first
            raise PluginError("the pamphlets plugin's on_pre_build did not run")
        return self.catalog

    def _paths(self) -> SitePaths:
        options = self.config
        return SitePaths(
            options.generated_dir, options.downloads_dir, options.ledger_dir, options.status_dir
        )

    def _subject(self, page: Page, config: MkDocsConfig) -> PreviewSubject:
        """What a page is about, for its link preview."""
        meta = page.meta or {}
        title = str(meta.get("title") or page.title or config.site_name)
        if page.is_homepage:
            title = config.site_name
        source = Path(page.file.abs_src_path or page.file.src_path)
        pamphlet = None
        if self.folders.pamphlets in source.parents and source.parent != self.folders.pamphlets:
            slug = source.parent.name
            pamphlet = next((p for p in self._catalog().pamphlets if p.slug == slug), None)
        return PreviewSubject(title, str(meta.get("description") or ""), pamphlet)

    def _language(self, config: MkDocsConfig) -> str:
        i18n = config.plugins.get("i18n")
        return str(getattr(i18n, "current_language", None) or self.settings.default_language)

    def _rerun_for_another_language(self, config: MkDocsConfig) -> bool:
        """True inside the builds of the languages other than the default one (run by
        mkdocs-static-i18n, or under `mkdocs serve` by preview_languages.py)."""
        if self._preview is not None:
            return self._preview.building_other
        return bool(getattr(config.plugins.get("i18n"), "building", False))
