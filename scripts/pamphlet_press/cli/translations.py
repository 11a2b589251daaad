"""Commands for translators and editors: the status, a translation's round trip (translate,
export, import) and a new pamphlet."""

from __future__ import annotations

from pathlib import Path

import click

from .shell import catalog_of, config_option, language_code, main, pamphlet_named, project_of


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

    from ..content.translation_status import status_matrix, status_table

    _settings, catalog = catalog_of(config_file)
    matrix = status_matrix(catalog)
    if output_format == "json":
        rows = [dict(item.as_dict(), source_changes=item.source_changes) for item in matrix]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    click.echo(status_table(catalog, matrix), nl=False)


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
    from ..content.translation_status import (
        keep_source_version,
        marked_translated,
        new_translation_text,
        translation_status,
    )
    from ..files import write_atomically

    settings, catalog = catalog_of(config_file)
    pamphlet = pamphlet_named(catalog, slug)
    language_code(settings, language)
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
    from ..content.exchange import export_po

    settings, catalog = catalog_of(config_file)
    pamphlet = pamphlet_named(catalog, slug)
    language_code(settings, language)
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
    from ..content.exchange import import_po
    from ..files import write_atomically

    settings, catalog = catalog_of(config_file)
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
    from ..content.scaffold import new_pamphlet

    project = project_of(config_file)
    written = new_pamphlet(project.settings, slug, format_name)
    for path in written:
        click.echo(f"Wrote {project.settings.shown(path)}")
    text = project.settings.shown(written[-1])
    click.echo("Next: write the title, summary and text in " + text + ", then")
    click.echo("  pamphlets check          (the file and line of any problem)")
    click.echo("  mkdocs serve             (preview at http://127.0.0.1:8000/)")
    click.echo(f"and start translations with: pamphlets translate {slug} LANG")
