"""Report each status and secondary-status transition of a training job once."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from smtrain.events import RunListener
from smtrain.result import IN_PROGRESS, StatusTransition


class TransitionReporter:
    """Turns successive DescribeTrainingJob answers into new transitions only.

    SageMaker keeps the whole history in ``SecondaryStatusTransitions`` and may
    update the message of the latest entry, so an entry is reported again only
    when its message changed; entries skipped between two polls are still shown.
    """

    def __init__(self, listener: RunListener) -> None:
        self._listener = listener
        self._seen: list[tuple[str, str]] = []
        self._status = ""
        self.transitions: list[StatusTransition] = []

    def update(self, description: dict[str, Any]) -> bool:
        """Report what is new in ``description``; True when anything was."""
        before = len(self.transitions)
        entries = description.get("SecondaryStatusTransitions") or []
        status = description.get("TrainingJobStatus", "")
        for index, entry in enumerate(entries):
            key = (entry.get("Status", ""), entry.get("StatusMessage", ""))
            if index < len(self._seen) and self._seen[index] == key:
                continue
            self._seen[index:] = [key]
            last = index == len(entries) - 1
            self._emit(status if last else IN_PROGRESS, key, entry.get("StartTime"))
        if status != self._status and len(self.transitions) == before:
            secondary = description.get("SecondaryStatus", "")
            self._emit(status, (secondary, ""), description.get("LastModifiedTime"))
        self._status = status
        return len(self.transitions) > before

    def _emit(self, status: str, key: tuple[str, str], when: Any) -> None:
        time = when if isinstance(when, datetime) else datetime.now(timezone.utc)
        transition = StatusTransition(time, status, key[0], key[1])
        self.transitions.append(transition)
        self._listener.status(transition)
