"""Building the site's languages: in parallel, and only the ones whose inputs changed.

mkdocs-static-i18n builds the languages one after the other in one process. `pamphlets
build` instead builds each language in a process of its own, as many at once as there are
cores, and puts them together into one site:

    the default language (az)  ->  the site's root: its pages, the theme's assets, 404.html,
                                   sitemap.xml, search/ (its search index)
    every other language (ru)  ->  ru/: its pages, its 404.html, ru/search/ (its index)
    then, once                 ->  the leaflet files (pdf/), the search worker, the
                                   sitemaps under every language's root

The result is the same, file for file, as MkDocs' own serial build (a test compares them).

A language is built again only when something it is made of changed: its pages under
docs/ (the generated ones hold everything a page shows of the catalog: texts, facts, leaflet
sizes, statuses), the default language's pages it falls back to, its interface strings,
and what every language shares (mkdocs.yml, the theme and overrides, this package's web
code, the versions of MkDocs, Material and i18n). The other languages are taken from the
previous site, as they were. `.cache/site/languages.json` records what each language of
the site in `site/` was made of.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from ..content.catalog import Catalog
from ..outputs import LeafletOutputs
from ..processes import ChildMessages, before_fork
from .project import Project

PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n")
RECORD = "site/languages.json"  # under .cache/
WEB_CODE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class LanguagesBuilt:
    built: tuple[str, ...]  # built now
    kept: tuple[str, ...]  # taken from the previous site


def _digest_files(digest, paths) -> None:
    for path in paths:
        digest.update(f"{path}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def shared_inputs(project: Project) -> str:
    """What every language's pages are made of, besides their own sources."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for package in PACKAGES:
        digest.update(f"{package} {version(package)}\n".encode())
    digest.update(f"strict={project.config.strict}\n".encode())
    folders = [WEB_CODE]
    custom = project.config.theme.custom_dir
    if custom:
        folders.append(Path(custom))
    files = [Path(project.config.config_file_path)] + sorted(
        path for folder in folders for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )  # fmt: skip
    _digest_files(digest, files)
    return digest.hexdigest()


def language_inputs(project: Project, shared: str) -> dict[str, str]:
    """A fingerprint of what each language's pages are made of (see the module)."""
    settings = project.settings
    docs = Path(project.config.docs_dir)
    default = settings.default_language
    codes = settings.language_codes
    pages = sorted(path for path in docs.rglob("*") if path.is_file())
    by_language: dict[str, list[Path]] = {code: [] for code in codes}
    assets = []
    for path in pages:
        parts = path.name.split(".")
        code = parts[-2] if len(parts) >= 3 and path.suffix == ".md" else None
        if code in by_language:
            by_language[code].append(path)
        elif path.suffix != ".md":
            assets.append(path)
    fingerprints = {}
    for code in codes:
        digest = hashlib.sha256(f"{shared}\n{code}\n".encode())
        own = by_language[code]
        # A page this language lacks is shown from the default language's file.
        names = {path.with_name(path.name.replace(f".{code}.md", "")) for path in own}
        fallbacks = [
            path for path in by_language[default]
            if path.with_name(path.name.replace(f".{default}.md", "")) not in names
        ]  # fmt: skip
        ui = settings.pamphlets_dir / "ui" / f"{code}.yml"
        facts = settings.pamphlets_dir / "facts.yml"
        _digest_files(digest, [*own, *fallbacks, *assets, *(p for p in (ui, facts) if p.exists())])
        fingerprints[code] = digest.hexdigest()
    return fingerprints


def write_pages(project: Project, catalog: Catalog, outputs: LeafletOutputs | None) -> None:
    """Write the generated pages of every language once, before the languages are built
    (the plugin does it at the start of a plain MkDocs build)."""
    from ..content.translation_status import status_matrix
    from .pages import GeneratedFolders, write_generated_pages

    options = project.config.plugins["pamphlets"].config
    folders = GeneratedFolders.under(Path(project.config.docs_dir), options)
    write_generated_pages(
        folders, catalog, outputs, status_matrix(catalog), project.config.use_directory_urls
    )


# Set in the building process before the workers are forked: they inherit it, so that the
# catalog and the leaflet files are not sent to them.
_PREPARED: tuple[Catalog, LeafletOutputs | None] | None = None


def _build_one_language(config_file: str, overrides: dict, code: str, target: str) -> str:
    """Build the pages of one language into `target` (in a worker process, or in this one),
    as mkdocs-static-i18n builds that language, without building the others."""
    from .project import load_project, run_mkdocs_build

    assert _PREPARED is not None  # build_languages sets it
    project = load_project(config_file, **overrides)
    config = project.config
    config["site_dir"] = target
    i18n = config.plugins["i18n"]
    i18n.current_language = code
    # What i18n does inside its own loop: no other language is built from this build.
    i18n.building = True
    config.plugins["pamphlets"].use_prepared(*_PREPARED, pages_written=True)
    run_mkdocs_build(config)
    return code


def _copy_tree(source: Path, target: Path, leave_out: set[str] = frozenset()) -> None:
    """Copy a folder of the previous site (hard links where the file system allows: the
    files are never written in place, a new build writes new files)."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.name in leave_out:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target / entry.name, copy_function=link)
        elif entry.is_file():
            link(str(entry), str(target / entry.name))


def _language_tree(site: Path, code: str, default: str, codes: list[str]) -> tuple[Path, set]:
    """Where a language's pages are in a built site, and what to leave out when copying
    it: the default language is the root, without the other languages' folders and the
    files put in once for all (pdf/, downloads.json, the offline copy)."""
    if code != default:
        return site / code, set()
    return site, {c for c in codes if c != default} | {"pdf", "downloads.json",
                                                         "offline-site.zip"}  # fmt: skip


def build_languages(
    project: Project,
    staging: Path,
    catalog: Catalog,
    outputs: LeafletOutputs | None,
    previous: Path | None,
    jobs: int,
    say=lambda message: None,
) -> LanguagesBuilt:
    """Build the site into `staging`: the languages whose inputs changed since the site in
    `previous` was built (all of them without one), in up to `jobs` processes; the others
    copied from `previous`. The generated pages must be written already."""
    global _PREPARED
    settings = project.settings
    codes = settings.language_codes
    default = settings.default_language
    record_path = settings.cache_dir / RECORD
    fingerprints = language_inputs(project, shared_inputs(project))
    record = _read_record(record_path)
    same_site = previous is not None and record.get("site") == _site_identity(previous)
    kept = tuple(
        code for code in codes
        if same_site and record.get("languages", {}).get(code) == fingerprints[code]
        and _language_tree(previous, code, default, codes)[0].is_dir()  # type: ignore[arg-type]
    )  # fmt: skip
    to_build = [code for code in codes if code not in kept]
    say(f"Building the site: {', '.join(to_build) or 'no language'} "
        f"({len(kept)} unchanged, reused)")  # fmt: skip
    overrides = {"strict": project.config.strict}
    work = {code: staging.parent / f"{staging.name}.{code}" for code in to_build}
    _PREPARED = (catalog, outputs)
    try:
        if jobs <= 1 or len(to_build) <= 1:
            for code in to_build:
                _build_one_language(project.config_file, overrides, code, str(work[code]))
        else:
            workers = min(jobs, len(to_build))
            messages = ChildMessages(say)
            before_fork()
            try:
                with ProcessPoolExecutor(
                    workers, mp_context=get_context("fork"), initializer=messages.in_child
                ) as pool:
                    futures = [
                        pool.submit(_build_one_language, project.config_file, overrides, code,
                                    str(work[code]))
                        for code in to_build
                    ]  # fmt: skip
                    for future in futures:
                        future.result()
            finally:
                messages.close()
        _assemble(staging, work, kept, previous, settings)
    finally:
        _PREPARED = None
        for folder in work.values():
            shutil.rmtree(folder, ignore_errors=True)
    return LanguagesBuilt(tuple(to_build), kept)


def _assemble(staging: Path, work: dict[str, Path], kept, previous, settings) -> None:
    """Put the languages built now (in `work`) and the ones kept (from `previous`) together
    in `staging`, each language's search index in its place."""
    from .search import write_language_index

    codes, default = settings.language_codes, settings.default_language
    if default in work:
        for entry in work[default].iterdir():
            entry.rename(staging / entry.name)
        search = staging / "search" / "search_index.json"
        docs = json.loads(search.read_text(encoding="utf-8"))
        write_language_index(staging, default, default, docs["docs"], docs["config"])
    else:
        tree, leave_out = _language_tree(previous, default, default, codes)
        _copy_tree(tree, staging, leave_out)
    for code in codes:
        if code == default:
            continue
        if code in work:
            (work[code] / code).rename(staging / code)
            index = json.loads((work[code] / "search" / "search_index.json").read_text("utf-8"))
            docs = [
                dict(doc, location=doc["location"].removeprefix(f"{code}/"))
                for doc in index["docs"]
            ]
            write_language_index(staging, code, default, docs, index["config"])
        else:
            _copy_tree(previous / code, staging / code)
    _merge_sitemaps(staging, work, previous, settings)


URL_BLOCK = re.compile(r"    <url>\n.*?</url>\n", re.S)
LOC = re.compile(r"<loc>([^<]*)</loc>")
LASTMOD = re.compile(r"<lastmod>(\d{4}-\d{2}-\d{2})</lastmod>")


def _merge_sitemaps(staging: Path, work: dict[str, Path], previous, settings) -> None:
    """One sitemap.xml (and .gz) of every language, as the serial build writes it: each
    language's build wrote the entries of its own pages; the kept languages' entries come
    from the previous site's sitemap."""
    codes, default = settings.language_codes, settings.default_language
    # The default language's build went to the staging folder itself.
    sources = {code: (staging if code == default else work[code]) / "sitemap.xml"
               for code in work}  # fmt: skip
    previous_text = ""
    if previous is not None and (previous / "sitemap.xml").exists():
        previous_text = (previous / "sitemap.xml").read_text(encoding="utf-8")
    first = sources.get(default)
    text = first.read_text(encoding="utf-8") if first else previous_text
    if not text:
        return
    blocks = []
    for code in codes:
        own = sources[code].read_text(encoding="utf-8") if code in sources else previous_text
        blocks += sitemap_entries(own, codes, default, settings.site_url)[code]
    write_sitemap(staging, sitemap_head(text), blocks)


def sitemap_entries(
    text: str, codes: list[str], default: str, site_url: str
) -> dict[str, list[str]]:
    """The <url> entries of a sitemap, by the language of the page each is for."""
    base = site_url.rstrip("/") + "/"
    entries: dict[str, list[str]] = {code: [] for code in codes}
    for block in URL_BLOCK.findall(text):
        match = LOC.search(block)
        location = match.group(1) if match else ""
        code = next((c for c in codes if c != default and location.startswith(f"{base}{c}/")),
                    default)  # fmt: skip
        entries[code].append(block)
    return entries


def sitemap_head(text: str) -> str:
    """What a sitemap says before its first entry."""
    return text[: text.index("    <url>")] if "    <url>" in text else text


def write_sitemap(site: Path, head: str, entries: list[str]) -> None:
    """sitemap.xml and sitemap.xml.gz at the root of `site`, as MkDocs writes them (the
    gzip header holds the file's name and the day of the newest page)."""
    merged = head + "".join(entries) + "</urlset>"
    (site / "sitemap.xml").write_text(merged, encoding="utf-8")
    days = LASTMOD.findall(merged)
    if not days:
        return
    stamp = datetime.datetime.fromisoformat(max(days)).replace(tzinfo=datetime.UTC)
    target = site / "sitemap.xml.gz"
    with (
        open(target, "wb") as raw,
        gzip.GzipFile(
            fileobj=raw, filename=str(target), mode="wb", mtime=int(stamp.timestamp())
        ) as packed,
    ):
        packed.write(merged.encode("utf-8"))


def _site_identity(site: Path) -> str:
    """The site folder as it is now (a build swaps a new folder in: a new identity)."""
    status = site.stat()
    return f"{site.resolve()} {status.st_ino} {status.st_mtime_ns}"


def _read_record(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def record_languages(project: Project, site: Path) -> None:
    """After the site was swapped in: what each of its languages was made of."""
    fingerprints = language_inputs(project, shared_inputs(project))
    path = project.settings.cache_dir / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(
        json.dumps({"site": _site_identity(site), "languages": fingerprints}), encoding="utf-8"
    )
    temporary.replace(path)


class SiteBuilding:
    """The site being built in a process of its own, while this one makes the leaflets.

    The pages need only the names of the leaflet files (their figures are filled in
    afterwards, figures.py), so the site can be built as soon as it is known which files
    there will be; `wait()` returns when it is done, or raises what stopped it.
    """

    def __init__(self, project, staging, catalog, outputs, previous, jobs, say) -> None:
        context = get_context("fork")
        self._messages = ChildMessages(say)
        before_fork()
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_build_in_child,
            args=(send, self._messages, project, staging, catalog, outputs, previous, jobs),
        )
        self._process.start()
        send.close()

    def wait(self) -> LanguagesBuilt:
        try:
            outcome = self._receive.recv()
        except EOFError:
            outcome = ("failed", "the site build stopped without a word (it was killed)")
        self._end()
        if outcome[0] == "failed":
            raise SiteBuildFailed(outcome[1])
        return outcome[1]

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._end()

    def _end(self) -> None:
        self._process.join()
        if self._messages is not None:
            self._messages.close()  # after the child: everything it said is shown
            self._messages = None


class SiteBuildFailed(Exception):
    """The site could not be built; the message is MkDocs' or the plugin's."""


def _build_in_child(send, messages, project, staging, catalog, outputs, previous, jobs) -> None:
    messages.in_child()
    try:
        write_pages(project, catalog, outputs)
        built = build_languages(project, staging, catalog, outputs, previous, jobs, messages.say)
        send.send(("built", built))
    except BaseException as error:  # the parent reports it, as if it happened there
        send.send(("failed", str(error) or type(error).__name__))
    finally:
        send.close()
