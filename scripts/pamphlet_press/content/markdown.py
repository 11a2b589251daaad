"""One Markdown pipeline for the web page and the leaflet of a pamphlet.

Both outputs convert a pamphlet's Markdown with the extensions configured in mkdocs.yml
(`markdown_extensions`), so a list, a heading id or a table looks the same on the page and
in print. This module also decides what a pamphlet's Markdown may contain: translations may
come from volunteers, so raw HTML is refused (HTML comments and entities aside), and the
converted HTML is checked for scripts, event-handler attributes and script URLs, whatever
Markdown syntax (attribute lists, links) tried to bring them in.

Links between pamphlets are written as the files are laid out in the repository, relative
to the pamphlet's folder: `[work permit](../work-permit-and-residence/ru.md#deadlines)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import markdown as python_markdown

# A raw HTML tag, processing instruction or CDATA in Markdown source. Autolinks such as
# <https://example.org> and <name@example.org> are Markdown, not HTML, and do not match.
RAW_HTML = re.compile(
    r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|/?[A-Za-z][A-Za-z0-9-]*$|!\[CDATA\[|\?)"
)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CODE_SPAN = re.compile(r"(`+).+?\1")
FENCE = re.compile(r"^\s*(```|~~~)")

# ../<slug>/<lang>.md, optionally followed by #anchor: a link to another pamphlet.
PAMPHLET_LINK = re.compile(r"^\.\./([a-z0-9][a-z0-9-]*)/([A-Za-z_-]+)\.md(#[^\s]*)?$")
PAMPHLET_LINK_IN_SOURCE = re.compile(r"\.\./([a-z0-9][a-z0-9-]*)/([A-Za-z_-]+)\.md(?=[#)\s\"'>]|$)")

FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "base", "meta", "link", "svg", "math", "template",
    "portal", "noscript", "video", "audio", "source", "track", "picture", "canvas",
}  # fmt: skip
# Links may lead to the web, to mail and to phones; a page's own images are files beside it.
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
LINK_ATTRIBUTES = {"href"}
# Attributes that make the browser (or WeasyPrint) fetch or send to an address: in a
# pamphlet they may only name a file beside it (a relative path), which the catalog checks.
FETCHING_ATTRIBUTES = {"src", "poster", "background", "data", "lowsrc", "dynsrc", "xlink:href"}
# Attributes that load, send or point to addresses and that a pamphlet has no use for:
# refused whatever they hold (srcset can fetch any of its addresses, ping posts to each).
REFUSED_ATTRIBUTES = {
    "srcset", "ping", "action", "formaction", "longdesc", "usemap", "manifest", "icon",
    "codebase", "archive", "classid", "profile", "srcdoc", "http-equiv", "imagesrcset",
}  # fmt: skip
NETWORK_ADDRESS = "an address on the network in"
# rel="attachment" makes WeasyPrint embed the linked file in the PDF.
ALLOWED_REL = {"nofollow", "noopener", "noreferrer", "external"}
URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Control characters (line breaks and a tab aside: U+0085 is one, as U+2028 is): invisible,
# and no text needs them; and what is not a character at all (lone surrogates).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# The theme's own element ids (__config, __search, __drawer, __nav_1, __palette_0, ...) and
# data attributes (data-md-component): a page that repeats one breaks Material's scripts.
THEME_ID = re.compile(r"^__")
THEME_ATTRIBUTE = re.compile(r"^data-md")

# What makes Python-Markdown's inline processing slow: it looks for the end of every '['
# to the end of its paragraph (quadratic in them), and it recurses into nested emphasis
# and links (a RecursionError at about 500 levels). Limits per paragraph (text between
# blank lines), far above what a leaflet's paragraph holds, keep a 200-thousand-character
# text under about two seconds to convert.
MAX_PER_PARAGRAPH = {
    # what is counted: (a pattern, what it is called, the limit)
    "brackets": (re.compile(r"\["), "'[' (links, images)", 64),
    "code": (re.compile(r"`+"), "runs of '`' (code)", 64),
    "angles": (re.compile(r"<"), "'<'", 64),
    # A run (**, ___ of a blank to fill in) is one delimiter.
    "emphasis": (re.compile(r"[*_]+"), "runs of '*' or '_' (emphasis)", 200),
}


@dataclass(frozen=True)
class MarkdownSettings:
    """The Markdown extensions (and their options) that mkdocs.yml configures."""

    extensions: tuple[str, ...] = ()
    extension_configs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def convert(self, text: str) -> str:
        """Markdown to HTML with the configured extensions."""
        # One converter per set of extensions, reset between texts (a build converts some
        # thousands of texts and strings; setting the extensions up is most of the cost).
        key = (self.extensions, repr(self.extension_configs))
        converter = _CONVERTERS.get(key)
        if converter is None:
            converter = python_markdown.Markdown(
                extensions=list(self.extensions), extension_configs=self.extension_configs
            )
            _CONVERTERS[key] = converter
        try:
            return converter.reset().convert(text)
        except BaseException:
            # A conversion that failed half-way (RecursionError) leaves state behind.
            del _CONVERTERS[key]
            raise


_CONVERTERS: dict[tuple, python_markdown.Markdown] = {}


def _without_code(lines: list[str]) -> list[str]:
    """The lines with fenced code blocks and code spans blanked out (they show HTML as text)."""
    result = []
    fence: str | None = None
    for line in lines:
        match = FENCE.match(line)
        if fence:
            if match and match.group(1) == fence:
                fence = None
            result.append("")
        elif match:
            fence = match.group(1)
            result.append("")
        else:
            result.append(CODE_SPAN.sub("", line))
    return result


def find_body_heading(text: str) -> int | None:
    """The line (from 1) of a top-level heading in a text's body ('# Title', or a line
    underlined with '==='), outside code: a page's only H1 is its title."""
    lines = _without_code(text.split("\n"))
    for number, line in enumerate(lines, start=1):
        if re.match(r"^ {0,3}#(?:[ \t]|$)", line):
            return number
        if (
            number > 1
            and re.fullmatch(r" {0,3}=+[ \t]*", line)
            and lines[number - 2].strip()
            and not re.match(r"^ {0,3}([-*+]|\d+[.)])\s", lines[number - 2])
        ):
            return number - 1
    return None


def find_raw_html(text: str) -> list[tuple[int, str]]:
    """Raw HTML in Markdown source: (line number from 1, the tag's start) for each line."""
    without_comments = HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    found = []
    for number, line in enumerate(_without_code(without_comments.split("\n")), start=1):
        match = RAW_HTML.search(line)
        if match:
            snippet = line[match.start() : match.start() + 30].split(">")[0] + ">"
            found.append((number, snippet))
    return found


def find_costly_markdown(text: str) -> list[tuple[int, str]]:
    """Paragraphs that would make the Markdown slow to convert or too deeply nested (see
    MAX_PER_PARAGRAPH): (line from 1 where the limit is passed, what to do), linear time."""
    found = []
    counts = dict.fromkeys(MAX_PER_PARAGRAPH, 0)
    reported = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            counts = dict.fromkeys(MAX_PER_PARAGRAPH, 0)
            reported = False
            continue
        if reported:
            continue
        for kind, (pattern, what, limit) in MAX_PER_PARAGRAPH.items():
            counts[kind] += len(pattern.findall(line))
            if counts[kind] > limit:
                found.append((number, (
                    f"this paragraph has more than {limit} {what}; so many make the text slow "
                    "to convert: split the paragraph with blank lines, or remove the extra "
                    "characters"
                )))  # fmt: skip
                reported = True
                break
    return found


# What Markdown needs to make HTML, an attribute (attr_list), a link, an image, an entity,
# code, an admonition or an emoji (:name:) of a text.
MARKUP_THAT_MATTERS = re.compile(r"[<>\[\]{}&`!\\]|:[+\-\w]+:")


def find_unsafe_text(text: str, settings: MarkdownSettings) -> list[str]:
    """What a short text from YAML (a title, a summary, an interface string, a ledger note)
    must not hold, as it reaches pages as Markdown: raw HTML, anything the body may not hold
    (find_unsafe_html), links or images (plain text only), a leftover {{ or }}, control
    characters, or a paragraph that is slow to convert."""
    found = [f"raw HTML ({snippet})" for _line, snippet in find_raw_html(text)]
    controls = sorted({c for c in text if CONTROL.match(c)})
    found += [f"the control character U+{ord(c):04X}" for c in controls]
    if "{{" in text or "}}" in text:
        found.append("'{{' or '}}' (facts are not filled in here)")
    found += [message.split(";")[0] for _line, message in find_costly_markdown(text)]
    if found or not MARKUP_THAT_MATTERS.search(text):
        # Without any of these characters, no Markdown of the site makes an element, an
        # attribute or a link of a text: nothing to convert (most interface strings).
        return found
    if "attr_list" not in settings.extensions:
        # Attribute lists ({: onclick=... }) are refused even where the site does not use
        # them: the text may reach a page of a project that does.
        settings = MarkdownSettings((*settings.extensions, "attr_list"), settings.extension_configs)
    # The text alone, and in the places the site's pages put such texts: a heading (an
    # attribute list there gives the heading attributes), strong emphasis, a link's text
    # (the list of pamphlets links each title). Whatever it is next to, it stays text.
    for context, links_expected in (("{}", 0), ("# {}", 0), ("**{}**", 0), ("[{}](#x)", 1)):
        try:
            html = settings.convert(context.replace("{}", text))
        except RecursionError:
            return ["Markdown nested too deeply"]
        found += find_unsafe_html(html)
        links = links_in(html)
        if not found and len(links) > links_expected:
            found += [f"a link or an image ({url})" for _tag, url in links if url != "#x"]
        elif links_expected and links != [("a", "#x")]:
            found.append("'[' or ']' that would break the link around it")
    return list(dict.fromkeys(found))


def plain_text_problem(key: str, text: str, settings: MarkdownSettings) -> str | None:
    """The message for a YAML text field that is not plain text (find_unsafe_text), or None."""
    found = find_unsafe_text(text, settings)
    if not found:
        return None
    return f"'{key}' must be plain text; it holds {'; '.join(found)}: remove it"


class _UnsafeHtmlFinder(HTMLParser):
    """Collects what in converted HTML could run a script in a reader's browser, fetch or
    send anything to an address, embed a file in a PDF, or break the theme's scripts: as
    (what, a piece of source text to find it by)."""

    def __init__(self, allowed_elements: frozenset[str] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.allowed_elements = allowed_elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS and tag not in self.allowed_elements:
            self.found.append((f"a <{tag}> element", f"<{tag}"))
        for name, value in attrs:
            problem = _attribute_problem(name, value or "")
            if problem:
                by_value = name in LINK_ATTRIBUTES | FETCHING_ATTRIBUTES | {"id", "for", "name"}
                self.found.append((problem, (value or name) if by_value else name))

    handle_startendtag = handle_starttag


def _attribute_problem(name: str, value: str) -> str | None:
    """What is wrong with one attribute of converted HTML, or None."""
    if name.startswith("on"):
        return f"an event handler attribute '{name}'"
    if name in REFUSED_ATTRIBUTES:
        return f"a '{name}' attribute (it loads or sends to addresses)"
    if name in LINK_ATTRIBUTES:
        scheme = url_scheme(value)
        if scheme and scheme not in ALLOWED_SCHEMES:
            return f"a '{scheme}:' address in '{name}'"
    elif name in FETCHING_ATTRIBUTES:
        scheme = url_scheme(value)
        if scheme in ("http", "https"):
            return f"{NETWORK_ADDRESS} '{name}' ({value})"
        if scheme:
            return f"a '{scheme}:' address in '{name}'"
    elif name == "rel":
        refused = sorted(set(value.lower().split()) - ALLOWED_REL)
        if refused:
            return f'rel="{" ".join(refused)}" (it could embed a file into the PDF)'
    elif name in ("id", "for", "name") and THEME_ID.match(value.strip()):
        return f"the {name} '{value}', which the theme uses for itself (ids must not start with __)"
    elif THEME_ATTRIBUTE.match(name):
        return f"the attribute '{name}', which the theme's scripts read"
    elif name == "style" and re.search(r"url\(|expression\(|@import|image-set\(", value, re.I):
        return "a style attribute that loads an address"
    return None


def url_scheme(url: str) -> str | None:
    """The scheme of a URL as a browser reads it (it ignores spaces and control characters)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url).lower()
    match = URL_SCHEME.match(cleaned)
    return match.group(1) if match else None


def find_unsafe_html(html: str, allowed_elements: frozenset[str] = frozenset()) -> list[str]:
    """What in converted HTML could run a script, reach another host, embed a file in a PDF
    or break the theme: elements, event handlers, script URLs, addresses in attributes that
    fetch, rel values, the theme's ids. `allowed_elements` lifts the ban on some elements
    (the site's own generated pages draw charts as inline SVG)."""
    return [what for what, _needle in locate_unsafe_html(html, allowed_elements)]


def locate_unsafe_html(
    html: str, allowed_elements: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """find_unsafe_html, each with a piece of text to find it by in the Markdown source (an
    attribute's name, a link's address), for the line of an error."""
    finder = _UnsafeHtmlFinder(allowed_elements)
    finder.feed(html)
    finder.close()
    return list(dict.fromkeys(finder.found))


def line_of_any(text: str, needle: str, first_line: int) -> int | None:
    """The file line on which `needle` first appears in `text`, ignoring case, or None."""
    index = text.lower().find(needle.lower()) if needle else -1
    return first_line + text.count("\n", 0, index) if index >= 0 else None


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "img"):
            for name, value in attrs:
                if name in ("href", "src") and value:
                    self.links.append((tag, value))


def links_in(html: str) -> list[tuple[str, str]]:
    """Every (a, href) and (img, src) in converted HTML, in document order."""
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    return collector.links


def line_of(text: str, needle: str, first_line: int) -> int:
    """The file line on which `needle` first appears in `text` (or the first line)."""
    index = text.find(needle)
    return first_line + (text.count("\n", 0, index) if index >= 0 else 0)


def link_pamphlets_for_site(text: str) -> str:
    """Rewrite ../<slug>/<lang>.md to the generated page ../<slug>/index.md.

    mkdocs-static-i18n then points the link to the same pamphlet in the language of the
    page it appears on, and MkDocs validates the link and its anchor.
    """
    return PAMPHLET_LINK_IN_SOURCE.sub(lambda m: f"../{m.group(1)}/index.md", text)
