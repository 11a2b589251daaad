"""Problems found in the sources, and the error that carries them.

A problem names the file, the line (when there is one), what was wrong and how to fix it,
so that an editor can go straight to it:

    pamphlets/work-permit/ru.md:3: 'status' must be one of draft, reviewed; got 'done'

Loading collects every problem it finds before it fails, so one run shows them all.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one source file."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """The sources have problems; the build cannot go on. `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ProblemList(list[Problem]):
    """A list of problems with a helper to add one and to raise when not empty."""

    def add(self, path: str, line: int | None, message: str) -> None:
        self.append(Problem(path, line, message))

    def raise_if_any(self) -> None:
        if self:
            raise ContentError(self)


def did_you_mean(word: str, choices) -> str:
    """" (did you mean 'alpha'?)" when one of `choices` is close to `word`, else ""."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
