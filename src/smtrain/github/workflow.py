"""Workflow commands: the ``::name props::message`` lines the runner interprets.

See https://docs.github.com/actions/reference/workflow-commands-for-github-actions.
Messages and properties are escaped the way the runner unescapes them, so a
newline in a failure reason stays inside one annotation instead of ending it.

Lines someone else wrote (a training log) are echoed with workflow commands
stopped: the runner obeys any line that looks like a command, so a log line
``::set-output ...`` or ``::add-mask::...`` would otherwise act on the step.
"""

from __future__ import annotations

import secrets
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
    Every command of ours first resumes commands stopped by ``echo``.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stdout
        self._group_open = False
        self._masked: set[str] = set()
        self._resume_marker = ""

    def line(self, text: str) -> None:
        print(text, file=self._stream, flush=True)

    def echo(self, text: str) -> None:
        """A line someone else wrote: shown, never obeyed as a command."""
        if not self._resume_marker:
            # Fresh and unguessable each time, so the echoed text cannot
            # print the line that resumes commands.
            self._resume_marker = secrets.token_hex(16)
            self.line(command_line("stop-commands", self._resume_marker))
        self.line(text)

    def resume(self) -> None:
        """Let the runner obey commands again after ``echo``."""
        if self._resume_marker:
            self.line(f"::{self._resume_marker}::")
            self._resume_marker = ""

    def _command(self, text: str) -> None:
        self.resume()
        self.line(text)

    def mask(self, secret: str | None) -> None:
        """Tell the runner to hide ``secret``, each line of it, from the log."""
        for value in {secret or "", *(secret or "").splitlines()}:
            if value.strip() and value not in self._masked:
                self._masked.add(value)
                self._command(command_line("add-mask", value))

    def debug(self, message: str) -> None:
        self._command(command_line("debug", message))

    def warning(self, message: str, **where: str | int) -> None:
        self._command(command_line("warning", message, **where))

    def error(self, message: str, **where: str | int) -> None:
        """An annotation; ``where`` takes ``file``, ``line`` and ``title``."""
        self._command(command_line("error", message, **where))

    def group(self, title: str) -> None:
        self.end_group()
        self._command(command_line("group", title))
        self._group_open = True

    def end_group(self) -> None:
        self.resume()
        if self._group_open:
            self.line("::endgroup::")
            self._group_open = False
