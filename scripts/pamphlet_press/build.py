"""Building the whole output, atomically.

The site is built into a staging folder beside `site/` and swapped in only when the build
succeeded, so a failed build (a content error, a broken link in strict mode, a crash) leaves
the previous `site/` whole.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .catalog import load_catalog
from .pdf_build import PdfBuildResult, build_pdfs
from .plugin import load_project, pdf_cache_dir, run_mkdocs_build


class BuildFailed(Exception):
    """Some leaflets could not be made; the message lists each one, with the fix."""


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    pdfs: PdfBuildResult | None


def replace_directory(new: Path, target: Path) -> None:
    """Put `new` where `target` is, keeping the old one until the new one is in place."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build_site(
    config_file: str = "mkdocs.yml",
    strict: bool = True,
    jobs: int | None = None,
    progress=None,
) -> BuildResult:
    """Build everything: the catalog once, every PDF (in parallel, reusing unchanged ones),
    then the site in every language with MkDocs, into site_dir, atomically."""
    config, settings = load_project(config_file)
    site_dir = Path(config.site_dir)
    catalog = load_catalog(settings)
    pdfs = None
    if settings.pdf.enabled:
        workers = settings.pdf.jobs if jobs is None else jobs
        pdfs = build_pdfs(catalog, pdf_cache_dir(settings), workers, progress=progress)
        if pdfs.failed:
            raise BuildFailed("\n".join(pdfs.failed))
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    try:
        config, _settings = load_project(config_file, site_dir=str(staging), strict=strict)
        config.plugins["pamphlets"].prepared = (catalog, pdfs)
        run_mkdocs_build(config)
        replace_directory(staging, site_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return BuildResult(site_dir, sum(1 for _ in site_dir.rglob("*.html")), pdfs)
