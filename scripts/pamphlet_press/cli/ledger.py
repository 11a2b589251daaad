"""The print-run ledger's commands (`pamphlets runs ...`): record a run, its delivery and
where its copies went, and report it all."""

from __future__ import annotations

import click

from ..problems import ContentError
from .shell import (
    CONTEXT,
    catalog_of,
    config_option,
    date_option,
    language_code,
    main,
    pamphlet_named,
)

# A print run of more copies than this is a typing mistake (content/ledger.py).
COPIES = click.IntRange(1, 10_000_000)


@main.group(context_settings=CONTEXT)
def runs() -> None:
    """Record print runs and where the copies went (pamphlets/print-runs.yml)."""


def _ledger_file(settings):
    """(the ledger's path, how it is shown, its lock) of a project."""
    path = settings.pamphlets_dir / "print-runs.yml"
    return path, settings.shown(path), settings.cache_dir / "locks" / f"{path.name}.lock"


def _append(config_file: str, key: str, make):
    """Append the record `make(ledger)` under `key` of the ledger; returns it."""
    from ..content.ledger_writer import append_record

    settings, catalog = catalog_of(config_file)
    path, shown, lock = _ledger_file(settings)
    slugs = {pamphlet.slug for pamphlet in catalog.pamphlets}
    try:
        return append_record(
            path, shown, key, make, slugs, settings.language_codes, lock_path=lock,
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
    from ..content.ledger import Run
    from ..content.ledger_writer import next_id

    settings, catalog = catalog_of(config_file)
    date = date_option(date_text)
    chosen = pamphlet_named(catalog, pamphlet, "--pamphlet")
    language_code(settings, language, "--language")

    def make(ledger):
        return Run(
            id=next_id({r.id for r in ledger.runs}, "run", date.year),
            pamphlet=pamphlet,
            language=language,
            edition=edition or chosen.settings.edition.isoformat(),
            quantity=quantity,
            status=status,
            date=date,
            printer=printer,
            funder=funder,
            notes=notes,
        )

    click.echo(_append(config_file, "runs", make).id)


@runs.command("deliver")
@config_option
@click.option("--date", "date_text", help="When it was delivered, YYYY-MM-DD (default: today).")
@click.argument("run_id", metavar="RUN")
def runs_deliver(config_file, date_text, run_id) -> None:
    """Mark a print run delivered (its copies can then be handed out).

    Example: pamphlets runs deliver run-2026-001 --date 2026-12-10
    """
    from ..content.ledger_writer import deliver_run

    settings, catalog = catalog_of(config_file)
    path, shown, lock = _ledger_file(settings)
    slugs = {pamphlet.slug for pamphlet in catalog.pamphlets}
    try:
        run = deliver_run(
            path, shown, run_id, date_option(date_text), slugs, settings.language_codes,
            lock_path=lock, markdown=settings.markdown,
        )  # fmt: skip
    except ContentError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{run.id}: delivered on {run.date}, {run.quantity} copies")


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
    from ..content.ledger import Distribution
    from ..content.ledger_writer import next_id

    date = date_option(date_text)

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
@click.option("--language", help="Only leaflets in this language.")
@click.option(
    "--by", "grouping", default="pamphlet-language", show_default=True,
    type=click.Choice(["pamphlet-language", "pamphlet", "language", "funder", "recipient"]),
    help="How to group the totals.",
)  # fmt: skip
@click.option("--detail", is_flag=True, help="Every run and distribution, not totals.")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table",
    show_default=True,
)  # fmt: skip
def runs_report(config_file, since, until, pamphlet, language, grouping, detail,
                output_format) -> None:  # fmt: skip
    """Copies printed, handed out, in stock and on order, grouped by pamphlet and language
    (or --by pamphlet, language, funder, recipient); or every record (--detail). It shows
    everything, printers, funders and recipients included (the site's page does not).

    With --from/--to, records without a date are left out.

    Example: pamphlets runs report --by funder --from 2026-01-01 --format csv > runs.csv
    """
    from ..content.ledger_report import Period, format_report, grouped, records

    settings, catalog = catalog_of(config_file)
    if pamphlet:
        pamphlet_named(catalog, pamphlet, "--pamphlet")
    if language:
        language_code(settings, language, "--language")
    period = Period(date_option(since) if since else None, date_option(until) if until else None)
    if detail:
        columns, rows = records(catalog.ledger, period, pamphlet, language)
        click.echo(format_report(columns, rows, output_format, totals=False), nl=False)
        return
    columns, rows = grouped(catalog.ledger, grouping, period, pamphlet, language)
    click.echo(format_report(columns, rows, output_format), nl=False)
