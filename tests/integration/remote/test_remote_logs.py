"""Logs of several instances: late streams, time order, nothing lost or repeated."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from remote_support import make_spec
from sagemaker_double import JobPlan, SageMakerDouble

from recording import RecordingListener
from smtrain import logs as logs_module
from smtrain.cancel import CancelToken
from smtrain.contract import LOG_GROUP
from smtrain.logs import LogTailer, host_of
from smtrain.remote import RequestBuilder, run_remote


def test_four_instances_with_a_late_one_are_all_streamed_once(
    sagemaker_double: SageMakerDouble,
    listener: RecordingListener,
    builder: RequestBuilder,
) -> None:
    sagemaker_double.plans["fleet"] = JobPlan(lines_per_host=12, late_hosts={3: 0.5})
    spec = make_spec(**{"job-name": "fleet", "instance-count": 4})

    run_remote(spec, listener, CancelToken(), builder=builder)

    expected = {
        (f"algo-{h}", f"fleet algo-{h} line {n}")
        for h in range(1, 5)
        for n in range(1, 13)
    }
    assert len(listener.lines) == len(expected)
    assert set(listener.lines) == expected
    for host in range(1, 5):
        own = [line for h, line in listener.lines if h == f"algo-{host}"]
        assert own == [f"fleet algo-{host} line {n}" for n in range(1, 13)]


def test_lines_of_one_read_are_merged_in_time_order(aws_endpoint: str) -> None:
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName=LOG_GROUP)
    # CloudWatch refuses events older than 14 days; stay near now.
    base = int(time.time() * 1000) - 10_000
    for host, offsets in (("algo-1", [1000, 3000]), ("algo-2", [2000, 4000])):
        stamps = [base + offset for offset in offsets]
        stream = f"merge/{host}-1700000000"
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
        events: list[dict[str, Any]] = [
            {"timestamp": t, "message": f"{host} at {t - base}"} for t in stamps
        ]
        logs.put_log_events(
            logGroupName=LOG_GROUP, logStreamName=stream, logEvents=events
        )
    listener = RecordingListener()

    LogTailer(logs, "merge", listener).poll()

    assert [line for _, line in listener.lines] == [
        "algo-1 at 1000",
        "algo-2 at 2000",
        "algo-1 at 3000",
        "algo-2 at 4000",
    ]


def test_a_second_read_returns_only_new_lines(aws_endpoint: str) -> None:
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName=LOG_GROUP)
    stream = "again/algo-1-1700000000"
    logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
    listener = RecordingListener()
    tailer = LogTailer(logs, "again", listener)
    base = int(time.time() * 1000) - 10_000

    assert tailer.poll() == 0
    for batch in range(3):
        events = [
            {"timestamp": base + 1000 * batch + i, "message": f"b{batch} l{i}"}
            for i in range(3)
        ]
        logs.put_log_events(
            logGroupName=LOG_GROUP, logStreamName=stream, logEvents=events
        )
        assert tailer.poll() == 3
    assert tailer.poll() == 0

    assert [line for _, line in listener.lines] == [
        f"b{b} l{i}" for b in range(3) for i in range(3)
    ]


def test_host_label_comes_from_the_stream_name() -> None:
    assert host_of("job-1/algo-12-1700000000") == "algo-12"
    assert host_of("job-1/custom") == "custom"


def test_a_multiline_event_becomes_labelled_lines(aws_endpoint: str) -> None:
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName=LOG_GROUP)
    stream = "multi/algo-1-1700000000"
    logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
    event = {"timestamp": int(time.time() * 1000), "message": "first\nsecond\n"}
    logs.put_log_events(logGroupName=LOG_GROUP, logStreamName=stream, logEvents=[event])
    listener = RecordingListener()

    assert LogTailer(logs, "multi", listener).poll() == 1

    assert listener.lines == [("algo-1", "first"), ("algo-1", "second")]


def test_one_call_reads_every_stream_and_a_quiet_one_loses_nothing(
    aws_endpoint: str,
) -> None:
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName=LOG_GROUP)
    streams = {h: f"quiet/algo-{h}-1700000000" for h in (1, 2)}
    for name in streams.values():
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=name)
    base = int(time.time() * 1000) - 60_000
    listener = RecordingListener()
    tailer = LogTailer(logs, "quiet", listener)

    for n in range(10):  # algo-1 logs on every poll, algo-2 stays silent
        event = {"timestamp": base + n, "message": f"busy {n}"}
        logs.put_log_events(
            logGroupName=LOG_GROUP, logStreamName=streams[1], logEvents=[event]
        )
        tailer.poll()
    calls_for_ten_polls = tailer.calls
    late = {"timestamp": base + 100, "message": "quiet host speaks"}
    logs.put_log_events(
        logGroupName=LOG_GROUP, logStreamName=streams[2], logEvents=[late]
    )
    tailer.poll()

    assert calls_for_ten_polls == 10
    assert [line for _, line in listener.lines] == [
        *(f"busy {n}" for n in range(10)),
        "quiet host speaks",
    ]


def test_a_line_that_arrives_after_a_later_one_is_shown_once(
    aws_endpoint: str,
) -> None:
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName=LOG_GROUP)
    streams = {h: f"late/algo-{h}-1700000000" for h in (1, 2)}
    for name in streams.values():
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=name)
    base = int(time.time() * 1000) - 30_000
    listener = RecordingListener()
    tailer = LogTailer(logs, "late", listener)
    early = {"timestamp": base + 5_000, "message": "algo-1 later"}
    logs.put_log_events(
        logGroupName=LOG_GROUP, logStreamName=streams[1], logEvents=[early]
    )
    tailer.poll()

    # algo-2's line is older than one already shown, but reached CloudWatch after.
    late = {"timestamp": base, "message": "algo-2 earlier"}
    logs.put_log_events(
        logGroupName=LOG_GROUP, logStreamName=streams[2], logEvents=[late]
    )
    tailer.poll()
    tailer.poll()

    assert listener.lines == [("algo-1", "algo-1 later"), ("algo-2", "algo-2 earlier")]


def test_another_jobs_streams_are_left_out(aws_endpoint: str) -> None:
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName=LOG_GROUP)
    now = int(time.time() * 1000)
    for job in ("mine", "mine-2"):
        stream = f"{job}/algo-1-1700000000"
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
        event = {"timestamp": now, "message": f"{job} says"}
        logs.put_log_events(
            logGroupName=LOG_GROUP, logStreamName=stream, logEvents=[event]
        )
    listener = RecordingListener()

    LogTailer(logs, "mine", listener).poll()

    assert listener.lines == [("algo-1", "mine says")]


def test_a_long_backlog_is_read_over_several_polls_without_gaps(
    aws_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs_module, "_MAX_PAGES_PER_POLL", 2)
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName=LOG_GROUP)
    stream = "backlog/algo-1-1700000000"
    logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
    base = int(time.time() * 1000) - 60_000
    events = [{"timestamp": base + n, "message": f"l{n}"} for n in range(25)]
    logs.put_log_events(logGroupName=LOG_GROUP, logStreamName=stream, logEvents=events)
    listener = RecordingListener()
    tailer = LogTailer(logs, "backlog", listener)
    real_filter = logs.filter_log_events

    def small_pages(**args: Any) -> Any:
        return real_filter(**args, limit=5)

    monkeypatch.setattr(logs, "filter_log_events", small_pages)

    counts = [tailer.poll() for _ in range(3)]
    while tailer.poll() or tailer.behind:
        pass

    assert counts == [10, 10, 5]
    assert [line for _, line in listener.lines] == [f"l{n}" for n in range(25)]
