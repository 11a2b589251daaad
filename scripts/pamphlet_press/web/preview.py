"""The live preview (`mkdocs serve`): pages in seconds, leaflets in the background, one
rebuild per save.

- The pages come first. The leaflets are made by a background `pamphlets pdf` (its progress
  is printed in the terminal); while it runs, a pamphlet page says so, and when it is done
  the preview rebuilds once and links the new files. It is started again only when the
  texts, facts or settings that leaflets are made of changed.
- The plugin writes the generated pages into the docs folder (mkdocs-static-i18n only takes
  real files there). MkDocs watches the whole docs folder, so each save would rebuild twice:
  once for the edit, once for the pages the first build wrote. The preview watches the docs
  folder's own files and its hand-written subfolders instead, never the generated ones.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from pathlib import Path

from ..content.catalog import Catalog

READY_STAMP = "leaflets-ready"


def leaflet_inputs(catalog: Catalog, config_file: str) -> str:
    """A fingerprint of what the leaflets are made of: the texts as written, the facts, the
    interface strings and the ledger (through the catalog), and mkdocs.yml."""
    digest = hashlib.sha256(Path(config_file).read_bytes())
    for pamphlet in catalog.pamphlets:
        digest.update(repr(pamphlet.settings).encode())
        for language, translation in sorted(pamphlet.translations.items()):
            digest.update(f"{language} {translation.version} {translation.body}".encode())
    digest.update(repr(sorted(catalog.facts.items())).encode())
    digest.update(repr(sorted(catalog.ui.items())).encode())
    digest.update(repr(catalog.ledger).encode())
    return digest.hexdigest()


class BackgroundLeaflets:
    """`pamphlets pdf` in a process of its own while the preview serves the pages.

    When it ends, it touches `stamp` (a file the preview watches), so that the preview
    rebuilds once and links the leaflets it made.
    """

    def __init__(self, config_file: str, stamp: Path) -> None:
        self.config_file = config_file
        self.stamp = stamp
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._made_for: str | None = None
        self._wanted: str | None = None

    @property
    def running(self) -> bool:
        with self._lock:
            return self._process is not None

    def want(self, inputs: str) -> None:
        """Make the leaflets of these inputs, unless they are made or being made."""
        with self._lock:
            if inputs in (self._made_for, self._wanted):
                return
            self._wanted = inputs
            if self._process is None:
                self._start()

    def _start(self) -> None:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        self._made_for, self._wanted = self._wanted, None
        print("Making the leaflets in the background (pamphlets pdf) ...", file=sys.stderr)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "pamphlet_press", "pdf", "-f", self.config_file], env=env,
            stdout=subprocess.DEVNULL,  # the file list; progress and errors go to stderr
        )  # fmt: skip
        threading.Thread(target=self._wait, args=(self._process,), daemon=True).start()

    def _wait(self, process: subprocess.Popen) -> None:
        code = process.wait()
        with self._lock:
            self._process = None
            if self._wanted is not None:
                self._start()
                return
            if code != 0:
                # Its message was printed once; the next change of the texts tries again.
                print("The leaflets could not be made (see above); the pages link the last "
                      "ones made.", file=sys.stderr)  # fmt: skip
                return
        self.stamp.parent.mkdir(parents=True, exist_ok=True)
        self.stamp.write_text(str(process.pid), encoding="utf-8")

    def stop(self) -> None:
        with self._lock:
            if self._process is not None:
                self._process.terminate()


def watch_once_per_save(server, docs_dir: Path, generated: tuple[Path, ...], stamp: Path) -> None:
    """Make `server` (MkDocs' live-reload server) watch the docs folder without the
    generated folders in it, and the leaflets' ready stamp."""
    server.unwatch(str(docs_dir))
    server.watch(str(docs_dir), recursive=False)
    for child in sorted(docs_dir.iterdir()):
        if child.is_dir() and child not in generated:
            server.watch(str(child))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    server.watch(str(stamp.parent), recursive=False)
