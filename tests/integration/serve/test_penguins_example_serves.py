"""Done-when: the penguins example, trained locally, serves its model.tar.gz."""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import pytest

from smtrain.cancel import CancelToken
from smtrain.events import SilentListener
from smtrain.loader import load_spec
from smtrain.local.runner import run_local

from .client import invoke
from .conftest import free_port, serve_model

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "penguins"
# Rows from the palmerpenguins table, one per species, without the target.
HEADER = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year"
ROWS = [
    "Torgersen,39.1,18.7,181,3750,male,2007",
    "Dream,50.0,19.5,196,3900,male,2007",
    "Biscoe,50.0,16.3,230,5700,male,2007",
]


def test_the_penguins_example_model_tar_gz_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = tmp_path / "penguins"
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns(".smtrain"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    result = run_local(load_spec(example / "job.yml"), SilentListener(), CancelToken())
    assert result.status == "Completed", result.failure_reason
    archive = result.model_artifacts.removeprefix("file://")
    options = ["--host", "127.0.0.1", "--port", str(free_port()), "--workers", "1"]

    serving = contextlib.contextmanager(serve_model)
    with serving(Path(archive), tmp_path / "serve.log", options, {}) as server:
        body = "\n".join([HEADER, *ROWS]) + "\n"
        reply = invoke(server.url, body, "text/csv", "application/json")

    assert reply.status == 200
    labels = [p["label"] for p in json.loads(reply.body)["predictions"]]
    assert labels == ["Adelie", "Chinstrap", "Gentoo"]
