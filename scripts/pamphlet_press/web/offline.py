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
  opaque): each page gets the offline policy instead (csp.OFFLINE_POLICY: the copy's own
  files, the theme's inline scripts by the hashes the build computed, no other host), so
  that the copy is as closed as the site, on a laptop without a web server too;
- the ZIP bundles of leaflets are not in the copy (it would hold every PDF twice), so the
  downloads page of the copy does not offer them;
- the 404 pages are left out: no server shows them, and their links start from "/".
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import tempfile
from pathlib import Path

from ..files import write_zip
from .csp import script_hash, with_policy

WORKER_SHIM = "assets/javascripts/iframe-worker-shim.js"
VENDOR = Path(__file__).resolve().parent / "vendor"
URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
POLICY_META = re.compile(r'\s*<meta http-equiv="Content-Security-Policy" content="[^"]*">')
WORKER_ADDRESS = re.compile(r'<script id="__config"[^>]*>.*?"search":\s*"([^"]*)"', re.S)
SCRIPT_HASH = re.compile(r"'sha256-[A-Za-z0-9+/=]+'")
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
    online = POLICY_META.search(html)
    # The hashes are those the build put into the page's own policy (the theme's scripts,
    # csp.TrustedScripts), not hashes of whatever scripts the page holds.
    hashes = frozenset(SCRIPT_HASH.findall(online.group(0))) if online else frozenset()
    html = POLICY_META.sub("", html, count=1)
    html = with_policy(html, hashes | frozenset(worker_frame_hashes(html)), offline=True)
    html = BUNDLE_LINK.sub("", html)
    shim = f'<script src="{"../" * depth}{WORKER_SHIM}"></script>'
    return html.replace("</head>", f"{shim}\n</head>", 1)


def _function_source(code: str, name: str) -> str:
    """The source text of `function NAME(...){...}` in `code` (as Function.toString gives it)."""
    start = code.index(f"function {name}(")
    depth, index = 0, code.index("{", start)
    while True:
        depth += {"{": 1, "}": -1}.get(code[index], 0)
        if depth == 0:
            return code[start : index + 1]
        index += 1


@functools.cache
def _worker_frame_template() -> str:
    """The inline script the vendored worker shim writes into the frame it runs a worker
    in, with {url} where the worker's address goes."""
    code = (VENDOR / "iframe-worker-shim.js").read_text(encoding="utf-8")
    written = code[code.index("document.write(`") + len("document.write(`") :]
    script = written[written.index("<script>") + len("<script>") : written.index("<\\/script>")]
    script = script.replace("{", "{{").replace("}", "}}")
    for placeholder, name in (("${{c}}", "c"), ("${{d}}", "d")):
        script = script.replace(placeholder, _function_source(code, name).replace("{", "{{")
                                .replace("}", "}}"))  # fmt: skip
    return script.replace("${{e}}", "{url}")


def worker_frame_hashes(html: str) -> list[str]:
    """The hash of the inline script the worker shim writes into its frame (it defines
    postMessage and importScripts there) for the search worker of this page (the address
    in the theme's __config), so that the offline policy allows it and nothing else."""
    found = WORKER_ADDRESS.search(html)
    if not found:
        return []
    return [script_hash(_worker_frame_template().format(url=found.group(1)))]


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
