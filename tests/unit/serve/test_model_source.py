"""MODEL as a folder, a model.tar.gz, or either in S3 (moto on loopback)."""

from __future__ import annotations

import tarfile
from pathlib import Path

import boto3
import pytest

from smtrain.ml.artifact import METADATA_FILE, load_model
from smtrain.ml.errors import ArtifactError
from smtrain.ml.model_source import ModelDownloadError, resolve_model


def _pack(model_dir: Path, archive: Path, nested: bool = False) -> Path:
    with tarfile.open(archive, "w:gz") as tar:
        for path in model_dir.iterdir():
            name = f"model/{path.name}" if nested else path.name
            tar.add(path, arcname=name)
    return archive


def test_a_folder_is_used_in_place(penguins_dir: Path, tmp_path: Path) -> None:
    assert resolve_model(str(penguins_dir), tmp_path) == penguins_dir


@pytest.mark.parametrize("nested", [False, True], ids=["contents", "folder"])
def test_a_model_tar_gz_is_unpacked(
    penguins_dir: Path, tmp_path: Path, nested: bool
) -> None:
    archive = _pack(penguins_dir, tmp_path / "model.tar.gz", nested)

    found = resolve_model(str(archive), tmp_path / "work")

    assert (found / METADATA_FILE).is_file()
    assert load_model(found).classes == ["Adelie", "Chinstrap", "Gentoo"]


def test_an_archive_cannot_write_outside_its_folder(tmp_path: Path) -> None:
    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "payload.txt"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(payload, arcname="../escaped.txt")

    with pytest.raises(tarfile.TarError):
        resolve_model(str(evil), tmp_path / "work")
    assert not (tmp_path / "escaped.txt").exists()


def test_a_missing_model_names_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match=r"neither a folder nor a \.tar\.gz"):
        resolve_model(str(tmp_path / "absent"), tmp_path)


def test_s3_archive_and_prefix_are_downloaded(
    aws_endpoint: str, penguins_dir: Path, tmp_path: Path
) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="models")
    archive = _pack(penguins_dir, tmp_path / "model.tar.gz")
    s3.upload_file(str(archive), "models", "job-1/output/model.tar.gz")
    for path in penguins_dir.iterdir():
        s3.upload_file(str(path), "models", f"folders/penguins/{path.name}")

    from_archive = resolve_model(
        "s3://models/job-1/output/model.tar.gz", tmp_path / "a"
    )
    from_prefix = resolve_model("s3://models/folders/penguins", tmp_path / "b")

    for found in (from_archive, from_prefix):
        assert load_model(found).problem_type == "multiclass"


@pytest.mark.parametrize(
    "uri", ["s3://models/absent/model.tar.gz", "s3://models/absent-prefix"]
)
def test_an_s3_model_that_is_not_there_is_a_download_error(
    aws_endpoint: str, tmp_path: Path, uri: str
) -> None:
    boto3.client("s3").create_bucket(Bucket="models")

    with pytest.raises(ModelDownloadError, match="absent"):
        resolve_model(uri, tmp_path)
