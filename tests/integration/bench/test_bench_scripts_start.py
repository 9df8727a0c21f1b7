"""The benchmark scripts still run, in their smallest mode, without --write.

Nothing here looks at a time: the scripts print tables of timings that no test
may assert. What is checked is that each one gets through a round (the loopback
servers start, every contender succeeds, the table prints) and that
docs/benchmarks.md is left alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "benchmarks.md"


def _run_bench(script: str, *arguments: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    before = DOC.read_text()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert DOC.read_text() == before
    return done.stdout


@pytest.mark.slow
def test_submit_benchmark_runs_one_round() -> None:
    out = _run_bench("submit_time.py", "--rounds", "1", "--warmup", "0")

    assert "| smtrain run --no-wait | 1 |" in out
    assert "| boto3 script | 1 |" in out
    assert "CreateTrainingJob calls seen by the double: 2" in out
    assert "refused non-loopback addresses: none" in out


@pytest.mark.slow
def test_local_overhead_benchmark_runs_one_round() -> None:
    out = _run_bench("local_overhead.py", "--rounds", "1")

    assert "| smtrain run --local |" in out
