"""Commands that build: the site and its leaflets, some leaflets, preflight, check, and the
benchmark."""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

import click

from .shell import (
    CONTEXT,
    catalog_of,
    config_option,
    jobs_option,
    main,
    mkdocs_messages,
    pdf_summary,
    project_of,
    show_progress,
)


@main.command()
@config_option
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' progress messages.")
@click.option(
    "--release", is_flag=True,
    help="For a print run: the print package in release/ (no site), if every leaflet "
    "passes the release gate and preflight.",
)  # fmt: skip
@click.option(
    "-p", "--pamphlet", "pamphlets", multiple=True,
    help="With --release: release this pamphlet only (repeatable).",
)  # fmt: skip
@click.option(
    "-l", "--language", "languages", multiple=True,
    help="With --release: release this language only (repeatable).",
)  # fmt: skip
@click.option("--no-offline", is_flag=True, help="Skip the offline copy (a quicker build).")
@click.option("--no-pdf", is_flag=True, help="Skip the leaflets (the site alone).")
@click.option(
    "--shard", metavar="K/N",
    help="Render only the K-th of N shares of the PDFs (CI runners); no site.",
)  # fmt: skip
@click.option(
    "--assemble", is_flag=True,
    help="After the shards: build the site from their PDFs, rendering none.",
)  # fmt: skip
@jobs_option
def build(config_file, verbose, release, pamphlets, languages, no_offline, no_pdf, shard,
          assemble, jobs) -> None:  # fmt: skip
    """Build everything: every PDF leaflet, the whole site into site/, and an offline copy
    of the site (site/offline-site.zip, opens from a USB stick).

    The build is strict (a broken link fails it) and atomic (a failed build leaves the
    previous site/ as it was). PDFs whose sources did not change are reused.

    With --release, for a print run: no site; the print PDFs, imposed sheets and preflight
    report go to release/, refused (nothing written) unless every chosen leaflet is
    reviewed and up to date, its address is not a placeholder, its facts are checked, its
    print run is recorded, and its files pass preflight.

    Example: pamphlets build --jobs 2
    Example: pamphlets build --release --pamphlet rights-and-duties --language ru
    """
    if (pamphlets or languages) and not release:
        raise click.UsageError("--pamphlet and --language choose leaflets for --release only")
    with mkdocs_messages(verbose):
        if release:
            _release(config_file, set(pamphlets) or None, set(languages) or None, jobs)
            return
        _build(config_file, no_offline, no_pdf, shard, assemble, jobs)


def _release(config_file, pamphlets, languages, jobs) -> None:
    from ..build import build_release

    result = build_release(config_file, jobs, show_progress, pamphlets, languages)
    click.echo(f"Release: {len(result.files)} print files passed preflight, in {result.folder}/:")
    for file in result.files:
        click.echo(f"  {file.file} ({file.pages} pages, body {file.body_pt:g} pt)")
    click.echo("  preflight.txt, preflight.json (the preflight report), release.json")


def _build(config_file, no_offline, no_pdf, shard, assemble, jobs) -> None:
    from ..build import build_shard, build_site

    if shard:
        match = re.fullmatch(r"(\d+)/(\d+)", shard)
        if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise click.BadParameter(f"'{shard}' is not K/N with 1 <= K <= N", param_hint="--shard")
        share = (int(match.group(1)), int(match.group(2)))
        pdfs = build_shard(config_file, share, jobs, show_progress)
        click.echo(pdf_summary(pdfs))
        click.echo(f"Shard {shard}: {len(pdfs.files)} files in .cache/pdf/")
        return
    result = build_site(
        config_file, jobs=jobs, progress=show_progress,
        offline=not no_offline, pdf=not no_pdf, assemble=assemble,
    )  # fmt: skip
    if result.unchanged:
        click.echo("PDFs: 0 rendered; nothing changed since the last build.")
        click.echo(f"Nothing changed since the last build: {result.site_dir}/ is up to date.")
        return
    if result.pdfs:
        click.echo(pdf_summary(result.pdfs))
    if result.offline_zip:
        click.echo(f"Offline copy: {result.offline_zip}")
    click.echo(f"Built {result.pages} pages into {result.site_dir}/")


@main.command()
@config_option
@click.option("-p", "--pamphlet", "pamphlets", multiple=True, help="A pamphlet's slug.")
@click.option("-l", "--language", "languages", multiple=True, help="A language code.")
@click.option(
    "--variant", "variants", multiple=True, type=click.Choice(["screen", "print"]),
    help="screen or print (print includes the imposed sheets).",
)  # fmt: skip
@jobs_option
def pdf(config_file, pamphlets, languages, variants, jobs) -> None:
    """Make the PDFs of some leaflets, without building the site.

    The files land in .cache/pdf/ (the build copies them to site/pdf/).

    Example: pamphlets pdf --pamphlet rights-and-duties --language fa --variant print
    """
    from ..leaflets.pdfs import build_pdfs
    from ..outputs import files_dir

    settings, catalog = catalog_of(config_file)
    result = build_pdfs(
        catalog,
        files_dir(settings),
        settings.pdf.jobs if jobs is None else jobs,
        set(pamphlets) or None,
        set(languages) or None,
        set(variants) or None,
        progress=show_progress,
    )
    for file in result.files:
        click.echo(f"{files_dir(settings) / file.file}  ({file.pages} pages, {file.bytes} bytes)")
    click.echo(pdf_summary(result))
    if result.failed:
        raise click.ClickException(result.failure_report())
    if not result.files:
        raise click.ClickException("no leaflet matches; check --pamphlet and --language")


@main.command()
@config_option
@click.option("-p", "--pamphlet", "pamphlets", multiple=True, help="A pamphlet's slug.")
@click.option("-l", "--language", "languages", multiple=True, help="A language code.")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table",
    show_default=True,
)  # fmt: skip
@jobs_option
def preflight(config_file, pamphlets, languages, output_format, jobs) -> None:
    """Check every print PDF and imposed sheet as a print shop would, and print a table.

    Boxes (trim, bleed), fonts embedded, output intent, PDF/X (version, XMP, Trapped), page
    count, empty pages, images under 300 dpi, colour spaces (no RGB anywhere), text under
    12 pt in 100 % K, ink coverage, transparency, annotations, title and language; and the
    body size each leaflet was set in. Exits non-zero on a failure.

    Example: pamphlets preflight --language fa
    """
    from ..leaflets.preflight_report import check_print_files, format_table, reports_json

    settings, catalog = catalog_of(config_file)
    reports, result = check_print_files(
        catalog, settings.pdf.jobs if jobs is None else jobs,
        set(pamphlets) or None, set(languages) or None,
    )  # fmt: skip
    if result.failed:
        raise click.ClickException(result.failure_report())
    click.echo(reports_json(reports) if output_format == "json" else format_table(reports))
    bad = [report for report in reports if not report.ok]
    if bad:
        raise click.ClickException(f"{len(bad)} of {len(reports)} print files failed preflight")
    if output_format == "table":
        click.echo(f"All {len(reports)} print files passed preflight.")


@main.command()
@config_option
def check(config_file: str) -> None:
    """Validate every pamphlet, fact and interface string, and what the build needs of
    them; write nothing.

    Besides the sources themselves: characters no configured font has, the colour profile,
    every hand-written page in every language, section links (#anchor) against the text a
    reader gets. Lists interface strings still in English, and facts not checked against
    their source for longer than facts_max_age_days (mkdocs.yml), and warns when no content
    licence is set.

    Example: pamphlets check
    """
    from ..checks import (
        docs_page_problems,
        glyph_problems,
        licence_warning,
        profile_problems,
        untranslated_strings,
    )
    from ..content.catalog import load_catalog
    from ..content.facts import stale_facts
    from ..problems import ProblemList

    project = project_of(config_file)
    settings = project.settings
    catalog = load_catalog(settings)
    options = project.config.plugins["pamphlets"].config
    generated = {options.generated_dir, options.ledger_dir, options.downloads_dir,
                 options.status_dir}  # fmt: skip
    problems = ProblemList()
    problems += glyph_problems(catalog)
    problems += profile_problems(catalog)
    problems += docs_page_problems(catalog, Path(project.config.docs_dir), generated)
    problems.raise_if_any()
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
    for warning in untranslated_strings(catalog):
        click.echo(f"Warning: {warning}")
    licence = licence_warning(catalog)  # issue 14
    if licence:
        click.echo(f"Warning: {licence}")






@main.command(context_settings={**CONTEXT, "ignore_unknown_options": True})
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def bench(arguments) -> None:
    """Benchmark builds of synthetic catalogues and print a table (and write JSON).

    It runs the repository's scripts/bench.py (not part of the installed package), with
    the same options: --sizes (pamphlets x languages), --json, --jobs.

    Example: pamphlets bench --sizes 5x5,20x5,50x10
    """
    import importlib.util

    script = Path(__file__).resolve().parent.parent.parent / "bench.py"
    if not script.exists():
        raise click.ClickException(
            "the benchmark is the repository's scripts/bench.py; run it from a checkout"
        )
    spec = importlib.util.spec_from_file_location("pamphlets_bench", script)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    sys.exit(module.main(list(arguments)))
