"""The source archive is reproducible and leaves out VCS and cache folders."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from smtrain.aws.code import pack_source_dir, split_s3_uri
from smtrain.errors import SpecError


def _tree(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "train.py").write_text("print('train')\n")
    (root / "pkg" / "model.py").write_text("X = 1\n")
    (root / "run.sh").write_text("#!/bin/sh\n")
    (root / "run.sh").chmod(0o755)
    for ignored in (".git", "__pycache__", ".venv", "pkg/__pycache__"):
        (root / ignored).mkdir(exist_ok=True)
        (root / ignored / "junk").write_text("junk")
    return root


def _names(data: bytes) -> list[str]:
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return tar.getnames()


def test_archive_is_identical_whatever_the_mtimes(tmp_path: Path) -> None:
    first = pack_source_dir(_tree(tmp_path / "a"))
    second_root = _tree(tmp_path / "b")
    os.utime(second_root / "train.py", (1_000_000_000, 1_000_000_000))

    second = pack_source_dir(second_root)

    assert first.data == second.data
    assert first.digest == second.digest


def test_archive_leaves_out_git_caches_and_venvs(tmp_path: Path) -> None:
    archive = pack_source_dir(_tree(tmp_path))

    assert _names(archive.data) == ["pkg", "pkg/model.py", "run.sh", "train.py"]


def test_archive_keeps_the_executable_bit(tmp_path: Path) -> None:
    archive = pack_source_dir(_tree(tmp_path))

    with tarfile.open(fileobj=io.BytesIO(archive.data)) as tar:
        assert tar.getmember("run.sh").mode == 0o755
        assert tar.getmember("train.py").mode == 0o644


def test_changed_code_changes_the_digest(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    before = pack_source_dir(root).digest
    (root / "train.py").write_text("print('changed')\n")

    assert pack_source_dir(root).digest != before


def test_missing_source_dir_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="source-dir"):
        pack_source_dir(tmp_path / "nope")


def test_non_s3_code_location_is_refused() -> None:
    with pytest.raises(SpecError, match="code-location"):
        split_s3_uri("/local/folder")
