"""Status transitions are reported once each, including ones skipped between polls."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from smtrain.result import StatusTransition
from smtrain.transitions import TransitionReporter

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


class _Collect:
    def __init__(self) -> None:
        self.seen: list[StatusTransition] = []

    def info(self, message: str) -> None: ...
    def warning(self, message: str) -> None: ...
    def debug(self, message: str) -> None: ...
    def log(self, host: str, line: str) -> None: ...

    def status(self, transition: StatusTransition) -> None:
        self.seen.append(transition)


def _description(status: str, *entries: tuple[str, str]) -> dict[str, Any]:
    return {
        "TrainingJobStatus": status,
        "SecondaryStatus": entries[-1][0] if entries else "",
        "SecondaryStatusTransitions": [
            {"Status": s, "StatusMessage": m, "StartTime": T0} for s, m in entries
        ],
    }


def test_each_transition_is_reported_once() -> None:
    listener = _Collect()
    reporter = TransitionReporter(listener)
    starting = ("Starting", "Preparing")

    assert reporter.update(_description("InProgress", starting))
    assert not reporter.update(_description("InProgress", starting))
    assert reporter.update(_description("InProgress", starting, ("Training", "Go")))

    assert [t.secondary_status for t in listener.seen] == ["Starting", "Training"]


def test_transitions_between_two_polls_are_not_lost() -> None:
    listener = _Collect()
    reporter = TransitionReporter(listener)

    reporter.update(
        _description(
            "Completed", ("Starting", ""), ("Training", ""), ("Completed", "done")
        )
    )

    assert [(t.status, t.secondary_status) for t in listener.seen] == [
        ("InProgress", "Starting"),
        ("InProgress", "Training"),
        ("Completed", "Completed"),
    ]


def test_a_new_message_on_the_latest_entry_is_reported() -> None:
    listener = _Collect()
    reporter = TransitionReporter(listener)
    reporter.update(_description("InProgress", ("Starting", "Preparing")))

    reporter.update(_description("InProgress", ("Starting", "Launching instances")))

    assert [t.message for t in listener.seen] == ["Preparing", "Launching instances"]


def test_a_primary_status_change_alone_is_reported() -> None:
    listener = _Collect()
    reporter = TransitionReporter(listener)
    reporter.update(_description("InProgress", ("Training", "")))

    reporter.update(_description("Stopping", ("Training", "")))

    assert [t.status for t in listener.seen] == ["InProgress", "Stopping"]
