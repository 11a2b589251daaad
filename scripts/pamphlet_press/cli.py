"""The `pamphlets` command: a thin shell over the library.

Each command reads mkdocs.yml through `web/project.py` and the pamphlets through the
catalog, calls one library function and prints what it returns. Errors a user can fix
(content problems, a broken mkdocs.yml, a leaflet that does not fit) are turned into a
message and exit code 1 in one place (`PamphletsGroup.invoke`), never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import click

from .problems import ContentError

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _package_version() -> str:
    try:
        return version("pamphlet-press")
    except PackageNotFoundError:
        return "unknown (not installed)"


class PamphletsGroup(click.Group):
    """A click group that reports the library's errors as messages (exit code 1)."""

    def invoke(self, ctx: click.Context):
        from mkdocs.exceptions import MkDocsException

        from .build import BuildFailed
        from .leaflets.render import RenderError
        from .web.project import ProjectError

        try:
            return super().invoke(ctx)
        except ContentError as error:
            raise click.ClickException(f"the pamphlets have problems:\n{error}") from None
        except BuildFailed as error:
            raise click.ClickException(
                f"leaflets failed; site/ was left as it was:\n{error}"
            ) from None
        except (ProjectError, RenderError) as error:
            raise click.ClickException(str(error)) from None
        except MkDocsException as error:
            raise click.ClickException(
                f"the build failed; site/ was left as it was. {error}"
            ) from None


def config_option(command):
    return click.option(
        "-f", "--config-file", default="mkdocs.yml", show_default=True,
        help="The project's mkdocs.yml.",
    )(command)  # fmt: skip


def jobs_option(command):
    return click.option(
        "-j", "--jobs", type=int, default=None,
        help="Processes rendering PDFs (default: all cores).",
    )(command)  # fmt: skip


def _project(config_file: str, **overrides):
    from .web.project import load_project

    return load_project(config_file, **overrides)


def _catalog(config_file: str):
    from .content.catalog import load_catalog

    project = _project(config_file)
    return project.settings, load_catalog(project.settings)


@contextlib.contextmanager
def _mkdocs_messages(verbose: bool):
    """Show MkDocs' messages on stderr while the block runs, as `mkdocs build` does: it
    reports broken links and content problems through its logger."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _progress(done: int, total: int, message: str) -> None:
    """Progress on stderr: "[3/40] rendered ..." for counted work, else the message."""
    click.echo(f"[{done}/{total}] {message}" if total else message, err=True)


def _summary(pdfs) -> str:
    return (
        f"PDFs: {pdfs.rendered} rendered, {pdfs.reused} reused, {len(pdfs.failed)} failed "
        f"({pdfs.seconds:.1f} s)"
    )


@click.group(cls=PamphletsGroup, context_settings=CONTEXT)
@click.version_option(_package_version(), "-V", "--version", prog_name="pamphlets")
def main() -> None:
    """Build the multilingual rights website and its leaflets from pamphlets/."""
    # Material prints an end-of-life banner on every run; the team knows (see DESIGN.md).
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


# ------------------------------------------------------------------ building


@main.command()
@config_option
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
@jobs_option
def build(config_file, verbose, release, no_offline, no_pdf, shard, assemble, jobs) -> None:
    """Build everything: every PDF leaflet, the whole site into site/, and an offline copy
    of the site (site/offline-site.zip, opens from a USB stick).

    The build is strict (a broken link fails it) and atomic (a failed build leaves the
    previous site/ as it was). PDFs whose sources did not change are reused.

    Example: pamphlets build --jobs 2
    """

    with _mkdocs_messages(verbose):
        _build(config_file, release, no_offline, no_pdf, shard, assemble, jobs)


def _build(config_file, release, no_offline, no_pdf, shard, assemble, jobs) -> None:
    from .build import build_shard, build_site

    if shard:
        match = re.fullmatch(r"(\d+)/(\d+)", shard)
        if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise click.BadParameter(f"'{shard}' is not K/N with 1 <= K <= N", param_hint="--shard")
        pdfs = build_shard(config_file, (int(match.group(1)), int(match.group(2))), jobs, _progress)
        click.echo(_summary(pdfs))
        click.echo(f"Shard {shard}: {len(pdfs.files)} files in .cache/pdf/")
        return
    result = build_site(
        config_file, jobs=jobs, progress=_progress, release=release,
        offline=not no_offline, pdf=not no_pdf, assemble=assemble,
    )  # fmt: skip
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
    from .leaflets.pdfs import build_pdfs
    from .outputs import files_dir

    settings, catalog = _catalog(config_file)
    result = build_pdfs(
        catalog,
        files_dir(settings),
        settings.pdf.jobs if jobs is None else jobs,
        set(pamphlets) or None,
        set(languages) or None,
        set(variants) or None,
        progress=_progress,
    )
    for file in result.files:
        click.echo(f"{files_dir(settings) / file.file}  ({file.pages} pages, {file.bytes} bytes)")
    click.echo(_summary(result))
    if result.failed:
        raise click.ClickException("\n".join(result.failed))
    if not result.files:
        raise click.ClickException("no leaflet matches; check --pamphlet and --language")


@main.command()
@config_option
@click.option("-p", "--pamphlet", "pamphlets", multiple=True, help="A pamphlet's slug.")
@click.option("-l", "--language", "languages", multiple=True, help="A language code.")
@jobs_option
def preflight(config_file, pamphlets, languages, jobs) -> None:
    """Check every print PDF as a print shop would, and print a table.

    Boxes (trim, bleed), fonts embedded, output intent, page count against the binding,
    images under 300 dpi, RGB text, title and language. Exits non-zero on a failure.

    Example: pamphlets preflight --language fa
    """
    from .leaflets.preflight import check_print_files, format_table

    settings, catalog = _catalog(config_file)
    reports, failed = check_print_files(
        catalog, settings.pdf.jobs if jobs is None else jobs,
        set(pamphlets) or None, set(languages) or None,
    )  # fmt: skip
    if failed:
        raise click.ClickException("\n".join(failed))
    click.echo(format_table(reports))
    bad = [report for report in reports if not report.ok]
    if bad:
        raise click.ClickException(f"{len(bad)} of {len(reports)} print PDFs failed preflight")
    click.echo(f"All {len(reports)} print PDFs passed preflight.")


@main.command()
@config_option
def check(config_file: str) -> None:
    """Validate every pamphlet, fact and interface string; write nothing.

    Also lists facts not checked against their source for longer than
    facts_max_age_days (mkdocs.yml), so that they are checked before a print run.

    Example: pamphlets check
    """
    from .content.facts import stale_facts

    settings, catalog = _catalog(config_file)
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


@main.group(context_settings=CONTEXT)
def runs() -> None:
    """Record print runs and where the copies went (pamphlets/print-runs.yml)."""


def _date(value: str | None) -> datetime.date:
    if value is None:
        return datetime.date.today()
    # fromisoformat alone also takes 2026-W01, 20261201 and 2026-12-01T10:00.
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise click.BadParameter(f"'{value}' is not a date written as YYYY-MM-DD")


# A print run of more copies than this is a typing mistake (content/ledger.py).
COPIES = click.IntRange(1, 10_000_000)


def _append(config_file: str, key: str, make):
    """Append the record `make(ledger)` under `key` of the ledger; returns it."""
    from .content.ledger import append_record

    settings, catalog = _catalog(config_file)
    path = settings.pamphlets_dir / "print-runs.yml"
    slugs = {pamphlet.slug for pamphlet in catalog.pamphlets}
    try:
        return append_record(
            path, settings.shown(path), key, make, slugs, settings.language_codes,
            lock_path=settings.cache_dir / "locks" / f"{path.name}.lock",
            markdown=settings.markdown,
        )  # fmt: skip
    except ContentError as error:
        raise click.ClickException(f"nothing was written:\n{error}") from None


@runs.command("add")
@config_option
@click.option("--pamphlet", required=True, help="The pamphlet's folder name.")
@click.option("--language", required=True, help="The language code of the leaflet printed.")
@click.option("--quantity", required=True, type=COPIES, help="Copies.")
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
    from .content.ledger import Run, next_id

    _settings, catalog = _catalog(config_file)
    date = _date(date_text)
    editions = {p.slug: p.settings.edition.isoformat() for p in catalog.pamphlets}
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
            edition=edition or editions[pamphlet],
            quantity=quantity,
            status=status,
            date=date,
            printer=printer,
            funder=funder,
            notes=notes,
        )

    click.echo(_append(config_file, "runs", make).id)


@runs.command("distribute")
@config_option
@click.option("--run", "run_id", required=True, help="The id of a delivered run.")
@click.option("--quantity", required=True, type=COPIES, help="Copies handed out.")
@click.option("--to", "recipient", required=True, help="The organisation or event.")
@click.option("--date", "date_text", help="YYYY-MM-DD (default: today).")
@click.option("--notes", help="Anything else worth knowing.")
def runs_distribute(config_file, run_id, quantity, recipient, date_text, notes) -> None:
    """Record copies of a run handed out; prints the record's id.

    Example: pamphlets runs distribute --run run-2026-001 --quantity 200
    --to "Migrants' Day workshop, Baku Youth Center" --date 2026-12-18
    """
    from .content.ledger import Distribution, next_id

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

    click.echo(_append(config_file, "distributions", make).id)


@runs.command("report")
@config_option
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
    from .content.ledger import report, report_totals, row_dict
    from .content.ledger_report import format_report

    _settings, catalog = _catalog(config_file)
    rows = report(
        catalog.ledger,
        _date(since) if since else None,
        _date(until) if until else None,
        pamphlet,
    )
    click.echo(format_report(rows, report_totals(rows), output_format, row_dict), nl=False)


# ------------------------------------------------------------------ translations


@main.command()
@config_option
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

    from .content.translation_status import status_matrix, status_table

    _settings, catalog = _catalog(config_file)
    matrix = status_matrix(catalog)
    if output_format == "json":
        rows = [dict(item.as_dict(), source_changes=item.source_changes) for item in matrix]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    click.echo(status_table(catalog, matrix), nl=False)


def _pamphlet(catalog, slug: str):
    pamphlet = next((p for p in catalog.pamphlets if p.slug == slug), None)
    if pamphlet is None:
        names = [p.slug for p in catalog.pamphlets]
        raise click.BadParameter(
            f"there is no pamphlet '{slug}'{_did_you_mean(slug, names)} "
            f"(there are: {', '.join(names)})", param_hint="SLUG",
        )  # fmt: skip
    return pamphlet


def _language(settings, language: str) -> str:
    codes = settings.language_codes
    if language not in codes:
        raise click.BadParameter(
            f"'{language}' is not a language of this site{_did_you_mean(language, codes)} "
            f"({', '.join(codes)}); add it to plugins.i18n.languages in mkdocs.yml first",
            param_hint="LANGUAGE",
        )
    return language


def _did_you_mean(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


@main.command()
@config_option
@click.option(
    "--done", is_flag=True,
    help="The translation is done: record the source version it follows (and publish a stub).",
)  # fmt: skip
@click.argument("slug")
@click.argument("language")
def translate(config_file: str, done: bool, slug: str, language: str) -> None:
    """Start, finish or update a translation.

    A missing translation: writes pamphlets/SLUG/LANGUAGE.md, a stub holding the source
    text to translate (status: untranslated: not published; readers get the fallback). An
    outdated one: prints what changed in the source since it was translated. With --done:
    records the source version the translation now follows (translated_from) and turns a
    stub into a draft, which is published.

    Example: pamphlets translate work-permit-and-residence uk
    """
    from .content.translation_status import (
        keep_source_version,
        marked_translated,
        new_translation_text,
        translation_status,
    )
    from .files import write_atomically

    settings, catalog = _catalog(config_file)
    pamphlet = _pamphlet(catalog, slug)
    _language(settings, language)
    source = pamphlet.translations[pamphlet.settings.source_language]
    item = translation_status(catalog, pamphlet, language)
    path = settings.pamphlets_dir / slug / f"{language}.md"
    shown = settings.shown(path)
    if done:
        if item.state == "missing" or item.is_source:
            raise click.ClickException(
                f"{shown} is {'the source text' if item.is_source else 'missing'}: there is "
                "no translation to mark as done"
            )
        text = marked_translated(path.read_text(encoding="utf-8"), source.version)
        write_atomically(path, text)
        keep_source_version(catalog, source)
        state = "draft (published)" if item.state == "untranslated" else item.review
        click.echo(f"{shown} now follows {source.path} version {source.version}; it is {state}.")
        return
    if item.state == "missing":
        write_atomically(path, new_translation_text(pamphlet, language))
        keep_source_version(catalog, source)
        click.echo(f"Wrote {shown} ({item.words} words to translate). It is not published until")
        click.echo("it is done: translate its title, summary and text, then run")
        click.echo(f"  pamphlets translate --done {slug} {language}")
        click.echo(f"or send it to a translation tool: pamphlets export {slug} {language}")
    elif item.state == "untranslated":
        click.echo(f"{shown} waits for its translator ({item.words} words); when it is done:")
        click.echo(f"  pamphlets translate --done {slug} {language}")
    elif item.state == "outdated":
        click.echo(f"{shown} is outdated: {item.reason}.")
        if item.source_changes:
            click.echo("What changed in the source since it was translated:\n")
            click.echo(item.source_changes)
        click.echo(f"When the translation follows it: pamphlets translate --done {slug} {language}")
    else:
        click.echo(f"{shown} is up to date with its source ({item.state}).")


@main.command("export")
@config_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Where to write the PO file.")
@click.argument("slug")
@click.argument("language")
def export_command(config_file: str, output: str | None, slug: str, language: str) -> None:
    """Export a pamphlet's text for a translation tool (Weblate, Poedit, OmegaT): a PO file
    with one entry per segment, the current translation filled in.

    Example: pamphlets export rights-and-duties uk -o rights-and-duties-uk.po
    """
    from .content.exchange import export_po

    settings, catalog = _catalog(config_file)
    pamphlet = _pamphlet(catalog, slug)
    _language(settings, language)
    if language == pamphlet.settings.source_language:
        raise click.ClickException(f"'{language}' is the source language of '{slug}'")
    po = export_po(catalog, pamphlet, language)
    target = Path(output or f"{slug}-{language}.po")
    po.save(str(target))
    missing = sum(1 for entry in po if not entry.msgstr)
    click.echo(f"Wrote {target}: {len(po)} entries, {missing} to translate, "
               f"{len(po.fuzzy_entries())} to check (the source changed).")  # fmt: skip


@main.command("import")
@config_option
@click.argument("po_file", type=click.Path(exists=True, dir_okay=False))
def import_command(config_file: str, po_file: str) -> None:
    """Write a translation back from a PO file made by `pamphlets export`, with its front
    matter and fact references intact.

    Example: pamphlets import rights-and-duties-uk.po
    """
    from .content.exchange import import_po
    from .files import write_atomically

    settings, catalog = _catalog(config_file)
    target, text, notes = import_po(catalog, Path(po_file), po_file)
    write_atomically(target, text)
    click.echo(f"Wrote {settings.shown(target)}: " + "; ".join(notes) + ".")


@main.command("new")
@config_option
@click.option("--format", "format_name", default="a5-booklet", show_default=True,
              help="The leaflet format (see the README, 'Leaflet formats').")  # fmt: skip
@click.argument("slug")
def new_command(config_file: str, format_name: str, slug: str) -> None:
    """Start a new pamphlet: pamphlets/SLUG/pamphlet.yml and its text in the site's default
    language, with the front matter filled in.

    Example: pamphlets new housing-rights
    """
    from .content.scaffold import new_pamphlet

    project = _project(config_file)
    written = new_pamphlet(project.settings, slug, format_name)
    for path in written:
        click.echo(f"Wrote {project.settings.shown(path)}")
    text = project.settings.shown(written[-1])
    click.echo("Next: write the title, summary and text in " + text + ", then")
    click.echo("  pamphlets check          (the file and line of any problem)")
    click.echo("  mkdocs serve             (preview at http://127.0.0.1:8000/)")
    click.echo(f"and start translations with: pamphlets translate {slug} LANG")


# ------------------------------------------------------------------ the benchmark


@main.command(context_settings={**CONTEXT, "ignore_unknown_options": True})
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def bench(arguments) -> None:
    """Benchmark builds of synthetic catalogues and print a table (and write JSON).

    It runs the repository's scripts/bench.py (not part of the installed package), with
    the same options: --sizes (pamphlets x languages), --json, --jobs.

    Example: pamphlets bench --sizes 5x5,20x5,50x10
    """
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "bench.py"
    if not script.exists():
        raise click.ClickException(
            "the benchmark is the repository's scripts/bench.py; run it from a checkout"
        )
    spec = importlib.util.spec_from_file_location("pamphlets_bench", script)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    sys.exit(module.main(list(arguments)))
