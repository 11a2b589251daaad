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

from .build import build_site
from .catalog import load_catalog
from .facts import stale_facts
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


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' progress messages.")
def build(config_file: str, verbose: bool) -> None:
    """Build the whole site into site/.

    The build is strict (a broken link fails it) and atomic (a failed build leaves the
    previous site/ as it was).

    Example: pamphlets build
    """
    from mkdocs.exceptions import MkDocsException

    _show_mkdocs_log(verbose)
    try:
        result = build_site(config_file)
    except ContentError as error:
        raise click.ClickException(f"the pamphlets have problems:\n{error}") from None
    except MkDocsException as error:
        raise click.ClickException(f"the build failed; site/ was left as it was. {error}") from None
    click.echo(f"Built {result.pages} pages into {result.site_dir}/")


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
