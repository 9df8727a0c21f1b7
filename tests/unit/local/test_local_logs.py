"""Metric extraction and traceback tails from training logs."""

from __future__ import annotations

from smtrain.local.logs import LogTail, MetricExtractor
from smtrain.spec import MetricDefinition


def _extractor(*pairs: tuple[str, str]) -> MetricExtractor:
    return MetricExtractor([MetricDefinition(name=n, regex=r) for n, r in pairs])


def test_every_match_is_recorded_and_the_last_is_final() -> None:
    metrics = _extractor(("loss", r"loss: ([-+0-9.eE]+)"), ("acc", r"acc=(\S+)"))
    for line in ["loss: 0.9 acc=0.5", "noise", "loss: 4e-1", "acc=0.75 done"]:
        metrics.observe(line)

    assert metrics.series == {"loss": [0.9, 0.4], "acc": [0.5, 0.75]}
    assert metrics.final == {"loss": 0.4, "acc": 0.75}


def test_values_that_are_not_finite_numbers_are_dropped() -> None:
    metrics = _extractor(("loss", r"loss: (\S+)"))
    for line in ["loss: nan", "loss: inf", "loss: n/a", "loss: 2"]:
        metrics.observe(line)
    assert metrics.series == {"loss": [2.0]}


def test_regex_without_group_records_the_whole_match() -> None:
    metrics = _extractor(("steps", r"\d+(?= steps)"))
    metrics.observe("ran 12 steps")
    assert metrics.final == {"steps": 12.0}


def test_no_definition_matched_gives_no_metric() -> None:
    metrics = _extractor(("loss", r"loss: (\S+)"))
    metrics.observe("nothing here")
    assert metrics.final == {} and metrics.series == {}


def test_traceback_tail_is_the_last_traceback() -> None:
    tail = LogTail()
    lines = [
        "Traceback (most recent call last):",
        "old",
        "step 1",
        "Traceback (most recent call last):",
        '  File "train.py", line 3',
        "KeyError: 'x'",
    ]
    for line in lines:
        tail.observe(line)

    assert tail.traceback() == "\n".join(lines[3:])
    assert tail.last_error_line() == "KeyError: 'x'"


def test_without_traceback_the_tail_is_the_last_lines() -> None:
    tail = LogTail()
    for number in range(100):
        tail.observe(f"line {number}")
    text = tail.traceback().splitlines()
    assert text[-1] == "line 99" and len(text) == 40
