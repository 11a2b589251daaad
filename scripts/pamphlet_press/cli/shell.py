"""The `pamphlets` command: a thin shell over the library (this module: the group, the
options every command shares, and the one place that turns errors into messages).

Each command reads mkdocs.yml through `web/project.py` and the pamphlets through the
catalog, calls one library function and prints what it returns. Errors a user can fix
(content problems, a broken mkdocs.yml, a leaflet that does not fit) are turned into a
message and exit code 1 in one place (`PamphletsGroup.invoke`), never a traceback.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import gc
import logging
import os
import re
import sys
from importlib.metadata import PackageNotFoundError, version

import click

from ..problems import ContentError, did_you_mean

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

        from ..build import BuildFailed, ReleaseRefused
        from ..leaflets.render import RenderError
        from ..web.project import ProjectError
        from ..web.site_build import SiteBuildFailed

        try:
            return super().invoke(ctx)
        except ContentError as error:
            raise click.ClickException(f"the pamphlets have problems:\n{error}") from None
        except BuildFailed as error:
            raise click.ClickException(
                f"leaflets failed; site/ was left as it was:\n{error}"
            ) from None
        except ReleaseRefused as error:
            raise click.ClickException(str(error)) from None
        except (ProjectError, RenderError) as error:
            raise click.ClickException(str(error)) from None
        except (MkDocsException, SiteBuildFailed) as error:
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
        help="Processes at work at once: PDFs, and the site's languages (default: all "
        "cores; 1: everything in turn, in one process).",
    )(command)  # fmt: skip


def project_of(config_file: str, **overrides):
    """mkdocs.yml and the settings read from it (web/project.py)."""
    from ..web.project import load_project

    return load_project(config_file, **overrides)


def catalog_of(config_file: str):
    """(the project's settings, its catalog): every source read and checked."""
    from ..content.catalog import load_catalog

    project = project_of(config_file)
    return project.settings, load_catalog(project.settings)


@contextlib.contextmanager
def mkdocs_messages(verbose: bool):
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


def show_progress(done: int, total: int, message: str) -> None:
    """Progress on stderr: "[3/40] rendered ..." for counted work, else the message."""
    click.echo(f"[{done}/{total}] {message}" if total else message, err=True)


def pdf_summary(pdfs) -> str:
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
    # When the command is over, Python's exit collects garbage once more over everything
    # the command loaded (the catalog, MkDocs, ...): 0.07 s of a one-edit rebuild's 2 s at
    # 20x5, for memory the process gives back anyway. Frozen objects are not scanned. (Set
    # once however often the command runs in one process: a test's CliRunner.)
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


def pamphlet_named(catalog, slug: str, param_hint: str = "SLUG"):
    """The pamphlet `slug` of the catalog; an error with the close names when there is none."""
    pamphlet = next((p for p in catalog.pamphlets if p.slug == slug), None)
    if pamphlet is None:
        names = [p.slug for p in catalog.pamphlets]
        raise click.BadParameter(
            f"there is no pamphlet '{slug}'{did_you_mean(slug, names)} "
            f"(there are: {', '.join(names)})", param_hint=param_hint,
        )  # fmt: skip
    return pamphlet


def language_code(settings, language: str, param_hint: str = "LANGUAGE") -> str:
    """`language` if the site has it; an error with the close codes when not."""
    codes = settings.language_codes
    if language not in codes:
        raise click.BadParameter(
            f"'{language}' is not a language of this site{did_you_mean(language, codes)} "
            f"({', '.join(codes)}); add it to plugins.i18n.languages in mkdocs.yml first",
            param_hint=param_hint,
        )
    return language


def date_option(value: str | None) -> datetime.date:
    """A date given on the command line, exactly YYYY-MM-DD (none: today)."""
    if value is None:
        return datetime.date.today()
    # fromisoformat alone also takes 2026-W01, 20261201 and 2026-12-01T10:00.
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise click.BadParameter(f"'{value}' is not a date written as YYYY-MM-DD")
