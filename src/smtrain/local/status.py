"""The status transitions of a local run, named as SageMaker names them."""

from __future__ import annotations

from datetime import datetime, timezone

from smtrain.events import RunListener
from smtrain.result import COMPLETED, FAILED, IN_PROGRESS, STOPPED, StatusTransition

STARTING = "Starting"
DOWNLOADING = "Downloading"
TRAINING = "Training"
UPLOADING = "Uploading"
MAX_RUNTIME_EXCEEDED = "MaxRuntimeExceeded"

_MESSAGES = {
    STARTING: "Preparing the local job root",
    DOWNLOADING: "Downloading input data",
    TRAINING: "Training in progress on this machine",
    UPLOADING: "Uploading generated training model",
    COMPLETED: "Training job completed",
    FAILED: "Training job failed",
    STOPPED: "Training job stopped",
    MAX_RUNTIME_EXCEEDED: "Training job exceeded max-runtime",
}


class StatusLog:
    """Reports each transition to the listener once and keeps them for the result."""

    def __init__(self, listener: RunListener) -> None:
        self._listener = listener
        self.transitions: list[StatusTransition] = []

    def enter(
        self, secondary: str, status: str = IN_PROGRESS, message: str = ""
    ) -> None:
        """``message`` replaces SageMaker's usual text for ``secondary``."""
        transition = StatusTransition(
            time=datetime.now(timezone.utc),
            status=status,
            secondary_status=secondary,
            message=message or _MESSAGES.get(secondary, ""),
        )
        self.transitions.append(transition)
        self._listener.status(transition)
