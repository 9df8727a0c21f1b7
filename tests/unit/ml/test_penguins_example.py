"""examples/penguins: a valid job spec whose entry point trains end to end."""

from __future__ import annotations

import re
import runpy
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from palmerpenguins import load_penguins

from smtrain.ml.artifact import load_model
from smtrain.ml.environment import ROOT_ENV
from smtrain.ml.metric_lines import METRIC_DEFINITIONS
from smtrain.spec import JobSpec

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "penguins"
SCHEMA = "../../schema/input-schema.json"


@pytest.fixture(scope="module")
def job() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((EXAMPLE / "job.yml").read_text())
    return loaded


def test_job_yml_is_a_valid_spec_with_runtime_metric_definitions(
    job: dict[str, Any],
) -> None:
    first_line = (EXAMPLE / "job.yml").read_text().splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema={SCHEMA}"

    spec = JobSpec.model_validate(job)

    assert spec.hyperparameters["target"] == "species"
    assert (EXAMPLE / spec.source_dir / spec.entry_point).is_file()  # type: ignore[operator]
    assert (EXAMPLE / spec.inputs["train"].uri).is_dir()
    for definition in spec.metric_definitions:
        as_runtime_defines = {"name": definition.name, "regex": definition.regex}
        assert as_runtime_defines in METRIC_DEFINITIONS


def test_data_is_the_palmerpenguins_table() -> None:
    shipped = pd.read_csv(EXAMPLE / "data" / "penguins.csv")

    pd.testing.assert_frame_equal(shipped, load_penguins())


def test_entry_point_trains_with_the_jobs_hyperparameters(
    job: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    monkeypatch.setenv("SM_CHANNEL_TRAIN", str(EXAMPLE / "data"))
    # As the framework container passes hyperparameters to the script.
    hyperparameters = job["hyperparameters"].items()
    argv = [item for k, v in hyperparameters for item in (f"--{k}", str(v))]
    monkeypatch.setattr(sys, "argv", ["train.py", *argv])

    with pytest.raises(SystemExit) as exited:
        runpy.run_path(str(EXAMPLE / "code" / "train.py"), run_name="__main__")

    assert exited.value.code == 0
    log = capsys.readouterr().out
    recorded = {
        d["name"]: re.search(d["regex"], log) for d in job["metric-definitions"]
    }
    assert all(recorded.values()), recorded
    assert float(recorded["cv:accuracy"].group(1)) > 0.95  # type: ignore[union-attr]
    assert load_model(tmp_path / "model").metadata["model"]["name"] == "random-forest"
