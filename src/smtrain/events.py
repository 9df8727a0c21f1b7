"""How the layers below the CLI tell the user what is happening, without printing.

Runners (remote and local) and the monitor call a ``RunListener``; the CLI and the
GitHub action each provide one that renders to their medium.
"""

from __future__ import annotations

from typing import Protocol

from smtrain.result import StatusTransition


class RunListener(Protocol):
    def info(self, message: str) -> None:
        """A one-line progress note (submitted, uploading code, attached...)."""

    def warning(self, message: str) -> None:
        """Something the user should know but that does not stop the run."""

    def debug(self, message: str) -> None:
        """Diagnostics shown only when asked (request ids, poll decisions)."""

    def status(self, transition: StatusTransition) -> None:
        """A new status or secondary status, reported once per transition."""

    def log(self, host: str, line: str) -> None:
        """One line of one instance's training log, in time order."""


class SilentListener:
    """A listener that drops everything, for library callers and tests."""

    def info(self, message: str) -> None:
        pass

    def warning(self, message: str) -> None:
        pass

    def debug(self, message: str) -> None:
        pass

    def status(self, transition: StatusTransition) -> None:
        pass

    def log(self, host: str, line: str) -> None:
        pass
