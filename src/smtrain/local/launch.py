"""Running one training process per host and watching them to the end.

Each process leads its own process group, so a stop reaches the script and
anything it started (data loaders, workers) but never smtrain itself. Output is
read line by line on one thread per host and handed to ``on_line`` on the
calling thread, in arrival order, so listeners need not be thread-safe.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal

# Not a finding (B404): local mode runs the user's program.
import subprocess  # nosec B404
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from smtrain.cancel import CancelToken

# Time a stopped script gets to save its work before it is killed; inside the
# 7.5 s the CLI promises between a cancel and the end of the run.
STOP_GRACE_SECONDS = 5.0
# Quiet time allowed to logs still open after every process exited.
DRAIN_SECONDS = 2.0
_POLL_SECONDS = 0.1

LineSink = Callable[[str, str], None]


@dataclass(frozen=True)
class HostCommand:
    host: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]


@dataclass(frozen=True)
class Deadline:
    """A moment (``time.monotonic``) and the reason a run stops there."""

    at: float
    reason: str


@dataclass
class Outcome:
    """How the processes ended: exit codes as a shell reports them (130 = SIGINT)."""

    exit_codes: dict[str, int]
    exit_order: list[str]
    stopped_by: str = ""

    def first_failure(self) -> str:
        """The host that failed first (its error is the job's), or ""."""
        return next((h for h in self.exit_order if self.exit_codes[h] != 0), "")


@dataclass
class _Supervisor:
    processes: dict[str, subprocess.Popen[bytes]]
    lines: queue.Queue[tuple[str, str | None]] = field(default_factory=queue.Queue)
    stopped_by: str = ""
    stopped_at: float = 0.0
    killed: bool = False
    exit_order: list[str] = field(default_factory=list)

    def note_exits(self) -> None:
        for host, process in self.processes.items():
            if process.poll() is not None and host not in self.exit_order:
                self.exit_order.append(host)

    def signal_all(self, signum: int) -> None:
        for process in self.processes.values():
            if process.poll() is None or signum == signal.SIGKILL:
                _signal_group(process, signum)

    def stop(self, reason: str, signum: int) -> None:
        self.stopped_by, self.stopped_at = reason, time.monotonic()
        self.signal_all(signum)

    def running(self) -> bool:
        return any(p.poll() is None for p in self.processes.values())

    def a_host_failed(self) -> bool:
        return any(p.poll() not in (None, 0) for p in self.processes.values())


def run_hosts(
    commands: list[HostCommand],
    on_line: LineSink,
    token: CancelToken,
    deadline: Deadline | None = None,
) -> Outcome:
    """Start every host's command, pump their logs, stop them when asked."""
    supervisor = _Supervisor({c.host: _start(c) for c in commands})
    readers = [
        _start_reader(host, process.stdout, supervisor.lines)
        for host, process in supervisor.processes.items()
        if process.stdout is not None
    ]
    try:
        _pump(supervisor, len(readers), on_line, token, deadline)
    except BaseException:
        # Whatever broke here (a listener, a second Ctrl-C), no script outlives it.
        supervisor.signal_all(signal.SIGKILL)
        for process in supervisor.processes.values():
            process.wait()
        raise
    codes = {h: _shell_code(p.wait()) for h, p in supervisor.processes.items()}
    supervisor.note_exits()
    return Outcome(codes, supervisor.exit_order, supervisor.stopped_by)


def _pump(
    supervisor: _Supervisor,
    open_streams: int,
    on_line: LineSink,
    token: CancelToken,
    deadline: Deadline | None,
) -> None:
    quiet_since = time.monotonic()
    while open_streams:
        try:
            host, line = supervisor.lines.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            host, line = "", ""
        if line is None:
            open_streams -= 1
        elif host:
            on_line(host, line)
            quiet_since = time.monotonic()
        supervisor.note_exits()
        _enforce_limits(supervisor, token, deadline)
        if supervisor.running():
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > DRAIN_SECONDS:
            # Every process exited but a child it left holds the log open.
            supervisor.signal_all(signal.SIGKILL)
            return


def _enforce_limits(
    supervisor: _Supervisor, token: CancelToken, deadline: Deadline | None
) -> None:
    if not supervisor.stopped_by:
        if token.cancelled:
            supervisor.stop("cancel", signal.SIGINT)
        elif deadline is not None and time.monotonic() >= deadline.at:
            supervisor.stop(deadline.reason, signal.SIGTERM)
        elif supervisor.a_host_failed() and supervisor.running():
            # One failed instance fails the job; SageMaker stops the others.
            supervisor.stop("host-failure", signal.SIGTERM)
    elif not supervisor.killed and (
        time.monotonic() - supervisor.stopped_at > STOP_GRACE_SECONDS
    ):
        supervisor.killed = True
        supervisor.signal_all(signal.SIGKILL)


def _start(command: HostCommand) -> subprocess.Popen[bytes]:
    # Not a finding (B603): the user's own program, argv.
    return subprocess.Popen(  # nosec B603
        command.argv,
        cwd=command.cwd,
        env=command.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _start_reader(
    host: str, stream: IO[bytes], lines: queue.Queue[tuple[str, str | None]]
) -> threading.Thread:
    def read() -> None:
        with stream:
            for raw in iter(stream.readline, b""):
                lines.put((host, raw.decode("utf-8", "replace").rstrip("\r\n")))
        lines.put((host, None))

    reader = threading.Thread(target=read, name=f"log-{host}", daemon=True)
    reader.start()
    return reader


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def _shell_code(returncode: int) -> int:
    """A signal death reported as a shell does: 128 + the signal number."""
    return 128 - returncode if returncode < 0 else returncode
