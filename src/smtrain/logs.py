"""Follow every instance's CloudWatch log stream of a training job.

SageMaker writes one stream per instance to ``/aws/sagemaker/TrainingJobs``, named
``JOB/algo-N-<epoch>``; streams appear when their instance starts, sometimes well
after the first. One FilterLogEvents call with the stream prefix ``JOB/`` reads
every stream at once, late ones included, with the instances' events in time
order: one call per read however many instances the job has.

FilterLogEvents selects by event time, and a line can reach CloudWatch a little
after a later line (another instance's, or its own when the agent batches). So
each read starts a look-back window before the newest event already shown, and
events already shown are recognised by their ``eventId``: nothing is shown twice,
and nothing is missed unless it reaches CloudWatch later than the window (at
least a minute, and twice the longest ingestion delay seen in this job).
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from smtrain.aws.errors import aws_errors
from smtrain.contract import LOG_GROUP
from smtrain.events import RunListener

_HOST = re.compile(r"/(algo-\d+)")
_TRACEBACK_START = "Traceback (most recent call last):"
# Pages read in one poll; the rest of a long backlog waits for the next poll
# (from where this one stopped) so a chatty job cannot starve the status checks.
_MAX_PAGES_PER_POLL = 10
_TAIL_LINES = 200
_MIN_LOOKBACK_MS = 60_000
_MAX_LOOKBACK_MS = 15 * 60_000


@dataclass(frozen=True)
class _Event:
    event_id: str
    timestamp: int
    ingested: int
    order: int
    host: str
    message: str


def host_of(stream_name: str) -> str:
    """``algo-2`` for ``job/algo-2-1700000000``; the stream suffix otherwise."""
    match = _HOST.search(stream_name)
    return match.group(1) if match else stream_name.partition("/")[2]


class LogTailer:
    """Reads new log lines of one job and hands them to the listener in time order."""

    def __init__(self, logs: Any, job_name: str, listener: RunListener) -> None:
        self._logs = logs
        self._prefix = f"{job_name}/"
        self._listener = listener
        self._tails: dict[str, deque[str]] = {}
        # eventId -> timestamp of the events shown that a later read may see again.
        self._shown: dict[str, int] = {}
        self._newest = 0
        self._lookback = _MIN_LOOKBACK_MS
        # Start time of the next read: it never moves back, so an event older
        # than it, forgotten by ``_shown``, cannot be returned again.
        self._start = 0
        # Page token of a read that stopped at _MAX_PAGES_PER_POLL.
        self._resume: str | None = None
        self.calls = 0

    @property
    def behind(self) -> bool:
        """The last read stopped before the end; the next continues from there."""
        return self._resume is not None

    def poll(self) -> int:
        """Emit the lines written since the last poll; returns the event count."""
        events = self._read_new()
        events.sort(key=lambda e: (e.timestamp, e.host, e.order))
        for event in events:
            tail = self._tails.setdefault(event.host, deque(maxlen=_TAIL_LINES))
            # One event may hold several lines; each is labelled with its host.
            for line in event.message.rstrip("\n").split("\n"):
                tail.append(line)
                self._listener.log(event.host, line)
        self._remember(events)
        return len(events)

    def traceback(self) -> str:
        """The last Python traceback any instance logged, up to its end."""
        return find_traceback(list(tail) for tail in self._tails.values())

    def _read_new(self) -> list[_Event]:
        token, self._resume = self._resume, None
        events: list[_Event] = []
        ids: set[str] = set()
        with aws_errors("reading the job's log streams"):
            for _ in range(_MAX_PAGES_PER_POLL):
                page = self._filter(self._start, token)
                for item in page.get("events", []):
                    event = self._new_event(item, len(events))
                    if event is not None and event.event_id not in ids:
                        ids.add(event.event_id)
                        events.append(event)
                token = page.get("nextToken")
                if not token:
                    return events
        self._resume = token
        return events

    def _new_event(self, item: dict[str, Any], order: int) -> _Event | None:
        """The event, unless it was shown already or belongs to another job."""
        stream = item.get("logStreamName", "")
        # CloudWatch applies the prefix itself; moto's FilterLogEvents ignores it.
        if item["eventId"] in self._shown or not stream.startswith(self._prefix):
            return None
        timestamp = item["timestamp"]
        return _Event(
            item["eventId"],
            timestamp,
            item.get("ingestionTime", timestamp),
            order,
            host_of(stream),
            item["message"],
        )

    def _filter(self, start_time: int, token: str | None) -> Any:
        args: dict[str, Any] = {
            "logGroupName": LOG_GROUP,
            "logStreamNamePrefix": self._prefix,
            "startTime": start_time,
        }
        if token:
            args["nextToken"] = token
        self.calls += 1
        try:
            return self._logs.filter_log_events(**args)
        except self._logs.exceptions.ResourceNotFoundException:
            # The log group appears with the first stream of the account.
            return {}

    def _remember(self, events: list[_Event]) -> None:
        """Widen the window to the delays seen; forget what no read can return."""
        for event in events:
            self._shown[event.event_id] = event.timestamp
            self._newest = max(self._newest, event.timestamp)
            delay = 2 * (event.ingested - event.timestamp)
            self._lookback = min(max(self._lookback, delay), _MAX_LOOKBACK_MS)
        if self._resume is None:
            # A host whose clock runs ahead must not carry the window past
            # lines still to come from the others.
            newest = min(self._newest, int(time.time() * 1000))
            self._start = max(self._start, newest - self._lookback)
        self._shown = {i: t for i, t in self._shown.items() if t >= self._start}


def read_last_lines(logs: Any, job_name: str, limit: int = 100) -> str:
    """The traceback at the end of a job's logs, for runs that did not stream them."""
    tails: list[list[str]] = []
    with aws_errors("reading the end of the job's logs"):
        for name in _stream_names(logs, f"{job_name}/"):
            page = logs.get_log_events(
                logGroupName=LOG_GROUP,
                logStreamName=name,
                limit=limit,
                startFromHead=False,
            )
            tails.append([item["message"] for item in page.get("events", [])])
    return find_traceback(tails)


def _stream_names(logs: Any, prefix: str) -> list[str]:
    names: list[str] = []
    args: dict[str, Any] = {"logGroupName": LOG_GROUP, "logStreamNamePrefix": prefix}
    while True:
        try:
            page = logs.describe_log_streams(**args)
        except logs.exceptions.ResourceNotFoundException:
            return names
        names += [item["logStreamName"] for item in page.get("logStreams", [])]
        if not page.get("nextToken"):
            return names
        args["nextToken"] = page["nextToken"]


def find_traceback(tails: Iterable[list[str]]) -> str:
    """From the last ``Traceback`` line of the last stream that has one, to its end."""
    best = ""
    for lines in tails:
        starts = [i for i, line in enumerate(lines) if _TRACEBACK_START in line]
        if starts:
            best = "\n".join(lines[starts[-1] :])
    return best
