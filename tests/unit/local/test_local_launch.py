"""Supervising host processes: peers stopped on failure, leftover children, logs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from smtrain.cancel import CancelToken
from smtrain.local.launch import HostCommand, run_hosts


def _command(host: str, code: str, cwd: Path) -> HostCommand:
    return HostCommand(host, [sys.executable, "-c", code], cwd, dict(os.environ))


def test_a_failed_host_stops_the_others(tmp_path: Path) -> None:
    lines: list[tuple[str, str]] = []
    # algo-1 fails only once algo-2 is up (the file), so algo-2 is surely stopped.
    fails_when_peer_is_up = (
        "import pathlib, sys, time\n"
        "for _ in range(600):\n"
        "    if pathlib.Path('up').exists(): sys.exit(3)\n"
        "    time.sleep(0.05)\n"
    )
    waits = (
        "import pathlib, time; print('up', flush=True); "
        "pathlib.Path('up').touch(); time.sleep(60)"
    )
    commands = [
        _command("algo-1", fails_when_peer_is_up, tmp_path),
        _command("algo-2", waits, tmp_path),
    ]
    outcome = run_hosts(
        commands, lambda h, line: lines.append((h, line)), CancelToken()
    )

    assert outcome.stopped_by == "host-failure"
    assert outcome.exit_codes == {"algo-1": 3, "algo-2": 143}
    assert outcome.first_failure() == "algo-1"
    assert lines == [("algo-2", "up")]


def test_a_child_left_holding_the_log_does_not_hang_the_run(tmp_path: Path) -> None:
    leaves_child = (
        "import subprocess, sys; "
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        "print('parent done')"
    )
    lines: list[str] = []
    outcome = run_hosts(
        [_command("algo-1", leaves_child, tmp_path)],
        lambda _h, line: lines.append(line),
        CancelToken(),
    )
    assert outcome.exit_codes == {"algo-1": 0}
    assert lines == ["parent done"]


def test_log_lines_are_decoded_and_kept_in_order(tmp_path: Path) -> None:
    writes = "import sys; sys.stdout.buffer.write(b'a\\r\\nb\\xff\\nno newline')"
    lines: list[str] = []
    run_hosts(
        [_command("algo-1", writes, tmp_path)],
        lambda _h, line: lines.append(line),
        CancelToken(),
    )
    assert lines == ["a", "b\ufffd", "no newline"]


def test_no_script_outlives_a_listener_that_breaks(tmp_path: Path) -> None:
    sleeper = "import time; print('up', flush=True); time.sleep(60)"

    def broken_listener(_host: str, _line: str) -> None:
        raise BrokenPipeError("stdout closed")

    with pytest.raises(BrokenPipeError):
        run_hosts(
            [_command("algo-1", sleeper, tmp_path)], broken_listener, CancelToken()
        )
    found = subprocess.run(
        ["pgrep", "-f", "time.sleep\\(60\\)"], capture_output=True, text=True
    )
    assert found.stdout == ""
