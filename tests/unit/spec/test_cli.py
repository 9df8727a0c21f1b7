"""validate, render and schema as a user runs them: a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

WriteSpec = Callable[..., Path]  # the write_spec fixture in conftest.py


SRC = Path(__file__).resolve().parents[3] / "src"


def smtrain(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "smtrain", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_validate_accepts_a_good_file_with_a_summary(write_spec: WriteSpec) -> None:
    path = write_spec({"instance-count": 2})
    result = smtrain("validate", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"{path}: valid, 2 x ml.m5.large, "
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1.0, on SageMaker"
    )


def test_validate_lists_every_problem_with_file_and_line(write_spec: WriteSpec) -> None:
    path = write_spec({"job-name": "bad_name", "max-wait": "1h"})
    result = smtrain("validate", str(path), "--set", "instance-count=none")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "invalid job spec, 1 problem" in result.stderr
    assert "--set: instance-count: must be a whole number" in result.stderr
    fixed = smtrain("validate", str(path))
    assert fixed.returncode == 2
    lines = {
        line.split(":")[0]: n for n, line in enumerate(path.read_text().splitlines(), 1)
    }
    name_line, wait_line = lines["job-name"], lines["max-wait"]
    assert f"{path}:{name_line}: job-name: 'bad_name' is not a valid" in fixed.stderr
    assert f"{path}:{wait_line}: max-wait: only applies to managed spot" in fixed.stderr


def test_validate_warns_on_stderr_and_still_passes(write_spec: WriteSpec) -> None:
    result = smtrain("validate", str(write_spec({"use-spot": True})))
    assert result.returncode == 0
    assert "warning: use-spot without checkpoint-s3-uri" in result.stderr


def test_validate_missing_file_exits_2(tmp_path: Path) -> None:
    result = smtrain("validate", str(tmp_path / "none.yml"))
    assert result.returncode == 2
    assert "cannot read it" in result.stderr
    assert "Traceback" not in result.stderr


def test_render_prints_one_request_and_is_deterministic(write_spec: WriteSpec) -> None:
    path = write_spec({"local": True})
    first = smtrain("render", str(path), "--set", "hyperparameters.lr=0.5")
    second = smtrain("render", str(path), "--set", "hyperparameters.lr=0.5")
    assert first.returncode == 0, first.stderr
    document = json.loads(first.stdout)
    assert list(document) == ["CreateTrainingJob"]
    request = document["CreateTrainingJob"]
    assert request["HyperParameters"] == {"lr": "0.5"}
    assert request["TrainingJobName"].startswith("smtrain-")
    assert first.stdout == second.stdout


def test_render_of_an_invalid_spec_exits_2_and_prints_no_request(
    write_spec: WriteSpec,
) -> None:
    result = smtrain("render", str(write_spec({"role-arn": None})))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "role-arn: is required to run on SageMaker" in result.stderr


def test_render_of_a_local_only_spec_says_why_it_needs_more(
    write_spec: WriteSpec,
) -> None:
    path = write_spec({"local": True, "role-arn": None})

    result = smtrain("render", str(path))

    assert result.returncode == 2
    assert "local: is true, but render prints the request SageMaker" in result.stderr
    assert "role-arn: is required to run on SageMaker" in result.stderr
    assert "local: true)" not in result.stderr  # no advice to set what is set
    assert smtrain("validate", str(path)).returncode == 0


def test_schema_prints_the_json_schema() -> None:
    result = smtrain("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert "job-name" in schema["properties"]
    assert schema["additionalProperties"] is False
