"""Making every leaflet PDF of the catalog: once per build, in parallel, and incrementally.

For each translation that exists, three files (named so that ten of them in a Downloads
folder stay tellable apart):

    rights-and-duties-fa-screen.pdf          to read and share (tagged, RGB)
    rights-and-duties-fa-print.pdf           for the print shop (PDF/X-4, bleed, marks)
    rights-and-duties-fa-print-imposed.pdf   the same on A4 sheets, in folding order

They are kept in a cache folder (`.cache/pdf/`) with a small JSON record of the inputs'
hash. A PDF whose inputs (the leaflet's text and settings, the template and stylesheets,
the colour profile, the versions of the code and of WeasyPrint) did not change is reused,
not rendered again; editing one translation renders that translation's PDFs only.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from ..content.catalog import Catalog
from ..files import replace_with_text, temporary_beside
from ..outputs import (
    FILE_KINDS,
    OUTPUTS_RECORD,
    Bundle,
    LeafletFile,
    LeafletOutputs,
    save_outputs,
)
from ..processes import before_fork, die_with_parent, objects_kept_from_collection
from .bundles import in_use, licence_notices, make_bundles
from .formats import Format
from .leaflet import Leaflet, leaflets, template_dirs
from .variants import VARIANTS, Variant

CODE_DIR = Path(__file__).resolve().parent


@dataclass
class PdfBuildResult:
    """What a PDF build made (`outputs`, for the site) and how it went."""

    outputs: LeafletOutputs = field(default_factory=LeafletOutputs)
    rendered: int = 0
    reused: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Release builds: the print PDFs not made, with why ("rights-and-duties (fa): draft").
    held_back: list[str] = field(default_factory=list)

    @property
    def files(self) -> list[LeafletFile]:
        return self.outputs.files

    def failure_report(self) -> str:
        """The failures, each message once: a problem every print PDF shares (the colour
        profile missing) is said once with how many PDFs it stopped, not 25 times over."""
        counts = Counter(self.failed)
        return "\n".join(
            message if count == 1 else f"{message} ({count} PDFs)"
            for message, count in counts.items()
        )


@dataclass(frozen=True)
class _Job:
    leaflet: Leaflet
    variant: Variant
    format: Format
    status: str
    cache_dir: Path
    project_root: Path
    icc_profile: Path | None
    output_condition: str
    project_templates: Path | None
    standard: str
    key: str

    @property
    def stem(self) -> str:
        return f"{self.leaflet.name}-{self.variant.name}"


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def _figures(path: Path) -> dict:
    """What a cache record keeps of a file it made: its size and checksum (the downloads
    page and the manifest show them), and its modification time, which says whether the
    file is still the one they describe."""
    stat = path.stat()
    return {"bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": _file_digest(path)}


def _figures_checked(path: Path, item: dict) -> bool:
    """Make a cache record's `item` hold its file's figures (_figures); True if they had to
    be read again. The record's are kept while the file has the size and modification time
    the record saw (a one-edit rebuild at 20x5 would otherwise read and hash 400 files,
    50 MB, every time); a file touched by hand, a cache copied from a CI runner without its
    times, or a record of an older version is read again."""
    stat = path.stat()
    if (
        isinstance(item.get("sha256"), str)
        and item.get("bytes") == stat.st_size
        and item.get("mtime_ns") == stat.st_mtime_ns
    ):
        return False
    item.update(bytes=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=_file_digest(path))
    return True


def _environment_fingerprint(icc_profile: Path | None, project_templates: Path | None) -> str:
    """What every render depends on besides the leaflet itself: the code that renders, the
    templates and stylesheets (the project's and the package's), the colour profile."""
    from importlib.metadata import version

    # The installed versions, without importing WeasyPrint here (a build that renders
    # nothing does not need it; the workers that render import it).
    parts = [f"{package} {version(package)}" for package in ("weasyprint", "pydyf", "pypdf")]
    code = sorted(CODE_DIR.glob("*.py"))
    templates = sorted(
        path for folder in template_dirs(project_templates) for path in folder.rglob("*.*")
    )
    for path in templates + code:
        parts.append(f"{path.name} {_file_digest(path)}")
    if icc_profile:
        parts.append(f"profile {_file_digest(icc_profile)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _job_key(
    leaflet: Leaflet,
    variant: Variant,
    fmt: Format,
    environment: str,
    output_condition: str,
    standard: str,
) -> str:
    material = json.dumps(
        [leaflet.fingerprint(), variant.name, repr(fmt), environment, output_condition, standard],
        sort_keys=True,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _record_path(cache_dir: Path, stem: str) -> Path:
    return cache_dir / f"{stem}.json"


def _cached(job: _Job) -> dict | None:
    """The cache record of a job whose PDFs can be reused, or None: render it again.

    A record that cannot be read or has not the expected shape (empty, cut short by a killed
    build, edited by hand) is as good as none: the PDF is rendered again, never a crash."""
    record_path = _record_path(job.cache_dir, job.stem)
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        files = record["files"]
        files_exist = all(
            isinstance(item["file"], str)
            and isinstance(item["variant"], str)
            and isinstance(item["pages"], int)
            and "/" not in item["file"]
            and (job.cache_dir / item["file"]).is_file()
            for item in files
        )
        usable = record.get("key") == job.key and files_exist and bool(files)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return record if usable else None


def _render_job(job: _Job) -> dict:
    """Render one variant of one leaflet (in a worker process); impose a print PDF."""
    from .impose import impose
    from .render import RenderError, render_leaflet
    from .streams import keep_on_disk

    started = time.perf_counter()
    # The compressed colour profile, kept for the next worker (streams.py); the folder is
    # the cache's own: only the files the outputs name are published.
    keep_on_disk(job.cache_dir / "streams")
    target = job.cache_dir / f"{job.stem}.pdf"
    try:
        rendered = render_leaflet(
            job.leaflet,
            job.variant,
            job.format,
            target,
            job.project_root,
            job.icc_profile,
            job.output_condition,
            job.project_templates,
            job.standard,
        )
        typesetting = rendered.typesetting
        set_in = (
            {"body_pt": typesetting.body_pt, "leading": typesetting.leading} if typesetting else {}
        )
        files = [
            {"file": target.name, "variant": job.variant.name, "pages": rendered.pages, **set_in,
             **_figures(target)}
        ]  # fmt: skip
        if job.variant.cover_picture:
            # The cover as a picture, for the downloads page.
            cover = job.cache_dir / f"{job.leaflet.name}-cover.png"
            _render_cover(target, cover)
            files.append({"file": cover.name, "variant": "cover", "pages": 1, **_figures(cover)})
        if job.variant.imposed and job.format.imposition != "none":
            imposed = job.cache_dir / f"{job.stem}-imposed.pdf"
            sides = impose(
                job.format, target, imposed, job.leaflet.direction == "rtl",
                standard=job.standard, draw_marks=job.leaflet.crop_marks,
            )  # fmt: skip
            files.append(
                {"file": imposed.name, "variant": "print-imposed", "pages": sides, **set_in,
                 **_figures(imposed)}
            )  # fmt: skip
    except RenderError as error:
        return {"stem": job.stem, "error": str(error)}
    except ValueError as error:  # the imposition refused the pages (impose.py says why)
        return {"stem": job.stem, "error": f"{job.leaflet.source_path}: {error}"}
    record = {
        "key": job.key,
        "files": files,
        "seconds": time.perf_counter() - started,
        "weasyprint_seconds": rendered.weasyprint_seconds,
        "layouts": rendered.layouts,
    }
    replace_with_text(_record_path(job.cache_dir, job.stem), json.dumps(record))
    return {"stem": job.stem, **record}


def _share_of(stem: str, count: int) -> int:
    """Which of `count` shares (1-based) a PDF belongs to: by a hash of its name, so that
    the shares stay the same however the catalog is ordered and balance as it grows."""
    return int(hashlib.sha256(stem.encode()).hexdigest(), 16) % count + 1


def _render_cover(pdf: Path, target: Path) -> None:
    """The first page of a PDF as a small PNG (320 px on its longer side), written
    atomically. PDFium (pypdfium2, a wheel) draws it, so no system tool is needed."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[0]
        width, height = page.get_size()
        image = page.render(scale=320 / max(width, height)).to_pil()
        page.close()
    finally:
        document.close()
    temporary = temporary_beside(target)
    try:
        image.save(temporary, format="PNG", optimize=True)
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)


def build_pdfs(
    catalog: Catalog,
    cache_dir: Path,
    jobs: int = 0,
    pamphlets: set[str] | None = None,
    languages: set[str] | None = None,
    variants: set[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    release: bool = False,
    shard: tuple[int, int] | None = None,
    dry_run: bool = False,
    workers: RenderWorkers | None = None,
):
    """Make (or reuse) the PDFs of every leaflet, or of the chosen subset.

    `jobs` is the number of worker processes (0: one per core). `progress(done, total,
    message)` is called as PDFs are reused or rendered. A `release` build (for a print run)
    makes print PDFs only of reviewed, up-to-date texts, and lists the others as held back.
    `shard=(k, n)` makes only the k-th of n shares (1-based) of the PDFs, for builds split
    across CI runners: every PDF falls into exactly one share, the same one every time.
    `dry_run` renders nothing and returns the names of the PDFs that would be rendered.
    `workers` are the worker processes to render with, started already (RenderWorkers);
    without them, this call starts (and ends) its own.
    """
    from ..content.translation_status import is_outdated

    started = time.perf_counter()
    settings = catalog.settings
    cache_dir.mkdir(parents=True, exist_ok=True)
    project_templates = settings.pdf.templates_dir
    environment = _environment_fingerprint(settings.pdf.icc_profile, project_templates)
    statuses = {
        (pamphlet.slug, translation.language): translation.front.status
        for pamphlet in catalog.pamphlets
        for translation in pamphlet.translations.values()
    }
    formats = settings.pdf.formats
    all_jobs = [
        _Job(
            leaflet,
            variant,
            formats[leaflet.format],
            statuses[(leaflet.slug, leaflet.language)],
            cache_dir,
            settings.root,
            settings.pdf.icc_profile,
            settings.pdf.output_condition,
            project_templates,
            settings.pdf.standard,
            _job_key(
                leaflet,
                variant,
                formats[leaflet.format],
                environment,
                settings.pdf.output_condition,
                settings.pdf.standard,
            ),
        )
        for leaflet in leaflets(catalog)
        for variant in VARIANTS.values()
    ]
    chosen = [
        job
        for job in all_jobs
        if (pamphlets is None or job.leaflet.slug in pamphlets)
        and (languages is None or job.leaflet.language in languages)
        and (variants is None or job.variant.name in variants)
    ]
    if shard:
        number, count = shard
        chosen = [job for job in chosen if _share_of(job.stem, count) == number]
    result = PdfBuildResult()
    if release:
        pamphlet_by_slug = {pamphlet.slug: pamphlet for pamphlet in catalog.pamphlets}
        kept = []
        for job in chosen:
            reasons = []
            needs_review = job.variant.release_needs_review
            if needs_review and job.status != "reviewed":
                reasons.append(job.status)
            if needs_review and is_outdated(
                catalog, pamphlet_by_slug[job.leaflet.slug], job.leaflet.language
            ):
                reasons.append("outdated (the original changed since it was translated)")
            if reasons:
                result.held_back.append(
                    f"{job.leaflet.slug} ({job.leaflet.language}): {', '.join(reasons)}"
                )
            else:
                kept.append(job)
        chosen = kept
    records: dict[str, dict] = {}
    to_render = []
    for job in chosen:
        cached = _cached(job)
        if cached:
            records[job.stem] = cached
            result.reused += 1
        else:
            to_render.append(job)
    # The longest first (print files are copyfitted: laid out two or three times; then the
    # longer texts), so that the jobs left at the end are short and no worker idles long
    # while another finishes.
    to_render.sort(key=lambda job: (not job.variant.cmyk, -len(job.leaflet.body_html)))
    if dry_run:
        return [job.stem for job in to_render]
    total = len(chosen)
    done = result.reused
    if progress and result.reused:
        progress(done, total, f"{result.reused} PDFs unchanged, reused")

    def finished(outcome: dict) -> None:
        nonlocal done
        done += 1
        if "error" in outcome:
            result.failed.append(outcome["error"])
            message = f"FAILED {outcome['stem']}"
        else:
            records[outcome["stem"]] = outcome
            result.rendered += 1
            message = f"rendered {outcome['stem']}.pdf in {outcome['seconds']:.1f} s"
        if progress:
            progress(done, total, message)

    count = min(jobs or os.cpu_count() or 1, max(len(to_render), 1))
    if workers is not None and to_render:
        workers.render(to_render, finished)
    elif count <= 1:
        for job in to_render:
            finished(_render_job(job))
    else:
        with objects_kept_from_collection():
            own = RenderWorkers(count)
            try:
                own.render(to_render, finished)
            finally:
                own.shutdown()

    for job in chosen:
        record = records.get(job.stem)
        if not record:
            continue
        read_again = [_figures_checked(cache_dir / item["file"], item) for item in record["files"]]
        if any(read_again):  # kept, so that the next build need not read them again
            replace_with_text(_record_path(cache_dir, job.stem), json.dumps(record))
        for item in record["files"]:
            result.files.append(
                LeafletFile(
                    pamphlet=job.leaflet.slug,
                    language=job.leaflet.language,
                    variant=item["variant"],
                    file=item["file"],
                    pages=item["pages"],
                    bytes=item["bytes"],
                    sha256=item["sha256"],
                    status=job.status,
                    edition=job.leaflet.edition,
                    format=job.leaflet.format,
                    body_pt=item.get("body_pt"),
                    leading=item.get("leading"),
                )
            )
    if pamphlets is None and languages is None and variants is None and shard is None:
        keep = {job.stem for job in all_jobs} | {"bundles", OUTPUTS_RECORD.removesuffix(".json")}
        _remove_stale(cache_dir, keep)
        result.outputs.bundles = make_bundles(
            result.outputs, cache_dir / "bundles", licence_notices(catalog)
        )
        save_outputs(result.outputs, cache_dir / OUTPUTS_RECORD)
    result.seconds = time.perf_counter() - started
    return result


def _ready_to_render() -> None:
    """A worker's start: it ends with the build, and has WeasyPrint imported before its
    first leaflet (the import takes about 0.3 s: started early, it overlaps other work)."""
    die_with_parent()
    import weasyprint  # noqa: F401


def warm_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes for rendering, started now (forked: they inherit what is loaded)."""
    before_fork()
    pool = ProcessPoolExecutor(
        workers, mp_context=get_context("fork"), initializer=_ready_to_render
    )
    for _ in range(workers):
        pool.submit(int)  # starts the workers (a pool starts them on demand)
    return pool


class RenderWorkers:
    """The worker processes that render leaflets, each started when it is worth starting.

    A worker's start costs about 0.45 s of a core: importing WeasyPrint (0.35 s) and its
    first layout, which is slower than the next ones. That is as long as rendering both PDFs
    of a translation once started. So `at_once` workers start now (a build starts one, to
    import WeasyPrint while the catalog loads), and the others only when there is more to
    render than one translation's PDFs: a one-edit rebuild renders its two PDFs in one
    worker, and the core a second worker would spend starting goes to the site's build
    meanwhile (one-edit rebuild at 20x5, pair by pair: 0.92x the time, 0.87x the CPU).

    Jobs are handed out one per worker, the next to the first that is free, so that the
    workers started later share the work as if they had been there from the start.
    """

    def __init__(self, count: int, at_once: int | None = None) -> None:
        self.count = count
        self._pools: list[tuple[ProcessPoolExecutor, int]] = []
        self._start(count if at_once is None else min(at_once, count))

    @property
    def started(self) -> int:
        """How many workers were started."""
        return sum(workers for _pool, workers in self._pools)

    def _start(self, workers: int) -> None:
        if workers > 0:
            self._pools.append((warm_pool(workers), workers))

    def render(self, jobs: list[_Job], finished: Callable[[dict], None]) -> None:
        """Render `jobs` in this order; `finished(outcome)` is called as each one ends."""
        if len(jobs) > len(VARIANTS):
            self._start(self.count - self.started)
        waiting = iter(jobs)
        running: dict = {}

        def hand_next(pool: ProcessPoolExecutor) -> None:
            job = next(waiting, None)
            if job is not None:
                running[pool.submit(_render_job, job)] = pool

        for pool, workers in self._pools:
            for _ in range(workers):
                hand_next(pool)
        while running:
            ended, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in ended:
                pool = running.pop(future)
                finished(future.result())
                hand_next(pool)

    def shutdown(self) -> None:
        for pool, _workers in self._pools:
            pool.shutdown(cancel_futures=True)


def planned_outputs(catalog: Catalog) -> LeafletOutputs:
    """The files a full build will leave in the cache, named as they will be, without their
    figures (pages, size, checksum: 0 and ""), and the bundles there will be. Known from the
    catalog alone, before any leaflet is made: the site's pages, which need only the names,
    are built meanwhile."""
    formats = catalog.settings.pdf.formats
    files = []
    for pamphlet in catalog.pamphlets:
        fmt = formats[pamphlet.settings.format]
        edition = pamphlet.settings.edition.isoformat()
        for language, translation in pamphlet.translations.items():
            name = f"{pamphlet.slug}-{language}"
            for variant in VARIANTS.values():
                names = [(f"{name}-{variant.name}.pdf", variant.name)]
                if variant.cover_picture:
                    names.append((f"{name}-cover.png", "cover"))
                if variant.imposed and fmt.imposition != "none":
                    names.append((f"{name}-{variant.name}-imposed.pdf", "print-imposed"))
                files += [
                    LeafletFile(pamphlet.slug, language, kind, file, 0, 0, "",
                                translation.front.status, edition, pamphlet.settings.format)
                    for file, kind in names
                ]  # fmt: skip
    bundled = sorted({f.language for f in files if FILE_KINDS[f.variant].in_bundles})
    bundles = [Bundle(code, f"leaflets-{code}.zip", 0, "", ()) for code in [*bundled, "all"]]
    return LeafletOutputs(files, bundles if bundled else [])


def _remove_stale(cache_dir: Path, stems: set[str]) -> None:
    """Remove cached PDFs whose translation is gone."""
    covers = {stem.removesuffix("-screen") + "-cover" for stem in stems}
    for path in cache_dir.iterdir():
        if path.is_file() and in_use(path):
            continue
        stem = path.name.removesuffix(".json").removesuffix(".pdf").removesuffix(".png")
        stem = stem.removesuffix("-imposed")
        if path.is_file() and stem not in stems and stem not in covers:
            path.unlink()
