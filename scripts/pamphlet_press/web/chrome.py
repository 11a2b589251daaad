"""What every page of the site carries besides its own text, in the reader's language.

- The help bar at the top of every page: the NGO's free legal help number (a fact of
  `facts.yml`, named by the plugin option `help_phone`) as a `tel:` link, seen on the first
  screen of a phone without scrolling.
- The footer: the organisation, its address and number, links to the site's pages, and
  the content licence with what partners may do under it (content/licences.py).
- Link previews: Open Graph and Twitter tags, so that a link sent in a messenger shows the
  title, the summary and the leaflet's cover.
- The 404 page, one per language.

The theme's templates (`overrides/`) hold markers; `fill_markers` puts the HTML in.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..content.catalog import Catalog, Pamphlet
from ..content.facts import Fact
from ..outputs import LeafletOutputs
from ..problems import ContentError, Problem
from .templating import render

HELP_MARKER = "<!-- pamphlets:help -->"
FOOTER_MARKER = "<!-- pamphlets:footer -->"
NOT_FOUND_MARKER = "<!-- pamphlets:not-found -->"


def help_phone(catalog: Catalog, name: str) -> Fact:
    """The fact of the help number; a ContentError says how to fix a missing one."""
    fact = catalog.facts.get(name)
    if fact is None or fact.kind != "phone" or not fact.tel:
        raise ContentError([
            Problem(
                "mkdocs.yml",
                None,
                f"plugins.pamphlets.help_phone: '{name}' is not a phone fact in "
                "pamphlets/facts.yml; add it there (kind: phone, tel: ...) or name another fact",
            )
        ])
    return fact


@dataclass(frozen=True)
class SitePaths:
    """The site's own pages (folders under docs_dir), as the plugin options name them."""

    pamphlets: str
    downloads: str
    runs: str
    status: str


def language_root(catalog: Catalog, language: str) -> str:
    """The folder of a language in the site: "" for the default language, "ru/" otherwise."""
    return "" if language == catalog.settings.default_language else f"{language}/"


def relative_href(target: str, page_url: str) -> str:
    """A link from the page at `page_url` to `target` (both relative to the site's root)."""
    page_dir = page_url if page_url == "" or page_url.endswith("/") else posixpath.dirname(page_url)
    link = posixpath.relpath("/" + target, "/" + page_dir)
    return link + "/" if target == "" or target.endswith("/") else link


def footer_html(
    catalog: Catalog, language: str, phone: Fact, paths: SitePaths, href
) -> str:
    """The footer; `href` turns a target relative to the site's root into a link."""
    ui = catalog.ui[language]
    root = language_root(catalog, language)
    links = [
        {"title": ui.pamphlets_heading, "href": href(f"{root}{paths.pamphlets}/")},
        {"title": ui.hub_heading, "href": href(f"{root}{paths.downloads}/")},
        {"title": ui.print_runs_heading, "href": href(f"{root}{paths.runs}/")},
        {"title": ui.status_heading, "href": href(f"{root}{paths.status}/")},
    ]
    return render(
        "footer.html", ui=ui, phone=phone, links=links, language=language,
        licence=catalog.settings.content_licence, css_class="site-footer__licence",
        rel_license=True,
    ).strip()  # fmt: skip


def fill_markers(
    html: str, catalog: Catalog, language: str, phone: Fact, paths: SitePaths, href
) -> str:
    """The page with the help bar and the footer in place of the theme's markers."""
    ui = catalog.ui[language]
    html = html.replace(HELP_MARKER, render("help_bar.html", ui=ui, phone=phone).strip(), 1)
    return html.replace(FOOTER_MARKER, footer_html(catalog, language, phone, paths, href), 1)


SWITCHER_LINK = re.compile(r'(<a href=")[^"]*(" hreflang="([A-Za-z_-]+)" class="md-select__link">)')


def not_found_page(
    html: str, catalog: Catalog, language: str, phone: Fact, paths: SitePaths
) -> str:
    """The 404 page of a language. It is served at whatever address was asked for, so its
    links start from the site's root path (from site_url)."""
    base = urlsplit(catalog.settings.site_url).path or "/"
    base = base if base.endswith("/") else base + "/"

    def href(target: str) -> str:
        return base + target

    ui = catalog.ui[language]
    root = language_root(catalog, language)
    pamphlets = []
    for pamphlet in catalog.pamphlets:
        shown = catalog.shown(pamphlet, language)
        code = shown.translation.language
        pamphlets.append({
            "title": shown.translation.front.title,
            "href": href(f"{root}{paths.pamphlets}/{pamphlet.slug}/"),
            "language": code if shown.is_fallback else "",
            "direction": catalog.ui[code].direction,
        })  # fmt: skip
    content = render("not_found.html", ui=ui, pamphlets=pamphlets, home=href(root)).strip()
    html = html.replace(NOT_FOUND_MARKER, content, 1)
    # The language switcher of a page that is not there leads to each language's home page
    # (MkDocs renders 404.html with whatever page it built last as the page's context).
    html = SWITCHER_LINK.sub(
        lambda m: m.group(1) + href(language_root(catalog, m.group(3))) + m.group(2), html
    )
    html = html.replace("<title>", f"<title>{ui.not_found_heading} - ", 1)
    return fill_markers(html, catalog, language, phone, paths, href)


@dataclass(frozen=True)
class PreviewSubject:
    """What a page is about, for its link preview."""

    title: str
    description: str
    pamphlet: Pamphlet | None = None


def cover_of(
    catalog: Catalog, outputs: LeafletOutputs | None, pamphlet: Pamphlet, language: str
):
    """The cover picture of the leaflet a reader of `language` gets, if one was made."""
    if outputs is None:
        return None
    code = catalog.shown(pamphlet, language).translation.language
    return next(
        (f for f in outputs.for_translation(pamphlet.slug, code) if f.variant == "cover"), None
    )


def link_preview_html(
    catalog: Catalog,
    outputs: LeafletOutputs | None,
    language: str,
    site_name: str,
    page_url: str,
    subject: PreviewSubject,
) -> str:
    """Open Graph and Twitter tags of a page. The picture is the cover of the pamphlet's
    leaflet; a page that is not a pamphlet shows the cover of the first pamphlet."""
    ui = catalog.ui[language]
    site_url = catalog.settings.site_url
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    pamphlet = subject.pamphlet or (catalog.pamphlets[0] if catalog.pamphlets else None)
    cover = cover_of(catalog, outputs, pamphlet, language) if pamphlet else None
    image = None
    if cover and pamphlet:
        title = catalog.shown(pamphlet, language).translation.front.title
        image = {"url": site_url + cover.path, "alt": f"{ui.cover_alt}: {title}"}
    return render(
        "link_preview.html",
        type="article" if subject.pamphlet else "website",
        site_name=site_name,
        title=subject.title,
        description=subject.description or ui.site_description,
        url=site_url + page_url if site_url else "",
        locale=ui.og_locale,
        alternates=[catalog.ui[c].og_locale for c in catalog.ui if c != language],
        image=image,
    )


def with_link_preview(html: str, tags: str) -> str:
    return html.replace("</head>", tags + "  </head>", 1)
