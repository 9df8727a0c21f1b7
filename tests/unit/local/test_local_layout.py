"""Job names, job roots and channel/key placement."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from smtrain.errors import SpecError
from smtrain.local.layout import create_layout
from smtrain.local.program import resolve_program
from smtrain.local.s3 import relative_key
from smtrain.rules import find_problems
from smtrain.rules_aws import local_source
from smtrain.spec import JobSpec


def _spec(tmp_path: Path, **values: object) -> JobSpec:
    return JobSpec.model_validate({"local-root": str(tmp_path / "jobs"), **values})


def test_generated_names_are_the_remote_ones_and_never_reused(
    tmp_path: Path,
) -> None:
    spec = _spec(tmp_path, **{"job-name-prefix": "iris"})
    now = datetime(2026, 12, 4, 13, 5, 9, 250000, tzinfo=timezone.utc)
    first = create_layout(spec, tmp_path, now=now)
    second = create_layout(spec, tmp_path, now=now)

    assert first.job_name == "iris-20261204-130509-250"
    assert second.job_name == "iris-20261204-130509-250-2"
    assert first.job_dir == tmp_path / "jobs" / first.job_name


def test_each_host_gets_an_opt_ml_tree(tmp_path: Path) -> None:
    spec = _spec(tmp_path, **{"instance-count": 2, "checkpoint-s3-uri": "s3://b/c"})
    layout = create_layout(spec, Path("/unused"))

    assert layout.host_names == ["algo-1", "algo-2"]
    for tree in layout.hosts:
        for folder in ("input/config", "input/data", "model", "output/data", "code"):
            assert tree.path(folder).is_dir()
        assert tree.path("checkpoints").is_dir()


def test_relative_local_root_is_under_the_working_directory(tmp_path: Path) -> None:
    spec = JobSpec.model_validate({"job-name": "fixed"})
    layout = create_layout(spec, tmp_path)
    assert layout.job_dir == tmp_path / ".smtrain" / "jobs" / "fixed"


@pytest.mark.parametrize(
    ("prefix", "key", "placed"),
    [
        ("data/train", "data/train/a.csv", "a.csv"),
        ("data/train/", "data/train/sub/b.csv", "sub/b.csv"),
        ("data/train.csv", "data/train.csv", "train.csv"),
        ("data/tr", "data/train.csv", "train.csv"),
    ],
)
def test_s3_keys_land_below_the_channel_folder(
    prefix: str, key: str, placed: str
) -> None:
    assert relative_key(prefix, key) == placed


def test_file_uris_and_paths_are_local_sources() -> None:
    assert local_source("file:///data/my%20set") == Path("/data/my set")
    assert local_source("/data/x") == Path("/data/x")
    assert local_source("s3://bucket/x") is None


def test_missing_local_channel_is_a_spec_problem_naming_the_key(
    tmp_path: Path,
) -> None:
    # A rule of the spec, so `smtrain validate` reports it as `run` would.
    absent = tmp_path / "absent"
    spec = _spec(tmp_path, local=True, inputs={"train": f"file://{absent}"})
    problems = [p for p in find_problems(spec) if p.key == "inputs.train.uri"]
    assert [p.message for p in problems] == [f"{absent} does not exist"]
    (tmp_path / "rows.csv").write_text("1\n")
    spec = _spec(tmp_path, local=True, inputs={"train": str(tmp_path)})
    assert not [p for p in find_problems(spec) if p.key.startswith("inputs")]


def test_local_channel_folder_without_files_is_refused_like_an_empty_prefix(
    tmp_path: Path,
) -> None:
    (tmp_path / "data" / "only-folders").mkdir(parents=True)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a.csv").write_text("1\n")
    inputs = {"train": str(tmp_path / "data"), "test": str(tmp_path / "full")}
    spec = _spec(tmp_path, local=True, inputs=inputs)

    # A rule of the spec, so `smtrain validate` reports it as `run` would.
    [problem] = [p for p in find_problems(spec) if p.key.startswith("inputs")]
    assert problem.key == "inputs.train.uri"
    assert problem.message.startswith(f"{tmp_path / 'data'} holds no files")


def test_mpi_and_unknown_entry_points_are_refused(tmp_path: Path) -> None:
    spec = _spec(tmp_path, **{"entry-point": "train.R", "distribution": "mpi"})
    with pytest.raises(SpecError) as raised:
        resolve_program(spec, tmp_path)
    assert "not train.R" in str(raised.value)
    assert "distribution" in str(raised.value)


def test_missing_entry_point_file_is_a_spec_error(tmp_path: Path) -> None:
    spec = _spec(tmp_path, **{"entry-point": "train.py", "source-dir": str(tmp_path)})
    with pytest.raises(SpecError, match=r"train\.py does not exist"):
        resolve_program(spec, tmp_path)
