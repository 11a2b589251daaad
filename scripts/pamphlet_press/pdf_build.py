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
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

from .catalog import Catalog
from .leaflet import PRINT_DIR, Leaflet, Variant, leaflets

CODE_DIR = Path(__file__).resolve().parent
VARIANTS: tuple[Variant, ...] = ("screen", "print")


@dataclass(frozen=True)
class PdfFile:
    """One PDF of the manifest (`site/downloads.json`)."""

    pamphlet: str
    language: str
    variant: str  # screen, print, print-imposed
    file: str  # the file name, in site/pdf/
    pages: int
    bytes: int
    sha256: str
    status: str  # draft or reviewed
    edition: str
    format: str

    @property
    def path(self) -> str:
        return f"pdf/{self.file}"

    def manifest_entry(self) -> dict:
        entry = asdict(self)
        entry["path"] = self.path
        return entry


@dataclass
class PdfBuildResult:
    files: list[PdfFile] = field(default_factory=list)
    rendered: int = 0
    reused: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def for_translation(self, slug: str, language: str) -> list[PdfFile]:
        return [f for f in self.files if f.pamphlet == slug and f.language == language]


@dataclass(frozen=True)
class _Job:
    leaflet: Leaflet
    variant: Variant
    status: str
    cache_dir: Path
    project_root: Path
    icc_profile: Path | None
    output_condition: str
    key: str

    @property
    def stem(self) -> str:
        return f"{self.leaflet.name}-{self.variant}"


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def _environment_fingerprint(icc_profile: Path | None) -> str:
    """What every render depends on besides the leaflet itself."""
    import weasyprint

    parts = [f"weasyprint {weasyprint.__version__}"]
    code = [CODE_DIR / name for name in ("leaflet.py", "pdf.py", "impose.py")]
    for path in sorted(PRINT_DIR.glob("*.*")) + code:
        parts.append(f"{path.name} {_file_digest(path)}")
    if icc_profile:
        parts.append(f"profile {_file_digest(icc_profile)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _job_key(leaflet: Leaflet, variant: str, environment: str, output_condition: str) -> str:
    material = json.dumps(
        [leaflet.fingerprint(), variant, environment, output_condition], sort_keys=True
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _record_path(cache_dir: Path, stem: str) -> Path:
    return cache_dir / f"{stem}.json"


def _cached(job: _Job) -> dict | None:
    record_path = _record_path(job.cache_dir, job.stem)
    if not record_path.exists():
        return None
    record = json.loads(record_path.read_text(encoding="utf-8"))
    files_exist = all((job.cache_dir / item["file"]).exists() for item in record["files"])
    return record if record.get("key") == job.key and files_exist else None


def _render_job(job: _Job) -> dict:
    """Render one variant of one leaflet (in a worker process); impose a print PDF."""
    from .pdf import RenderError, render_leaflet

    started = time.perf_counter()
    target = job.cache_dir / f"{job.stem}.pdf"
    try:
        rendered = render_leaflet(
            job.leaflet,
            job.variant,
            target,
            job.project_root,
            job.icc_profile,
            job.output_condition,
        )
        files = [{"file": target.name, "variant": job.variant, "pages": rendered.pages}]
        if job.variant == "print":
            from .impose import impose_booklet, impose_trifold

            imposed = job.cache_dir / f"{job.stem}-imposed.pdf"
            impose = impose_trifold if job.leaflet.format == "a4-trifold" else impose_booklet
            sides = impose(target, imposed, right_to_left=job.leaflet.direction == "rtl")
            files.append({"file": imposed.name, "variant": "print-imposed", "pages": sides})
    except RenderError as error:
        return {"stem": job.stem, "error": str(error)}
    record = {"key": job.key, "files": files, "seconds": time.perf_counter() - started}
    _record_path(job.cache_dir, job.stem).write_text(json.dumps(record), encoding="utf-8")
    return {"stem": job.stem, **record}


def build_pdfs(
    catalog: Catalog,
    cache_dir: Path,
    jobs: int = 0,
    pamphlets: set[str] | None = None,
    languages: set[str] | None = None,
    variants: set[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> PdfBuildResult:
    """Make (or reuse) the PDFs of every leaflet, or of the chosen subset.

    `jobs` is the number of worker processes (0: one per core). `progress(done, total,
    message)` is called as PDFs are reused or rendered.
    """
    started = time.perf_counter()
    settings = catalog.settings
    cache_dir.mkdir(parents=True, exist_ok=True)
    environment = _environment_fingerprint(settings.pdf.icc_profile)
    statuses = {
        (pamphlet.slug, translation.language): translation.front.status
        for pamphlet in catalog.pamphlets
        for translation in pamphlet.translations.values()
    }
    all_jobs = [
        _Job(
            leaflet,
            variant,
            statuses[(leaflet.slug, leaflet.language)],
            cache_dir,
            settings.root,
            settings.pdf.icc_profile,
            settings.pdf.output_condition,
            _job_key(leaflet, variant, environment, settings.pdf.output_condition),
        )
        for leaflet in leaflets(catalog)
        for variant in VARIANTS
    ]
    chosen = [
        job
        for job in all_jobs
        if (pamphlets is None or job.leaflet.slug in pamphlets)
        and (languages is None or job.leaflet.language in languages)
        and (variants is None or job.variant in variants)
    ]
    result = PdfBuildResult()
    records: dict[str, dict] = {}
    to_render = []
    for job in chosen:
        cached = _cached(job)
        if cached:
            records[job.stem] = cached
            result.reused += 1
        else:
            to_render.append(job)
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

    workers = min(jobs or os.cpu_count() or 1, max(len(to_render), 1))
    if workers <= 1:
        for job in to_render:
            finished(_render_job(job))
    else:
        # fork: the workers inherit the loaded modules (WeasyPrint takes a while to import).
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            for future in as_completed([pool.submit(_render_job, job) for job in to_render]):
                finished(future.result())

    for job in chosen:
        record = records.get(job.stem)
        if not record:
            continue
        for item in record["files"]:
            path = cache_dir / item["file"]
            result.files.append(
                PdfFile(
                    pamphlet=job.leaflet.slug,
                    language=job.leaflet.language,
                    variant=item["variant"],
                    file=item["file"],
                    pages=item["pages"],
                    bytes=path.stat().st_size,
                    sha256=_file_digest(path),
                    status=job.status,
                    edition=job.leaflet.edition,
                    format=job.leaflet.format,
                )
            )
    if pamphlets is None and languages is None and variants is None:
        _remove_stale(cache_dir, {job.stem for job in all_jobs})
    result.seconds = time.perf_counter() - started
    return result


def _remove_stale(cache_dir: Path, stems: set[str]) -> None:
    """Remove cached PDFs whose translation is gone."""
    for path in cache_dir.iterdir():
        stem = path.name.removesuffix(".json").removesuffix(".pdf").removesuffix("-imposed")
        if path.is_file() and stem not in stems:
            path.unlink()


def write_manifest(result: PdfBuildResult, target: Path) -> None:
    """`downloads.json`: every PDF with pamphlet, language, variant, path, pages, bytes, sha256."""
    entries = [file.manifest_entry() for file in result.files]
    entries.sort(key=lambda entry: (entry["pamphlet"], entry["language"], entry["variant"]))
    target.write_text(
        json.dumps({"files": entries}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
