"""A listener that tells one local trial's messages and log lines apart."""

from __future__ import annotations

from smtrain.events import RunListener
from smtrain.result import StatusTransition


class TrialListener:
    """Forwards to the search's listener with the trial number in front.

    A trial's status changes are detail next to the search's own, so they go
    to ``debug``.
    """

    def __init__(self, listener: RunListener, number: int) -> None:
        self._listener = listener
        self._label = f"trial {number:03d}"

    def info(self, message: str) -> None:
        self._listener.info(f"{self._label}: {message}")

    def warning(self, message: str) -> None:
        self._listener.warning(f"{self._label}: {message}")

    def debug(self, message: str) -> None:
        self._listener.debug(f"{self._label}: {message}")

    def status(self, transition: StatusTransition) -> None:
        self._listener.debug(f"{self._label}: {transition.secondary_status}")

    def log(self, host: str, line: str) -> None:
        self._listener.log(f"{self._label}/{host}", line)
