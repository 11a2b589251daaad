"""Putting the leaflet files a build made into the site, and the per-language sitemaps.

The files themselves are made by the leaflets side (leaflets/) into `.cache/pdf/`; the
site only copies what `outputs.py` lists. A plain `mkdocs build` or `mkdocs serve` (which
render no PDF) link what the last `pamphlets build` or `pamphlets pdf` made.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..outputs import OUTPUTS_RECORD, LeafletOutputs, files_dir, load_outputs
from ..settings import ProjectSettings


def leaflet_outputs_of_last_build(settings: ProjectSettings) -> LeafletOutputs | None:
    """The leaflet files the last PDF build made, if any are still there."""
    if not settings.pdf.enabled:
        return None
    return load_outputs(files_dir(settings) / OUTPUTS_RECORD)


def _link_or_copy(source: Path, target: Path) -> None:
    """The file in the site, as a hard link to the built one where the file system allows
    (the build replaces a cached file with a new one, never writes into it), else a copy."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def publish_outputs(site: Path, settings: ProjectSettings, outputs: LeafletOutputs | None) -> None:
    """Copy the leaflet files and bundles into site/pdf/, and give every language's root
    its sitemap (Material looks for sitemap.xml under each; i18n writes one)."""
    if outputs:
        source = files_dir(settings)
        (site / "pdf" / "bundles").mkdir(parents=True, exist_ok=True)
        for file in outputs.files:
            _link_or_copy(source / file.file, site / file.path)
        for bundle in outputs.bundles:
            _link_or_copy(source / "bundles" / bundle.file, site / bundle.path)
    for language in settings.languages:
        if language.code == settings.default_language:
            continue
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            if (site / name).exists() and (site / language.code).is_dir():
                shutil.copyfile(site / name, site / language.code / name)


def finish_site(site: Path, catalog, outputs: LeafletOutputs | None) -> None:
    """What is done once for the whole site, after its languages are built: the search
    worker, the leaflet files and the sitemaps (publish_outputs), their figures in the pages
    (figures.py), and photos without metadata (the leaflets' cover pictures under pdf/ are
    made by the build and carry none)."""
    from ..content.images import strip_folder_images
    from .figures import fill_site_figures
    from .search import write_search_worker

    write_search_worker(site)
    publish_outputs(site, catalog.settings, outputs)
    fill_site_figures(site, outputs, catalog)
    strip_folder_images(site, skip=("pdf",))
