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
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..content.catalog import Catalog

READY_STAMP = "leaflets-ready"


def leaflet_inputs(catalog: Catalog, config_file: str) -> dict[tuple[str, str], str]:
    """A fingerprint of what each leaflet (pamphlet, language) is made of: its text as
    written, the version of the text it was translated from (which makes it outdated or
    not), the pamphlet's settings, and what every leaflet shares: the facts, the interface
    strings, the ledger (through the catalog) and mkdocs.yml."""
    shared = hashlib.sha256(Path(config_file).read_bytes())
    shared.update(repr(sorted(catalog.facts.items())).encode())
    shared.update(repr(sorted(catalog.ui.items())).encode())
    shared.update(repr(catalog.ledger).encode())
    common = shared.hexdigest()
    inputs = {}
    for pamphlet in catalog.pamphlets:
        source = pamphlet.translations.get(pamphlet.settings.source_language)
        source_version = source.version if source else ""
        for language, translation in pamphlet.translations.items():
            digest = hashlib.sha256(f"{common}\n{source_version}\n".encode())
            digest.update(repr(pamphlet.settings).encode())
            digest.update(f"{language} {translation.version} {translation.body}".encode())
            inputs[(pamphlet.slug, language)] = digest.hexdigest()
    return inputs


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
        # Leaflet inputs (leaflet_inputs) of the run going on or last started, of the next
        # one wanted, and of the last one that ended.
        self._made_for: dict | None = None
        self._wanted: dict | None = None
        self._ended: dict = {}

    @property
    def running(self) -> bool:
        with self._lock:
            return self._process is not None

    def being_made(self, inputs: dict) -> set[tuple[str, str]]:
        """The leaflets being made now: changed since the last run that ended (all of them
        in the preview's first run), while a run goes on."""
        with self._lock:
            if self._process is None:
                return set()
            return {key for key, value in inputs.items() if self._ended.get(key) != value}

    def want(self, inputs: dict) -> None:
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
        command = [sys.executable, "-m", "pamphlet_press", "pdf", "-f", self.config_file]
        # At a lower priority: the pages of the next save come first (on two cores the
        # leaflets would otherwise take the core MkDocs needs). `nice` runs the command in
        # its own place, so the process stopped in stop() is the leaflets' one.
        if shutil.which("nice"):
            command = ["nice", "-n", "10", *command]
        self._process = subprocess.Popen(
            command, env=env,
            stdout=subprocess.DEVNULL,  # the file list; progress and errors go to stderr
        )  # fmt: skip
        threading.Thread(
            target=self._wait, args=(self._process, self._made_for), daemon=True
        ).start()

    def _wait(self, process: subprocess.Popen, inputs: dict) -> None:
        code = process.wait()
        with self._lock:
            self._process = None
            self._ended = inputs
            if self._wanted is not None:
                self._start()
                return
            if code != 0:
                # Its message was printed once; the next change of the texts tries again.
                print("The leaflets could not be made (see above); the pages link the last "
                      "ones made.", file=sys.stderr)  # fmt: skip
                return
        self.touch_stamp()

    def touch_stamp_once_watched(self, server) -> None:
        """Leaflets made while the preview's first build ran (all of them reused, say)
        touched the stamp before MkDocs watched it: the pages would say "being made" until
        the next save. Once the server's watcher runs, the stamp is touched again if the
        run has ended (if not, its end touches it), which rebuilds the pages once."""

        def touch_when_watched() -> None:
            # MkDocs' server starts its watcher (`observer`, a watchdog thread) in serve();
            # were it ever named otherwise, a second's wait does the same.
            observer = getattr(server, "observer", None)
            deadline = time.monotonic() + (60 if observer is not None else 1)
            while not (observer is not None and observer.is_alive()):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            time.sleep(0.1)  # the polling watcher's first look at the files
            if not self.running:
                self.touch_stamp()

        threading.Thread(target=touch_when_watched, daemon=True).start()

    def touch_stamp(self) -> None:
        """Tell the preview (which watches the stamp) that the leaflets are ready."""
        self.stamp.parent.mkdir(parents=True, exist_ok=True)
        self.stamp.write_text(str(time.time_ns()), encoding="utf-8")

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
