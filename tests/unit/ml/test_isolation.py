"""The runtime stands alone: no AWS code, and a real ``python -m`` entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[3] / "src")
_LOADED_MODULES = """
import json, sys
import smtrain.ml.train, smtrain.ml.artifact
print(json.dumps(sorted(sys.modules)))
"""
_ORCHESTRATOR_ONLY = (
    "boto3",
    "botocore",
    "s3transfer",
    "smtrain.aws",
    "smtrain.remote",
)


def _python(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": SRC, **(env or {})}
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_runtime_imports_no_aws_code() -> None:
    result = _python("-c", _LOADED_MODULES)

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert "smtrain.ml.train" in loaded
    leaked = [m for m in loaded if m.startswith(_ORCHESTRATOR_ONLY)]
    assert leaked == []


def test_metric_definitions_need_only_the_standard_library() -> None:
    code = (
        "import sys; import smtrain.ml.metric_lines; "
        "print('numpy' in sys.modules, 'pandas' in sys.modules)"
    )
    result = _python("-c", code)

    assert result.stdout.split() == ["False", "False"], result.stderr


def test_module_entry_point_exits_non_zero_with_a_failure_file(tmp_path: Path) -> None:
    result = _python("-m", "smtrain.ml.train", env={"SMTRAIN_ML_ROOT": str(tmp_path)})

    assert result.returncode == 1
    failure = (tmp_path / "output" / "failure").read_text()
    assert "no 'train' channel" in failure
    assert "Traceback" not in result.stderr
