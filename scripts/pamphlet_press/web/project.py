"""The MkDocs project: mkdocs.yml loaded once, the settings the rest of the code reads from
it, and site builds run the way `mkdocs build` runs them.

`pamphlets build`, `pamphlets check` and the other commands, and the plugin under a plain
`mkdocs build` or `mkdocs serve`, all read mkdocs.yml through here, so that the languages
(the i18n plugin's `languages`), the Markdown extensions and our plugin's options are read
the same way everywhere. Nothing outside `web/` imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError

from ..content.licences import UnknownLicence, licence_named
from ..content.markdown import MarkdownSettings
from ..leaflets.formats import BUILT_IN, Format
from ..settings import Language, PdfSettings, ProjectSettings
from .config import FormatConfig, PamphletsConfig


class ProjectError(Exception):
    """mkdocs.yml cannot be used (missing, broken, a plugin missing); the message says how
    to fix it."""


@dataclass
class Project:
    """A loaded mkdocs.yml and the settings read from it."""

    config_file: str
    config: MkDocsConfig
    settings: ProjectSettings

    @property
    def site_dir(self) -> Path:
        return Path(self.config.site_dir)


def load_project(config_file: str = "mkdocs.yml", **overrides) -> Project:
    """Load mkdocs.yml as MkDocs does (its options validated), and our settings from it."""
    try:
        config = load_config(config_file, **overrides)
    except MkDocsException as error:
        raise ProjectError(f"{config_file}: {error}") from None
    except OSError as error:
        raise ProjectError(f"{config_file} cannot be read ({error.strerror})") from None
    plugin = config.plugins.get("pamphlets")
    if plugin is None:
        raise ProjectError(f"{config_file}: the 'pamphlets' plugin is not listed under plugins")
    try:
        settings = project_settings(config, plugin.config)
    except PluginError as error:
        raise ProjectError(str(error)) from None
    return Project(config_file, config, settings)


def _format_from_config(name: str, options: FormatConfig) -> Format:
    return Format(
        name=name,
        description=options.description,
        height_mm=float(options.trim[1] if options.trim else options.height),
        width_mm=float(options.trim[0]) if options.trim else None,
        panels_mm=tuple(float(width) for width in options.panels) if options.panels else None,
        bleed_mm=float(options.bleed),
        page_counts=tuple(sorted(options.page_counts)),
        imposition=options.imposition,
        margin=options.margin,
        page_numbers=options.page_numbers,
        label=options.label or name,
        sheet_mm=(float(options.sheet[0]), float(options.sheet[1])) if options.sheet else None,
        body_pt=(float(options.body_size[0]), float(options.body_size[1])),
    )


def project_settings(config: MkDocsConfig, options: PamphletsConfig) -> ProjectSettings:
    """What the catalog, the leaflets and the pages need, read from a loaded mkdocs.yml
    (the languages from the i18n plugin)."""
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
    try:
        licence = licence_named(options.content_licence)
    except UnknownLicence as error:
        raise PluginError(
            f"{Path(config.config_file_path).name}: plugins.pamphlets.content_licence: {error}"
        ) from None
    formats = dict(BUILT_IN)
    formats.update(
        (name, _format_from_config(name, spec)) for name, spec in options.pdf.formats.items()
    )
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
        content_licence=licence,
        pdf=PdfSettings(
            enabled=options.pdf.enabled,
            fonts=tuple(options.pdf.fonts),
            icc_profile=root / options.pdf.icc_profile,
            output_condition=options.pdf.output_condition,
            crop_marks=options.pdf.crop_marks,
            standard=options.pdf.standard,
            max_ink_coverage=options.pdf.max_ink_coverage,
            jobs=options.pdf.jobs,
            templates_dir=root / options.pdf.templates_dir if options.pdf.templates_dir else None,
            formats=formats,
        ),
    )


def run_mkdocs_build(config: MkDocsConfig) -> None:
    """One MkDocs build, with the plugin events MkDocs' own `mkdocs build` runs around it
    (on_startup and on_shutdown included)."""
    from mkdocs.commands.build import build

    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()

