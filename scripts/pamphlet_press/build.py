"""Building the whole output, atomically: the flow from sources to `site/`.

    mkdocs.yml ──> web/project.py (loaded once) ──> settings
    pamphlets/ ──> content/catalog.py (validated once) ──> catalog
    catalog ──> leaflets/pdfs.py (in parallel, reusing unchanged PDFs) ──> outputs.py
    catalog + outputs ──> web/ (MkDocs, Material, i18n) ──> site in a staging folder
    staging ──> web/offline.py (the offline copy) and outputs.write_manifest (downloads.json)
    staging ──> swapped in for site/ in one step

The site is built into a staging folder beside `site/` and swapped in only when the build
succeeded, so a failed build (a content error, a broken link in strict mode, a crash) leaves
the previous `site/` whole.

A release build (`build_release`, for a print run) builds no site: it passes the release gate
(release.py), makes the print PDFs and imposed sheets, preflights them, and writes them with
the preflight report into `release/`, swapped in the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .content.catalog import load_catalog
from .files import exclusive_lock, replace_with_text
from .leaflets.pdfs import PdfBuildResult, RenderWorkers, build_pdfs, planned_outputs
from .outputs import OUTPUTS_RECORD, LeafletFile, OfflineCopy, files_dir, write_manifest
from .processes import objects_kept_from_collection
from .web.offline import make_offline_copy
from .web.project import Project, load_project
from .web.publish import finish_site
from .web.site_build import SiteBuilding, build_languages, record_languages, write_pages


class BuildFailed(Exception):
    """The build cannot be finished (leaflets that failed, PDFs missing from the shards);
    the message says what and how to fix it."""


class ReleaseRefused(Exception):
    """The release gate refused the print files (release.py); nothing was written. The
    message lists every leaflet and reason, and how to fix each."""


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    pdfs: PdfBuildResult | None
    offline_zip: Path | None = None
    # True when nothing changed since the last build: site/ was left as it is.
    unchanged: bool = False


GENERATED_DOCS = ("pamphlets", "print-runs", "downloads", "translation-status")
OFFLINE_ZIP = "offline-site.zip"


def inputs_digest(root: Path, config_file: str, flags: str) -> str:
    """A fingerprint of everything a build reads: sources, templates, settings, code and the
    versions of the tools. Equal fingerprints mean an equal site."""
    from importlib.metadata import version

    digest = hashlib.sha256(flags.encode())
    for package in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "weasyprint", "pypdf"):
        digest.update(f"{package} {version(package)}\n".encode())
    code = Path(__file__).resolve().parent
    roots = [root / "pamphlets", root / "docs", root / "overrides", root / "print", code]
    files = [root / config_file] + sorted(
        path for folder in roots if folder.exists() for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
        and not (folder.name == "docs" and path.relative_to(folder).parts[0] in GENERATED_DOCS)
    )  # fmt: skip
    for path in files:
        digest.update(f"{path}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one step (Linux renameat2 RENAME_EXCHANGE); False if the
    system cannot."""
    import ctypes
    import os

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                       rename_exchange)  # fmt: skip
    return result == 0


def replace_directory(new: Path, target: Path) -> None:
    """Put `new` where `target` is. The two are swapped in one step, so that a build killed
    at any moment leaves either the old site or the new one, never none. A `target` that is
    a symbolic link (site/ -> /srv/www/site) stays a link: the folder it points to is
    replaced (build into the same parent folder, see site_folder)."""
    target = site_folder(target)
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new)  # now the old site
        return
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def site_folder(site_dir: Path) -> Path:
    """The folder the site is written into: `site_dir`, or the folder it links to."""
    return Path(os.path.realpath(site_dir)) if site_dir.is_symlink() else site_dir


def read_stamp(stamp: Path) -> dict:
    """The last build's record (its inputs' fingerprint), or {} when there is none or it
    cannot be read (a build killed while writing it, an empty file): then build again."""
    try:
        record = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def build_lock(root: Path):
    """One build at a time in a project (the leftovers of a killed build are then cleared)."""
    return exclusive_lock(root / ".cache" / "build.lock")


def clear_leftovers(site_dir: Path) -> None:
    """Staging folders of builds that were killed (only while holding the build lock)."""
    parent = site_folder(site_dir).parent
    for leftover in parent.glob(f".{site_dir.name}-building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(".offline-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def progress_message(progress):
    """A function that reports a phase of the build through `progress` (or not at all)."""

    def say(message: str) -> None:
        if progress:
            progress(0, 0, message)

    return say


def _offline_copy(staging: Path) -> OfflineCopy:
    """The offline copy of the staged site, in the site itself (web/offline.py)."""
    target = staging / OFFLINE_ZIP
    make_offline_copy(staging, target, leave_out=(OFFLINE_ZIP,))
    data = target.read_bytes()
    return OfflineCopy(OFFLINE_ZIP, len(data), hashlib.sha256(data).hexdigest())


def build_site(
    config_file: str = "mkdocs.yml",
    strict: bool = True,
    jobs: int | None = None,
    progress=None,
    release: bool = False,
    offline: bool = True,
    pdf: bool = True,
    assemble: bool = False,
) -> BuildResult:
    """Build everything: the catalog once, every PDF (in parallel, reusing unchanged ones),
    then the site in every language with MkDocs, and its offline copy, into site_dir,
    atomically. A `release` build makes print PDFs of reviewed, up-to-date texts only.
    `assemble` is the last step of a build split across CI runners (see build_shard): every
    PDF must come from the shards' caches; one that would have to be rendered is an error."""
    # Strict from the start: a typo in the options fails before any PDF is rendered.
    project = load_project(config_file, strict=strict)
    with build_lock(project.settings.root), objects_kept_from_collection():
        return _build_site(project, jobs, progress, release, offline, pdf, assemble)


def _build_site(
    project: Project,
    jobs: int | None,
    progress,
    release: bool,
    offline: bool,
    pdf: bool,
    assemble: bool,
) -> BuildResult:
    """build_site, under the build lock."""
    settings = project.settings
    site_dir = project.site_dir
    clear_leftovers(site_dir)
    stamp = settings.cache_dir / "last-build.json"
    flags = f"release={release} offline={offline} pdf={pdf} strict={project.config.strict}"
    digest = inputs_digest(settings.root, project.config_file, flags)
    if not assemble and (site_dir / "index.html").exists():
        last = read_stamp(stamp)
        if last.get("inputs") == digest and last.get("site") == str(site_dir):
            return BuildResult(site_dir, last.get("pages", 0), None, None, unchanged=True)
    workers = settings.pdf.jobs if jobs is None else jobs
    workers = workers or os.cpu_count() or 1
    render_workers = None
    if settings.pdf.enabled and pdf and workers > 1:
        # One PDF worker starts now, to import WeasyPrint while the catalog loads; the
        # others when there is more to render than one edit's leaflets (RenderWorkers). A
        # first build, which renders every leaflet, starts them all now.
        first_build = not (files_dir(settings) / OUTPUTS_RECORD).exists()
        render_workers = RenderWorkers(workers, at_once=workers if first_build else 1)
    try:
        return _build_from_sources(project, workers, render_workers, progress, release,
                                   offline, pdf, assemble, stamp, digest)  # fmt: skip
    finally:
        if render_workers is not None:
            render_workers.shutdown()


def _build_from_sources(project, workers, render_workers, progress, release, offline, pdf,
                        assemble, stamp, digest) -> BuildResult:  # fmt: skip
    """_build_site once it is known that something changed: every step, the PDFs rendered
    by `render_workers`."""
    settings = project.settings
    site_dir = project.site_dir
    catalog = load_catalog(settings)
    folder = site_folder(site_dir)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=folder.parent))
    # mkdtemp makes a folder only its owner may read; a published site is for everyone.
    os.chmod(staging, 0o755)
    say = progress_message(progress)
    previous = folder if (folder / "index.html").exists() else None
    site: list[SiteBuilding] = []
    try:
        pdfs = None
        if settings.pdf.enabled and pdf:
            if assemble:
                missing = build_pdfs(catalog, files_dir(settings), workers, dry_run=True)
                if missing:
                    raise BuildFailed(
                        f"{len(missing)} PDFs are in no shard's output (e.g. {missing[0]}); "
                        "copy every shard's .cache/pdf into .cache/pdf before assembling"
                    )
            if not release and workers > 1:
                # The pages need the leaflets' file names only, which the catalog gives: the
                # site is built (in a process of its own) while the leaflets are made. With
                # one worker (--jobs 1) everything is done in turn, in this process: one
                # core, as asked.
                planned = planned_outputs(catalog)
                site.append(SiteBuilding(project, staging, catalog, planned, previous, workers,
                                         say))  # fmt: skip
            pdfs = build_pdfs(
                catalog, files_dir(settings), workers, progress=progress, release=release,
                workers=render_workers,
            )  # fmt: skip
            if pdfs.failed:
                raise BuildFailed(pdfs.failure_report())
        outputs = pdfs.outputs if pdfs else None
        if site:
            site.pop().wait()
        else:
            write_pages(project, catalog, outputs)
            build_languages(project, staging, catalog, outputs, previous, workers, say)
        finish_site(staging, catalog, outputs)
        licence = settings.content_licence
        if outputs:
            write_manifest(outputs, staging / "downloads.json", licence=licence)
        if offline:
            say("Making the offline copy ...")
            copy = _offline_copy(staging)
            if outputs:  # the site's own manifest lists the copy (the copy's cannot)
                write_manifest(outputs, staging / "downloads.json", copy, licence)
        replace_directory(staging, site_dir)
    finally:
        for building in site:
            building.stop()
        if staging.exists():
            shutil.rmtree(staging)
    record_languages(project, site_folder(site_dir))
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    replace_with_text(stamp, json.dumps({"inputs": digest, "site": str(site_dir), "pages": pages}))
    return BuildResult(site_dir, pages, pdfs, site_dir / OFFLINE_ZIP if offline else None)


def build_shard(
    config_file: str, shard: tuple[int, int], jobs: int | None = None, progress=None
) -> PdfBuildResult:
    """One CI runner's share of the PDFs (into .cache/pdf); the site is assembled later.

    Run `pamphlets build --shard K/N` on N runners, gather their .cache/pdf folders into
    one, then run `pamphlets build --assemble`: it renders nothing and builds the site.
    """
    settings = load_project(config_file).settings
    catalog = load_catalog(settings)
    workers = settings.pdf.jobs if jobs is None else jobs
    result = build_pdfs(catalog, files_dir(settings), workers, progress=progress, shard=shard)
    if result.failed:
        raise BuildFailed(result.failure_report())
    return result


# ------------------------------------------------------------------ the release (issue 11)

RELEASE_DIR = "release"


@dataclass(frozen=True)
class ReleaseResult:
    folder: Path
    files: list[LeafletFile]
    reports: list


def build_release(
    config_file: str = "mkdocs.yml",
    jobs: int | None = None,
    progress=None,
    pamphlets: set[str] | None = None,
    languages: set[str] | None = None,
    today=None,
) -> ReleaseResult:
    """The print package for a print run, in `release/` beside mkdocs.yml: the print PDFs
    and imposed sheets of the chosen leaflets (all by default), the preflight report as
    text and JSON, and release.json (each file with its checksum and the print run its
    imprint states). Refused (ReleaseRefused, nothing written) by the release gate or by a
    failed preflight; the public site is not touched."""
    import datetime

    from .leaflets.preflight_report import format_table, preflight_files, reports_json
    from .release import release_problems

    project = load_project(config_file, strict=True)
    settings = project.settings
    with build_lock(settings.root):
        for leftover in settings.root.glob(f".{RELEASE_DIR}-building-*"):
            shutil.rmtree(leftover, ignore_errors=True)  # of a release build that was killed
        catalog = load_catalog(settings)
        chosen, refusal = release_problems(
            catalog, today or datetime.date.today(), pamphlets, languages
        )
        if not chosen:
            raise ReleaseRefused(
                "the release is refused: no leaflet matches --pamphlet and --language"
            )
        if refusal:
            raise ReleaseRefused(refusal.message())
        workers = settings.pdf.jobs if jobs is None else jobs
        cache = files_dir(settings)
        pdfs = build_pdfs(
            catalog, cache, workers, pamphlets, languages, {"print"}, progress=progress
        )
        if pdfs.failed:
            raise BuildFailed(pdfs.failure_report())
        files = [file for file in pdfs.files if file.variant in ("print", "print-imposed")]
        reports = preflight_files(settings, files, cache)
        table = format_table(reports)
        failed = [report for report in reports if not report.ok]
        if failed:
            raise ReleaseRefused(
                f"the release is refused; nothing was written: {len(failed)} of {len(reports)} "
                f"print files failed preflight:\n{table}"
            )
        target = settings.root / RELEASE_DIR
        staging = Path(tempfile.mkdtemp(prefix=f".{RELEASE_DIR}-building-", dir=settings.root))
        try:
            for file in files:
                shutil.copy2(cache / file.file, staging / file.file)
            (staging / "preflight.txt").write_text(table, encoding="utf-8")
            (staging / "preflight.json").write_text(reports_json(reports), encoding="utf-8")
            (staging / "release.json").write_text(
                _release_manifest(catalog, files), encoding="utf-8"
            )
            replace_directory(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
        return ReleaseResult(target, files, reports)


def _release_manifest(catalog, files: list[LeafletFile]) -> str:
    """release.json: what the package holds, and the print run each imprint states."""
    entries = []
    for file in files:
        run = catalog.ledger.current_run(file.pamphlet, file.language, file.edition)
        entry = file.manifest_entry()
        entry["path"] = file.file
        entry["print_run"] = (
            {"id": run.id, "quantity": run.quantity, "status": run.status,
             "printer": run.printer, "funder": run.funder}
            if run else None
        )  # fmt: skip
        entries.append(entry)
    return json.dumps({"files": entries}, ensure_ascii=False, indent=1) + "\n"
