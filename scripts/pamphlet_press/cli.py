"""The `pamphlets` command: a thin layer over the library.

pamphlets build      build the whole site into site/ (atomically)
pamphlets check      validate every source, write nothing
"""

from __future__ import annotations

import datetime
import logging
import os
import re
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
@click.option(
    "--release", is_flag=True,
    help="For a print run: print PDFs only of reviewed, up-to-date texts.",
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
@JOBS
def build(config_file, verbose, release, no_offline, no_pdf, shard, assemble, jobs) -> None:
    """Build everything: every PDF leaflet, the whole site into site/, and an offline copy
    of the site (site/offline-site.zip, opens from a USB stick).

    The build is strict (a broken link fails it) and atomic (a failed build leaves the
    previous site/ as it was). PDFs whose sources did not change are reused.

    Example: pamphlets build --jobs 2
    """
    from mkdocs.exceptions import MkDocsException

    _show_mkdocs_log(verbose)
    if shard:
        _build_shard(config_file, shard, jobs)
        return
    try:
        result = build_site(
            config_file,
            jobs=jobs,
            progress=_progress,
            release=release,
            offline=not no_offline,
            pdf=not no_pdf,
            assemble=assemble,
        )
    except ContentError as error:
        raise click.ClickException(f"the pamphlets have problems:\n{error}") from None
    except BuildFailed as error:
        raise click.ClickException(f"leaflets failed; site/ was left as it was:\n{error}") from None
    except MkDocsException as error:
        raise click.ClickException(f"the build failed; site/ was left as it was. {error}") from None
    if result.unchanged:
        click.echo("PDFs: 0 rendered; nothing changed since the last build.")
        click.echo(f"Nothing changed since the last build: {result.site_dir}/ is up to date.")
        return
    if result.pdfs:
        click.echo(_summary(result.pdfs))
        if release:
            held = result.pdfs.held_back
            click.echo(f"Release: {len(held)} print PDFs held back (only reviewed, up-to-date "
                       "texts are printed):")  # fmt: skip
            for line in held:
                click.echo(f"  {line}")
    if result.offline_zip:
        click.echo(f"Offline copy: {result.offline_zip}")
    click.echo(f"Built {result.pages} pages into {result.site_dir}/")


def _build_shard(config_file: str, shard: str, jobs: int | None) -> None:
    from .build import build_shard

    match = re.fullmatch(r"(\d+)/(\d+)", shard)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise click.BadParameter(f"'{shard}' is not K/N with 1 <= K <= N", param_hint="--shard")
    try:
        result = build_shard(
            config_file, (int(match.group(1)), int(match.group(2))), jobs, _progress
        )
    except ContentError as error:
        raise click.ClickException(f"the pamphlets have problems:\n{error}") from None
    except BuildFailed as error:
        raise click.ClickException(f"leaflets failed:\n{error}") from None
    click.echo(_summary(result))
    click.echo(f"Shard {shard}: {len(result.files)} files in .cache/pdf/")


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


# ------------------------------------------------------------------ the print-run ledger


@main.group()
def runs() -> None:
    """Record print runs and where the copies went (pamphlets/print-runs.yml)."""


def _ledger_context(config_file: str):
    """The ledger's path, and the pamphlets and languages records may name."""
    import yaml
    from mkdocs.exceptions import MkDocsException

    from .plugin import load_project

    try:
        _config, settings = load_project(config_file)
    except MkDocsException as error:
        raise click.ClickException(str(error)) from None
    editions = {}
    for path in sorted(settings.pamphlets_dir.glob("*/pamphlet.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        editions[path.parent.name] = str(data.get("edition", ""))
    ledger_path = settings.pamphlets_dir / "print-runs.yml"
    return settings, ledger_path, settings.shown(ledger_path), editions


def _date(value: str | None) -> datetime.date:
    if value is None:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date written as YYYY-MM-DD") from None


def _append(ledger_path, shown, key, make, editions, settings):
    from .ledger import append_record

    try:
        return append_record(ledger_path, shown, key, make, set(editions), settings.language_codes)
    except ContentError as error:
        raise click.ClickException(f"nothing was written:\n{error}") from None


@runs.command("add")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
@click.option("--pamphlet", required=True, help="The pamphlet's folder name.")
@click.option("--language", required=True, help="The language code of the leaflet printed.")
@click.option("--quantity", required=True, type=int, help="Copies.")
@click.option("--date", "date_text", help="YYYY-MM-DD (default: today).")
@click.option("--printer", help="The print shop.")
@click.option(
    "--status", type=click.Choice(["planned", "ordered", "delivered"]), default="planned",
    show_default=True,
)  # fmt: skip
@click.option("--edition", help="Which version of the text (default: the pamphlet's edition).")
@click.option("--funder", help="The funder or grant.")
@click.option("--notes", help="Anything else worth knowing.")
def runs_add(config_file, pamphlet, language, quantity, date_text, printer, status, edition,
             funder, notes) -> None:  # fmt: skip
    """Record a print run; prints its id.

    Example: pamphlets runs add --pamphlet rights-and-duties --language ru --quantity 1000
    --status ordered --printer "Print shop" --funder "Grant 2027"
    """
    from .ledger import Run, next_id

    settings, ledger_path, shown, editions = _ledger_context(config_file)
    date = _date(date_text)
    if pamphlet not in editions:
        raise click.BadParameter(
            f"there is no pamphlet '{pamphlet}' (there are: {', '.join(editions)})",
            param_hint="--pamphlet",
        )

    def make(ledger):
        return Run(
            id=next_id({r.id for r in ledger.runs}, "run", date.year),
            pamphlet=pamphlet,
            language=language,
            edition=edition or editions.get(pamphlet, ""),
            quantity=quantity,
            status=status,
            date=date,
            printer=printer,
            funder=funder,
            notes=notes,
        )

    record = _append(ledger_path, shown, "runs", make, editions, settings)
    click.echo(record.id)


@runs.command("distribute")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
@click.option("--run", "run_id", required=True, help="The id of a delivered run.")
@click.option("--quantity", required=True, type=int, help="Copies handed out.")
@click.option("--to", "recipient", required=True, help="The organisation or event.")
@click.option("--date", "date_text", help="YYYY-MM-DD (default: today).")
@click.option("--notes", help="Anything else worth knowing.")
def runs_distribute(config_file, run_id, quantity, recipient, date_text, notes) -> None:
    """Record copies of a run handed out; prints the record's id.

    Example: pamphlets runs distribute --run run-2026-001 --quantity 200
    --to "Migrants' Day workshop, Baku Youth Center" --date 2026-12-18
    """
    from .ledger import Distribution, next_id

    settings, ledger_path, shown, editions = _ledger_context(config_file)
    date = _date(date_text)

    def make(ledger):
        return Distribution(
            id=next_id({d.id for d in ledger.distributions}, "dist", date.year),
            run=run_id,
            quantity=quantity,
            recipient=recipient,
            date=date,
            notes=notes,
        )

    record = _append(ledger_path, shown, "distributions", make, editions, settings)
    click.echo(record.id)


@runs.command("report")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
@click.option("--from", "since", help="Only runs and distributions on or after YYYY-MM-DD.")
@click.option("--to", "until", help="Only runs and distributions on or before YYYY-MM-DD.")
@click.option("--pamphlet", help="Only this pamphlet.")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table",
    show_default=True,
)  # fmt: skip
def runs_report(config_file, since, until, pamphlet, output_format) -> None:
    """Per pamphlet and language: copies printed, distributed, in stock, on order.

    With --from/--to, records without a date are left out.

    Example: pamphlets runs report --from 2026-01-01 --format csv > runs.csv
    """
    from .ledger import report, report_totals, row_dict
    from .reports import format_report

    _settings, catalog = _load(config_file)
    rows = report(
        catalog.ledger,
        _date(since) if since else None,
        _date(until) if until else None,
        pamphlet,
    )
    click.echo(format_report(rows, report_totals(rows), output_format, row_dict), nl=False)


# ------------------------------------------------------------------ translations


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table",
    show_default=True,
)  # fmt: skip
def status(config_file: str, output_format: str) -> None:
    """The translation status: pamphlet x language, missing, draft, reviewed or outdated.

    For an outdated translation: since when, and what changed in the source (--format json
    includes the diff; `pamphlets translate SLUG LANG` prints it).

    Example: pamphlets status --format json
    """
    import json

    from .status import status_matrix

    settings, catalog = _load(config_file)
    matrix = status_matrix(catalog)
    if output_format == "json":
        rows = [dict(item.as_dict(), source_changes=item.source_changes) for item in matrix]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    codes = settings.language_codes
    width = max(len(pamphlet.slug) for pamphlet in catalog.pamphlets)
    click.echo("pamphlet".ljust(width) + "  " + "  ".join(code.ljust(22) for code in codes))
    for pamphlet in catalog.pamphlets:
        cells = []
        for code in codes:
            item = next(s for s in matrix if s.pamphlet == pamphlet.slug and s.language == code)
            text = item.state + (" (source)" if item.is_source else "")
            if item.state == "outdated":
                text += f" {item.outdated_since or '?'}"
            cells.append(text.ljust(22))
        click.echo(pamphlet.slug.ljust(width) + "  " + "  ".join(cells))
    outdated = [item for item in matrix if item.state == "outdated"]
    if outdated:
        click.echo("\nOutdated translations (see `pamphlets translate SLUG LANG`):")
        for item in outdated:
            click.echo(f"  {item.pamphlet} ({item.language}): {item.reason}")


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
@click.argument("slug")
@click.argument("language")
def translate(config_file: str, slug: str, language: str) -> None:
    """Start or update a translation.

    A missing translation: writes pamphlets/SLUG/LANGUAGE.md holding the source text to
    translate, with its front matter filled in (status: draft, translated_from). An
    outdated one: prints what changed in the source since it was translated.

    Example: pamphlets translate work-permit-and-residence uk
    """
    from .files import write_atomically
    from .status import new_translation_text, translation_status

    settings, catalog = _load(config_file)
    pamphlet = next((p for p in catalog.pamphlets if p.slug == slug), None)
    if pamphlet is None:
        names = ", ".join(p.slug for p in catalog.pamphlets)
        raise click.ClickException(f"there is no pamphlet '{slug}' (there are: {names})")
    if language not in settings.language_codes:
        raise click.ClickException(
            f"'{language}' is not a language of this site ({', '.join(settings.language_codes)});"
            " add it to plugins.i18n.languages in mkdocs.yml first"
        )
    item = translation_status(catalog, pamphlet, language)
    path = settings.pamphlets_dir / slug / f"{language}.md"
    if item.state == "missing":
        write_atomically(path, new_translation_text(pamphlet, language))
        click.echo(f"Wrote {settings.shown(path)}: translate its title, summary and text, then")
        click.echo("check it with `pamphlets check` and preview it with `mkdocs serve`.")
    elif item.state == "outdated":
        click.echo(f"{settings.shown(path)} is outdated: {item.reason}.")
        if item.source_changes:
            click.echo("What changed in the source since it was translated:\n")
            click.echo(item.source_changes)
        source = pamphlet.translations[pamphlet.settings.source_language]
        click.echo(f"When the translation follows it, set translated_from: {source.version}")
    else:
        click.echo(f"{settings.shown(path)} is up to date with its source ({item.state}).")


@main.command()
@click.option(
    "--sizes",
    default="5x5,20x5",
    show_default=True,
    help="Catalogue sizes, pamphlets x languages (up to 10 languages), e.g. 50x10.",
)
@click.option(
    "--json",
    "json_path",
    default="bench.json",
    show_default=True,
    help="Where to write the figures.",
)
@JOBS
def bench(sizes: str, json_path: str, jobs: int | None) -> None:  # fmt: skip
    """Benchmark builds of synthetic catalogues and print a table (and write JSON).

    Full build with one worker and all cores, no-op and one-edit rebuilds, the site alone,
    time per PDF, time outside WeasyPrint, a plain WeasyPrint loop as baseline, peak
    memory, page weight; and whether each target is met, or by how much it is missed.

    Example: pamphlets bench --sizes 5x5,20x5,50x10
    """
    import json
    from dataclasses import asdict
    from pathlib import Path

    from .bench import format_table, measure, verdicts

    parsed = []
    for size in sizes.split(","):
        match = re.fullmatch(r"(\d+)x(\d+)", size.strip())
        if not match or not 1 <= int(match.group(2)) <= 10:
            raise click.BadParameter(
                f"'{size}' is not NxL with L from 1 to 10", param_hint="--sizes"
            )
        parsed.append((int(match.group(1)), int(match.group(2))))
    workers = jobs or os.cpu_count() or 1
    results = []
    for pamphlets, languages in parsed:
        click.echo(f"Measuring {pamphlets} pamphlets x {languages} languages ...", err=True)
        results.append(
            measure(pamphlets, languages, workers, log=lambda m: click.echo(m, err=True))
        )
    click.echo(format_table(results))
    data = [dict(asdict(r), targets=verdicts(r.figures, (r.pamphlets, r.languages)))
            for r in results]  # fmt: skip
    Path(json_path).write_text(json.dumps({"cores": workers, "sizes": data}, indent=1) + "\n")
    click.echo(f"Figures written to {json_path}")
