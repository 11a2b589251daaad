"""Worker processes of a build: they end with it, and what they say is said by it.

A build forks workers (leaflets, the site's languages). Two things make them behave like
part of the command that started them:

- `die_with_parent()`: a worker ends when the build is killed, instead of living on.
- `objects_kept_from_collection()`: around the forks of a build, the objects made so far
  are moved out of the garbage collector's reach (gc.freeze), so that a collection in a
  child does not write to every inherited object's header and so copy every page of the
  parent's memory (measured pair by pair against the build without it: one-edit
  rebuild at 20x5 0.95x the time, full build at 5x5 0.94x).
- `ChildMessages`: a worker's log records and progress messages are shown by the parent.
  A forked child writes to the file descriptors it inherits, which is all a terminal needs;
  but whoever runs the command inside a Python process of their own (a test through
  click's CliRunner, an editor's script) reads its messages from Python objects that a
  child cannot reach, and an error found in a worker ("docs/index.ru.md:3: raw HTML is not
  allowed") would be lost. So children send what they say through a pipe, and a thread of
  the parent hands it to the parent's own loggers and progress function.
"""

from __future__ import annotations

import gc
import logging
import threading
from contextlib import contextmanager
from multiprocessing import get_context


@contextmanager
def objects_kept_from_collection():
    """Within: call `before_fork()` before each fork; after: collection as usual again (a
    build run inside a longer-lived process, a test or an editor's script, leaves it as it
    found it)."""
    try:
        yield
    finally:
        gc.unfreeze()


def before_fork() -> None:
    """The objects made so far are never scanned by the garbage collector (in this process
    and the children it forks), so the children share their memory pages instead of
    copying them. As Python's documentation of gc.freeze advises for fork without exec."""
    gc.freeze()


def die_with_parent() -> None:
    """A worker process ends when the build that started it is killed (Linux
    PR_SET_PDEATHSIG), instead of living on, orphaned (elsewhere: nothing happens)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class ChildMessages:
    """The log records and progress messages of forked children, shown by this process.

    Make one before forking; in the child call `in_child()` first, and report progress
    with `say`; in the parent, `close()` once the children are done. Children forked from
    a child (the language workers of the site build) are handled the same way, one level
    at a time.
    """

    def __init__(self, say=lambda message: None) -> None:
        self._queue = get_context("fork").SimpleQueue()
        self._show_progress = say
        self._thread = threading.Thread(target=self._show, name="child messages", daemon=True)
        self._thread.start()

    def _show(self) -> None:
        while (item := self._queue.get()) is not None:
            kind, payload = item
            if kind == "log":
                # As if it had been logged here: this process's loggers decide where it goes.
                logging.getLogger(payload.name).handle(payload)
            else:
                self._show_progress(payload)

    def say(self, message: str) -> None:
        """Report progress (from a child): the parent's progress function shows it."""
        self._queue.put(("say", message))

    def in_child(self) -> None:
        """Send every log record of this (child) process to the parent."""
        die_with_parent()
        sender = _SendToParent(self._queue)
        root = logging.getLogger()
        for logger in [root, *logging.Logger.manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger):
                for handler in list(logger.handlers):
                    logger.removeHandler(handler)
                # Every record reaches the root's sender; the parent routes it again.
                logger.propagate = True
        root.addHandler(sender)

    def close(self) -> None:
        """Stop showing (in the parent), once every child has ended."""
        self._queue.put(None)
        self._thread.join()


class _SendToParent(logging.Handler):
    def __init__(self, queue) -> None:
        super().__init__()
        self._queue = queue

    def emit(self, record: logging.LogRecord) -> None:
        try:
            # A record travels pickled: its message made now, without arguments or a
            # traceback object (the text of the traceback goes with the message).
            message = record.getMessage()
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                message = f"{message}\n{record.exc_text}"
            record.msg, record.args, record.exc_info, record.exc_text = message, None, None, None
            self._queue.put(("log", record))
        except Exception:
            self.handleError(record)
