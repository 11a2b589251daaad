"""The `pamphlets` command: a thin layer over the library.

pamphlets build      build the whole site into site/ (atomically)
pamphlets check      validate every source, write nothing
"""

from __future__ import annotations

import datetime
import logging
import os
import sys

import click

from .build import BuildFailed, build_site
from .catalog import load_catalog
from .facts import stale_facts
from .pdf_build import PdfBuildResult, build_pdfs
from .problems import ContentError


def _show_mkdocs_log(verbose: bool) -> None:
    # MkDocs reports broken links and content problems through its logger; a user of this
    # command must see them, as they would under `mkdocs build`.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


def _quiet_banners() -> None:
    # Material prints an end-of-life banner on every run; the team knows (see DESIGN.md).
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@click.group()
def main() -> None:
    """Build the multilingual rights website (and its leaflets) from pamphlets/."""
    _quiet_banners()


def _progress(done: int, total: int, message: str) -> None:
    click.echo(f"[{done}/{total}] {message}", err=True)


def _summary(pdfs: PdfBuildResult) -> str:
    return (
        f"PDFs: {pdfs.rendered} rendered, {pdfs.reused} reused, {len(pdfs.failed)} failed "
        f"({pdfs.seconds:.1f} s)"
    )


JOBS = click.option(
    "-j", "--jobs", type=int, default=None, help="Processes rendering PDFs (default: all cores)."
)


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' progress messages.")
@JOBS
def build(config_file: str, verbose: bool, jobs: int | None) -> None:
    """Build everything: every PDF leaflet, then the whole site into site/.

    The build is strict (a broken link fails it) and atomic (a failed build leaves the
    previous site/ as it was). PDFs whose sources did not change are reused.

    Example: pamphlets build --jobs 2
    """
    from mkdocs.exceptions import MkDocsException

    _show_mkdocs_log(verbose)
    try:
        result = build_site(config_file, jobs=jobs, progress=_progress)
    except ContentError as error:
        raise click.ClickException(f"the pamphlets have problems:\n{error}") from None
    except BuildFailed as error:
        raise click.ClickException(f"leaflets failed; site/ was left as it was:\n{error}") from None
    except MkDocsException as error:
        raise click.ClickException(f"the build failed; site/ was left as it was. {error}") from None
    if result.pdfs:
        click.echo(_summary(result.pdfs))
    click.echo(f"Built {result.pages} pages into {result.site_dir}/")


def _load(config_file: str):
    from mkdocs.exceptions import MkDocsException

    from .plugin import load_project

    try:
        _config, settings = load_project(config_file)
        return settings, load_catalog(settings)
    except ContentError as error:
        raise click.ClickException(f"the pamphlets have problems:\n{error}") from None
    except MkDocsException as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
@click.option("-p", "--pamphlet", "pamphlets", multiple=True, help="A pamphlet's slug.")
@click.option("-l", "--language", "languages", multiple=True, help="A language code.")
@click.option(
    "--variant", "variants", multiple=True, type=click.Choice(["screen", "print"]),
    help="screen or print (print includes the imposed sheets).",
)  # fmt: skip
@JOBS
def pdf(config_file, pamphlets, languages, variants, jobs) -> None:
    """Make the PDFs of some leaflets, without building the site.

    The files land in .cache/pdf/ (the build copies them to site/pdf/).

    Example: pamphlets pdf --pamphlet rights-and-duties --language fa --variant print
    """
    from .plugin import pdf_cache_dir

    settings, catalog = _load(config_file)
    result = build_pdfs(
        catalog,
        pdf_cache_dir(settings),
        settings.pdf.jobs if jobs is None else jobs,
        set(pamphlets) or None,
        set(languages) or None,
        set(variants) or None,
        progress=_progress,
    )
    for file in result.files:
        click.echo(
            f"{pdf_cache_dir(settings) / file.file}  ({file.pages} pages, {file.bytes} bytes)"
        )
    click.echo(_summary(result))
    if result.failed:
        raise click.ClickException("\n".join(result.failed))
    if not result.files:
        raise click.ClickException("no leaflet matches; check --pamphlet and --language")


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
@click.option("-p", "--pamphlet", "pamphlets", multiple=True, help="A pamphlet's slug.")
@click.option("-l", "--language", "languages", multiple=True, help="A language code.")
@JOBS
def preflight(config_file, pamphlets, languages, jobs) -> None:
    """Check every print PDF as a print shop would, and print a table.

    Boxes (trim, bleed), fonts embedded, output intent, page count against the binding,
    images under 300 dpi, RGB text, title and language. Exits non-zero on a failure.

    Example: pamphlets preflight --language fa
    """
    from .plugin import pdf_cache_dir
    from .preflight import format_table
    from .preflight import preflight as check_pdf

    settings, catalog = _load(config_file)
    result = build_pdfs(
        catalog,
        pdf_cache_dir(settings),
        settings.pdf.jobs if jobs is None else jobs,
        set(pamphlets) or None,
        set(languages) or None,
        {"print"},
    )
    if result.failed:
        raise click.ClickException("\n".join(result.failed))
    reports = [
        check_pdf(pdf_cache_dir(settings) / file.file, file.format)  # type: ignore[arg-type]
        for file in result.files
        if file.variant == "print"
    ]
    click.echo(format_table(reports))
    failed = [report for report in reports if not report.ok]
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(reports)} print PDFs failed preflight")
    click.echo(f"All {len(reports)} print PDFs passed preflight.")


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
def check(config_file: str) -> None:
    """Validate every pamphlet, fact and interface string; write nothing.

    Also lists facts not checked against their source for longer than
    facts_max_age_days (mkdocs.yml), so that they are checked before a print run.

    Example: pamphlets check
    """
    from mkdocs.exceptions import MkDocsException

    from .plugin import load_project

    try:
        _config, settings = load_project(config_file)
        catalog = load_catalog(settings)
    except ContentError as error:
        raise click.ClickException(f"the pamphlets have problems:\n{error}") from None
    except MkDocsException as error:
        raise click.ClickException(str(error)) from None
    translations = sum(len(pamphlet.translations) for pamphlet in catalog.pamphlets)
    click.echo(
        f"OK: {len(catalog.pamphlets)} pamphlets, {translations} translations, "
        f"{len(catalog.facts)} facts, {len(settings.languages)} languages"
    )
    stale = stale_facts(catalog.facts, datetime.date.today(), settings.facts_max_age_days)
    if stale:
        click.echo(
            f"{len(stale)} facts were last checked more than {settings.facts_max_age_days} days "
            "ago; check them against their source and update verified_on in pamphlets/facts.yml:"
        )
        for name, fact, age in stale:
            click.echo(
                f"  {name}: {fact.value} (checked {fact.verified_on}, {age} days ago) {fact.source}"
            )
