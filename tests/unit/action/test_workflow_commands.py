"""Workflow commands as the runner parses them, and the action's listener."""

from __future__ import annotations

import io
from datetime import datetime, timezone

from smtrain.github.listener import ActionListener, MetricSeries
from smtrain.github.workflow import WorkflowCommands, command_line
from smtrain.result import StatusTransition
from smtrain.spec import MetricDefinition


def _commands() -> tuple[WorkflowCommands, io.StringIO]:
    stream = io.StringIO()
    return WorkflowCommands(stream), stream


def test_message_and_properties_are_escaped_so_one_command_stays_one_line() -> None:
    line = command_line("error", "50% done\nnext", file="a,b.yml", title="x: y")

    assert line == "::error file=a%2Cb.yml,title=x%3A y::50%25 done%0Anext"


def test_empty_properties_are_left_out() -> None:
    assert command_line("error", "boom", file="", line="") == "::error::boom"


def test_a_multiline_secret_is_masked_whole_and_line_by_line_once() -> None:
    commands, stream = _commands()

    commands.mask("first\nsecond")
    commands.mask("first\nsecond")
    commands.mask("")

    assert sorted(stream.getvalue().splitlines()) == [
        "::add-mask::first",
        "::add-mask::first%0Asecond",
        "::add-mask::second",
    ]


def test_opening_a_group_closes_the_previous_one() -> None:
    commands, stream = _commands()

    commands.group("one")
    commands.group("two")
    commands.end_group()
    commands.end_group()

    assert stream.getvalue().splitlines() == [
        "::group::one",
        "::endgroup::",
        "::group::two",
        "::endgroup::",
    ]


def test_listener_folds_each_block_of_one_instance_and_prints_transitions() -> None:
    commands, stream = _commands()
    listener = ActionListener(commands)
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

    listener.log("algo-1", "a")
    listener.log("algo-1", "b")
    listener.log("algo-2", "c")
    listener.status(StatusTransition(when, "InProgress", "Uploading", "saving"))

    assert _tokens_replaced(stream.getvalue()) == [
        "::group::Log of algo-1",
        "::stop-commands::TOKEN",
        "a",
        "b",
        "::TOKEN::",
        "::endgroup::",
        "::group::Log of algo-2",
        "::stop-commands::TOKEN",
        "c",
        "::TOKEN::",
        "::endgroup::",
        "03:04:05 InProgress - Uploading: saving",
    ]


def test_metric_series_come_from_the_first_instance_only() -> None:
    definitions = [MetricDefinition(name="loss", regex=r"loss=([0-9.]+)")]
    commands, _ = _commands()
    listener = ActionListener(commands, MetricSeries(definitions))

    for host, line in [
        ("algo-1", "epoch 1 loss=0.9"),
        ("algo-2", "epoch 1 loss=0.8"),
        ("algo-1", "no metric here"),
        ("algo-1", "epoch 2 loss=0.5"),
    ]:
        listener.log(host, line)

    assert listener.metrics.series == {"loss": [0.9, 0.5]}


def test_no_group_or_no_finite_number_adds_no_point() -> None:
    series = MetricSeries(
        [
            MetricDefinition(name="nogroup", regex="loss"),
            MetricDefinition(name="word", regex=r"loss=(\w+)"),
        ]
    )

    series.scan("loss=nan-ish")

    assert series.series == {}


def _tokens_replaced(text: str) -> list[str]:
    """The log with each stop-commands token as TOKEN, checking each pair matches."""
    lines, token = [], ""
    for line in text.splitlines():
        if line.startswith("::stop-commands::"):
            token = line.removeprefix("::stop-commands::")
            assert len(token) >= 32
            line = "::stop-commands::TOKEN"
        elif token and line == f"::{token}::":
            line, token = "::TOKEN::", ""
        lines.append(line)
    return lines


def test_echoed_lines_are_shown_with_commands_stopped_until_our_next_command() -> None:
    commands, stream = _commands()

    commands.group("log")
    commands.echo("::set-output name=x::y")
    commands.echo("::endgroup::")
    commands.mask("late-secret")
    commands.echo("::error::fake")
    commands.end_group()
    commands.resume()

    assert _tokens_replaced(stream.getvalue()) == [
        "::group::log",
        "::stop-commands::TOKEN",
        "::set-output name=x::y",
        "::endgroup::",
        "::TOKEN::",
        "::add-mask::late-secret",
        "::stop-commands::TOKEN",
        "::error::fake",
        "::TOKEN::",
        "::endgroup::",
    ]


def test_each_stop_uses_a_fresh_token() -> None:
    commands, stream = _commands()

    for _ in range(2):
        commands.echo("line")
        commands.debug("between")

    stops = [s for s in stream.getvalue().splitlines() if "stop-commands" in s]
    assert len(stops) == 2 and stops[0] != stops[1]
