"""Shared by the benchmark scripts: the machine line and docs/benchmarks.md sections."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def machine() -> str:
    # Other jobs share the machine; the load says how much they took.
    load = os.getloadavg()[0]
    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs (shared, load average "
        f"{load:.2f} at the end), Python {platform.python_version()}"
    )


def today() -> str:
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%d %H:%M UTC")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def write_section(name: str, title: str, command: str, body: str) -> None:
    """Replace the ``<!-- bench:NAME:start/end -->`` section, or append it."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    section = "\n".join(
        [
            start,
            f"## {title}",
            "",
            f"Command: `{command}`  ",
            f"Machine: {machine()}  ",
            f"Date: {today()}",
            "",
            body.strip(),
            end,
        ]
    )
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if start in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
