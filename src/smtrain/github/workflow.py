"""Workflow commands: the ``::name props::message`` lines the runner interprets.

See https://docs.github.com/actions/reference/workflow-commands-for-github-actions.
Messages and properties are escaped the way the runner unescapes them, so a
newline in a failure reason stays inside one annotation instead of ending it.
"""

from __future__ import annotations

import sys
from typing import TextIO


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command_line(name: str, message: str = "", **properties: str | int) -> str:
    """One workflow command; empty properties are left out."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value not in ("", None)
    )
    head = f"::{name} {props}" if props else f"::{name}"
    return f"{head}::{escape_data(message)}"


class WorkflowCommands:
    """Writes workflow commands and plain lines to the step log, one group at a time.

    The runner cannot nest groups, so opening a group closes the one before.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stdout
        self._group_open = False
        self._masked: set[str] = set()

    def line(self, text: str) -> None:
        print(text, file=self._stream, flush=True)

    def mask(self, secret: str | None) -> None:
        """Tell the runner to hide ``secret``, each line of it, from the log."""
        for value in {secret or "", *(secret or "").splitlines()}:
            if value.strip() and value not in self._masked:
                self._masked.add(value)
                self.line(command_line("add-mask", value))

    def debug(self, message: str) -> None:
        self.line(command_line("debug", message))

    def warning(self, message: str, **where: str | int) -> None:
        self.line(command_line("warning", message, **where))

    def error(self, message: str, **where: str | int) -> None:
        """An annotation; ``where`` takes ``file``, ``line`` and ``title``."""
        self.line(command_line("error", message, **where))

    def group(self, title: str) -> None:
        self.end_group()
        self.line(command_line("group", title))
        self._group_open = True

    def end_group(self) -> None:
        if self._group_open:
            self.line("::endgroup::")
            self._group_open = False
