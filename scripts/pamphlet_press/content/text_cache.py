"""Texts that did not change are not read and checked again: a cache of loaded texts.

Loading a translation (catalog.py) converts its Markdown and checks every rule on it; for a
catalogue of hundreds of texts that is most of the time a build spends before it renders a
page. A text that loaded without a problem is kept in `.cache/texts/`, under a key made of
everything its loading reads: the file's bytes, the facts (filled into it), the site's
Markdown settings and languages, and the code that loads it. The next build takes it from
there when the key is the same; a text with a problem is never kept, so its problem is
reported again, from the file.

The interface strings of a language (ui.py) are kept the same way: parsing the five YAML
files and checking each of their 100 strings as Markdown took 0.1 s of every build.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from dataclasses import asdict
from functools import cache
from pathlib import Path

from ..settings import ProjectSettings
from .sources import MAX_SOURCE_BYTES, source_problem

CODE = Path(__file__).resolve().parent


@cache
def _code_digest() -> str:
    """The code that loads texts (this folder): a change to a rule invalidates the cache."""
    digest = hashlib.sha256()
    for path in sorted(CODE.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def text_key(path: Path, settings: ProjectSettings, facts_digest: str) -> str | None:
    """The key of a text file as it is now, or None: not cached. mkdocs.yml is part of it:
    the Markdown extensions' options are set there.

    Only a file the rules let through is cached: one that is not a regular file inside the
    project, or is too large, goes the long way, to be refused there (sources.read_text)."""
    try:
        if source_problem(path, settings.root) or path.stat().st_size > MAX_SOURCE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(data)
    digest.update(_settings_file(settings.root))
    digest.update(f"\n{path.relative_to(settings.root)}\n{facts_digest}\n".encode())
    markdown = (settings.markdown.extensions, _stable(settings.markdown.extension_configs))
    digest.update(repr((markdown, settings.language_codes, _code_digest())).encode())
    return digest.hexdigest()


def _stable(value) -> str:
    """A repr that is the same in every process (a function by its name, not its address)."""
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ", ".join(f"{key!r}: {_stable(item)}" for key, item in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_stable(item) for item in value) + "]"
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    return repr(value)


@cache
def _settings_file(root: Path) -> bytes:
    try:
        return (root / "mkdocs.yml").read_bytes()
    except OSError:
        return b""


def facts_digest(facts: dict) -> str:
    return hashlib.sha256(repr(sorted(facts.items())).encode()).hexdigest()


def cache_folder(settings: ProjectSettings) -> Path:
    return settings.cache_dir / "texts"


def _as_json(translation) -> str:
    data = asdict(translation)
    data["html"] = translation.html
    data["links"] = translation.links
    return json.dumps(data, ensure_ascii=False, default=lambda value: value.isoformat())


def _from_json(text: str):
    from .catalog import FrontMatter, Translation

    data = json.loads(text)
    front = data.pop("front")
    if front.get("reviewed_on"):
        front["reviewed_on"] = datetime.date.fromisoformat(front["reviewed_on"])
    data["images"] = tuple(data["images"])
    data["facts"] = tuple(data["facts"])
    data["links"] = tuple((tag, href) for tag, href in data["links"])
    return Translation(front=FrontMatter(**front), **data)


def _ui_as_json(strings) -> str:
    return json.dumps(asdict(strings), ensure_ascii=False)


def _ui_from_json(text: str):
    from .ui import UIStrings

    return UIStrings(**json.loads(text))


# How each kind of loaded file is kept: (to JSON, from JSON).
TRANSLATION = (_as_json, _from_json)
UI_STRINGS = (_ui_as_json, _ui_from_json)


def load_cached(settings: ProjectSettings, key: str | None, codec=TRANSLATION):
    """What is kept under `key`, or None (plain JSON: nothing in the cache runs)."""
    if key is None:
        return None
    try:
        return codec[1]((cache_folder(settings) / key).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def keep(settings: ProjectSettings, key: str | None, loaded, codec=TRANSLATION) -> None:
    """Keep what loaded without a problem (written atomically)."""
    if key is None:
        return
    folder = cache_folder(settings)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{key}.{os.getpid()}.tmp"
        temporary.write_text(codec[0](loaded), encoding="utf-8")
        temporary.replace(folder / key)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower


def forget_others(settings: ProjectSettings, used: set[str]) -> None:
    """Remove what no text of this catalogue uses any more (older versions of texts)."""
    folder = cache_folder(settings)
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name not in used and not path.name.startswith("."):
            path.unlink(missing_ok=True)


class TextCache:
    """The cache as one catalog load uses it: the keys it looked up, to forget the others."""

    def __init__(self, settings: ProjectSettings, facts: dict) -> None:
        self.settings = settings
        self.facts = facts_digest(facts)
        self.used: set[str] = set()

    def load(self, path: Path, load_text, problems, codec=TRANSLATION):
        """What `path` holds (a translation; with `codec=UI_STRINGS` a language's interface
        strings): kept, or loaded by `load_text()` (and kept when it loaded without a
        problem)."""
        key = text_key(path, self.settings, self.facts)
        if key:
            self.used.add(key)
        loaded = load_cached(self.settings, key, codec)
        if loaded is None:
            before = len(problems)
            loaded = load_text()
            if loaded is not None and len(problems) == before:
                keep(self.settings, key, loaded, codec)
        return loaded

    def forget_others(self) -> None:
        forget_others(self.settings, self.used)
