"""Follow every instance's CloudWatch log stream of a training job.

SageMaker writes one stream per instance to ``/aws/sagemaker/TrainingJobs``, named
``JOB/algo-N-<epoch>``; streams appear when their instance starts, sometimes well
after the first. Each stream is read forward with its own ``nextForwardToken``, so
no event is lost or repeated; the events of one read are merged by timestamp so
instances interleave in time order, each line labelled with its host.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from smtrain.aws.errors import aws_errors
from smtrain.contract import LOG_GROUP
from smtrain.events import RunListener, SilentListener

_HOST = re.compile(r"/(algo-\d+)")
_TRACEBACK_START = "Traceback (most recent call last):"
# Pages read from one stream in one poll; the rest waits for the next poll so
# a chatty instance cannot starve the status checks.
_MAX_PAGES_PER_POLL = 10
_TAIL_LINES = 200
# GetLogEvents pages hold up to 10,000 events; one with this many may have more.
_FULL_PAGE = 1000
# Most polls a quiet stream sits out between two reads.
_MAX_SKIPPED_POLLS = 5


@dataclass
class _Stream:
    name: str
    host: str
    next_token: str | None = None
    quiet_polls: int = 0
    next_poll: int = 0
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=_TAIL_LINES))


@dataclass(frozen=True)
class _Event:
    timestamp: int
    order: int
    stream: _Stream
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
        self._streams: dict[str, _Stream] = {}
        self._polls = 0
        self.calls = 0

    @property
    def stream_names(self) -> list[str]:
        return list(self._streams)

    def poll(self, *, discover: bool = True, every_stream: bool = False) -> int:
        """Emit the lines written since the last poll; returns the event count.

        A stream that has been quiet is read only on every n-th poll (n grows
        with its silence, up to ``_MAX_SKIPPED_POLLS`` + 1): in distributed
        training often one host logs and the rest stay silent. Nothing is lost,
        only delayed; ``every_stream`` reads them all, as the final read must.
        """
        if discover:
            self.discover()
        self._polls += 1
        events: list[_Event] = []
        try:
            for stream in self._streams.values():
                if every_stream or self._polls >= stream.next_poll:
                    before = len(events)
                    self._read(stream, events)
                    self._schedule(stream, len(events) - before)
        finally:
            # A read that fails part way has already moved the tokens of the
            # pages before it: their lines are shown now, or never.
            self._emit(events)
        return len(events)

    def _emit(self, events: list[_Event]) -> None:
        events.sort(key=lambda e: (e.timestamp, e.stream.host, e.order))
        for event in events:
            # One event may hold several lines; each is labelled with its host.
            for line in event.message.rstrip("\n").split("\n"):
                event.stream.tail.append(line)
                self._listener.log(event.stream.host, line)

    def _schedule(self, stream: _Stream, new_events: int) -> None:
        stream.quiet_polls = 0 if new_events else stream.quiet_polls + 1
        skipped = min(stream.quiet_polls, _MAX_SKIPPED_POLLS)
        stream.next_poll = self._polls + 1 + skipped

    def traceback(self) -> str:
        """The last Python traceback any instance logged, up to its end."""
        return find_traceback(list(s.tail) for s in self._streams.values())

    def discover(self) -> None:
        """Pick up streams that appeared since the last look."""
        token: str | None = None
        with aws_errors("listing the job's log streams"):
            while True:
                page = self._describe_streams(token)
                for item in page.get("logStreams", []):
                    name = item["logStreamName"]
                    self._streams.setdefault(name, _Stream(name, host_of(name)))
                token = page.get("nextToken")
                if not token:
                    return

    def _describe_streams(self, token: str | None) -> Any:
        args: dict[str, Any] = {
            "logGroupName": LOG_GROUP,
            "logStreamNamePrefix": self._prefix,
        }
        if token:
            args["nextToken"] = token
        self.calls += 1
        try:
            return self._logs.describe_log_streams(**args)
        except self._logs.exceptions.ResourceNotFoundException:
            # The log group appears with the first stream of the account.
            return {}

    def _read(self, stream: _Stream, events: list[_Event]) -> None:
        """Append the stream's new events to ``events``, page by page."""
        with aws_errors(f"reading the log stream {stream.name}"):
            for _ in range(_MAX_PAGES_PER_POLL):
                page = self._get_events(stream)
                for item in page.get("events", []):
                    events.append(
                        _Event(item["timestamp"], len(events), stream, item["message"])
                    )
                stream.next_token = page.get("nextForwardToken") or stream.next_token
                # A short page almost surely reached the end; if not, the rest
                # comes with the next poll (the token is kept), so asking again
                # now would mostly cost an empty call.
                if len(page.get("events", [])) < _FULL_PAGE:
                    break

    def _get_events(self, stream: _Stream) -> Any:
        args: dict[str, Any] = {
            "logGroupName": LOG_GROUP,
            "logStreamName": stream.name,
            "startFromHead": True,
        }
        if stream.next_token:
            args["nextToken"] = stream.next_token
        self.calls += 1
        return self._logs.get_log_events(**args)


def read_last_lines(logs: Any, job_name: str, limit: int = 100) -> str:
    """The traceback at the end of a job's logs, for runs that did not stream them."""
    tailer = LogTailer(logs, job_name, SilentListener())
    tailer.discover()
    tails: list[list[str]] = []
    with aws_errors("reading the end of the job's logs"):
        for name in tailer.stream_names:
            page = logs.get_log_events(
                logGroupName=LOG_GROUP,
                logStreamName=name,
                limit=limit,
                startFromHead=False,
            )
            tails.append([item["message"] for item in page.get("events", [])])
    return find_traceback(tails)


def find_traceback(tails: Iterable[list[str]]) -> str:
    """From the last ``Traceback`` line of the last stream that has one, to its end."""
    best = ""
    for lines in tails:
        starts = [i for i, line in enumerate(lines) if _TRACEBACK_START in line]
        if starts:
            best = "\n".join(lines[starts[-1] :])
    return best
