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

from .plugin import load_project, run_mkdocs_build


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int


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


def build_site(config_file: str = "mkdocs.yml", strict: bool = True) -> BuildResult:
    """Build the site (every language) with MkDocs into its site_dir, atomically."""
    config, _settings = load_project(config_file)
    site_dir = Path(config.site_dir)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    try:
        config, _settings = load_project(config_file, site_dir=str(staging), strict=strict)
        run_mkdocs_build(config)
        replace_directory(staging, site_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return BuildResult(site_dir, sum(1 for _ in site_dir.rglob("*.html")))
