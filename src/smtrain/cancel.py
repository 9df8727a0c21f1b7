"""Cancellation shared by every phase of a run.

The CLI turns SIGINT and SIGTERM into ``CancelToken.cancel()``; runners poll
``token.cancelled`` or wait on it instead of sleeping, so a cancel is noticed
within one wait and the job can be stopped within the runner's 7.5 s grace.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

CANCELLED_BEFORE_SUBMIT = "cancelled before the job was submitted; nothing is running"


class CancelToken:
    """Set once when the user or the runner asks smtrain to stop."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.signal_name = ""

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self, signal_name: str = "") -> None:
        self.signal_name = self.signal_name or signal_name
        self._event.set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True as soon as the run is cancelled."""
        return self._event.wait(seconds)


@contextmanager
def cancel_on_signals(token: CancelToken) -> Iterator[CancelToken]:
    """Route SIGINT and SIGTERM to ``token`` while the block runs."""

    def handle(signum: int, _frame: FrameType | None) -> None:
        token.cancel(signal.Signals(signum).name)

    previous = {
        sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield token
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def interrupt_on_sigterm() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt in the block, as SIGINT already does.

    For the phases before ``cancel_on_signals`` takes over (reading the spec):
    the runner cancels a container step with SIGTERM, whose default action
    would end the process with no outputs and no summary.
    """

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
