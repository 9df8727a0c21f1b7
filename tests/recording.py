"""A run listener that keeps everything a run reports, for the tests to read.

One for every suite (local, remote, tuning, faults): a module of its own beside
``safe_env``, as conftest modules cannot be imported by name unambiguously.
"""

from __future__ import annotations

from collections.abc import Callable

from smtrain.result import StatusTransition


class RecordingListener:
    """Keeps infos, warnings, transitions and log lines; ``on_log`` sees each line."""

    def __init__(self, on_log: Callable[[str, str], None] | None = None) -> None:
        self.infos: list[str] = []
        self.warnings: list[str] = []
        self.transitions: list[StatusTransition] = []
        self.lines: list[tuple[str, str]] = []
        self._on_log = on_log

    def info(self, message: str) -> None:
        self.infos.append(message)

    def warning(self, message: str) -> None:
        self.warnings.append(message)

    def debug(self, message: str) -> None:
        pass

    def status(self, transition: StatusTransition) -> None:
        self.transitions.append(transition)

    def log(self, host: str, line: str) -> None:
        self.lines.append((host, line))
        if self._on_log:
            self._on_log(host, line)

    def secondary_statuses(self) -> list[str]:
        return [t.secondary_status for t in self.transitions]
