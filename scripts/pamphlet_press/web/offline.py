"""The offline copy of the site: one ZIP to unzip on a laptop or a USB stick and open from
`file://`, with the links, the language switch and search working.

It is made from the built site, not by building it again. What a browser needs that a web
server did for it:

- a link to a folder ("../about/") is opened by a server as the folder's index.html; from
  the file system it must say so ("../about/index.html"), in every page and in the
  locations of the search indexes;
- search cannot fetch its index from `file://`: each index is also written as a script
  (`search_index.js`, `var __index = ...`), which Material loads through a worker shim
  (iframe-worker, MIT, vendored in `web/vendor/` and put into the copy, not from a CDN);
- a Content-Security-Policy of 'self' matches nothing from `file://` (the origin is
  opaque), so the copy carries none; nothing active is in the pages anyway (the content
  rules refuse it);
- the ZIP bundles of leaflets are not in the copy (it would hold every PDF twice), so the
  downloads page of the copy does not offer them;
- the 404 pages are left out: no server shows them, and their links start from "/".
"""

from __future__ import annotations

import json
import posixpath
import re
import tempfile
from pathlib import Path

from ..files import write_zip

WORKER_SHIM = "assets/javascripts/iframe-worker-shim.js"
VENDOR = Path(__file__).resolve().parent / "vendor"
URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
POLICY_META = re.compile(r'\s*<meta http-equiv="Content-Security-Policy" content="[^"]*">')
BUNDLE_LINK = re.compile(r'<p><a class="md-button[^"]*" href="[^"]*pdf/bundles/[^"]*"[^>]*>.*?</p>')


def _split_url(url: str) -> tuple[str, str]:
    """(path, the rest from '?' or '#' on)."""
    match = re.search(r"[?#]", url)
    return (url[: match.start()], url[match.start():]) if match else (url, "")


def offline_link(url: str) -> str:
    """A link as it must read from the file system: a folder link names its index.html."""
    if url.startswith(("#", "/")) or SCHEME.match(url):
        return url
    path, rest = _split_url(url)
    if path == "":
        return url  # a link to this very page ("?q=..." or empty)
    if posixpath.basename(path) in (".", "..") or path.endswith("/"):  # "../..": a folder
        path = posixpath.join(path, "index.html")
    return path + rest


def offline_page(html: str, depth: int) -> str:
    """A page of the built site as the offline copy holds it (`depth`: how many folders
    below the site's root it is)."""
    html = URL_ATTRIBUTE.sub(lambda m: m.group(1) + offline_link(m.group(2)) + m.group(3), html)
    html = POLICY_META.sub("", html, count=1)
    html = BUNDLE_LINK.sub("", html)
    shim = f'<script src="{"../" * depth}{WORKER_SHIM}"></script>'
    return html.replace("</head>", f"{shim}\n</head>", 1)


def offline_location(location: str) -> str:
    """A search result's location, relative to its language's root, for the file system."""
    path, rest = _split_url(location)
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path + rest


def offline_index(data: str) -> str:
    index = json.loads(data)
    for doc in index["docs"]:
        doc["location"] = offline_location(doc["location"])
    return json.dumps(index, ensure_ascii=False)


def make_offline_copy(site: Path, target: Path, leave_out: tuple[str, ...] = ()) -> None:
    """Write the offline copy of the built `site` as the ZIP `target` (members under
    `site/`), without the files named in `leave_out` (relative to the site's root)."""
    with tempfile.TemporaryDirectory(prefix=".offline-", dir=target.parent) as folder:
        converted = Path(folder)
        members: list[tuple[str, Path]] = []
        for path in sorted(site.rglob("*")):
            relative = path.relative_to(site)
            name = relative.as_posix()
            if not path.is_file() or name in leave_out or "bundles" in relative.parts:
                continue
            if path.name == "404.html":  # no server shows it; its links start from "/"
                continue
            if path.suffix == ".html":
                text = offline_page(path.read_text(encoding="utf-8"), len(relative.parts) - 1)
            elif path.name == "search_index.json":
                text = offline_index(path.read_text(encoding="utf-8"))
                script = converted / relative.with_suffix(".js")
                script.parent.mkdir(parents=True, exist_ok=True)
                script.write_text(f"var __index = {text}", encoding="utf-8")
                members.append((f"site/{relative.with_suffix('.js').as_posix()}", script))
            else:
                members.append((f"site/{name}", path))
                continue
            copy = converted / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(text, encoding="utf-8")
            members.append((f"site/{name}", copy))
        members.append((f"site/{WORKER_SHIM}", VENDOR / "iframe-worker-shim.js"))
        members.append(
            (f"site/{posixpath.dirname(WORKER_SHIM)}/iframe-worker-LICENSE.txt",
             VENDOR / "iframe-worker-LICENSE.txt")
        )  # fmt: skip
        write_zip(target, members)
