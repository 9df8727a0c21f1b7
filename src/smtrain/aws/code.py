"""Script mode: pack ``source-dir`` into ``sourcedir.tar.gz`` and upload it to S3.

The archive is byte-for-byte reproducible (sorted entries, fixed mtimes, owners
and gzip header), so the same sources give the same digest and a re-run can tell
that it is submitting the very job it submitted before.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smtrain.aws.errors import aws_errors
from smtrain.errors import Problem, SpecError

IGNORED_NAMES = frozenset({".git", "__pycache__", ".venv"})
# 1980-01-01, the earliest time zip and some tar readers handle without complaint.
FIXED_MTIME = 315532800


@dataclass(frozen=True)
class SourceArchive:
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def pack_source_dir(source_dir: Path) -> SourceArchive:
    """The deterministic tar.gz of ``source_dir``, minus VCS and cache folders."""
    if not source_dir.is_dir():
        raise SpecError(
            [
                Problem(
                    "source-dir", f"{source_dir} is not a folder", hint="fix the path"
                )
            ]
        )
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in _walk_sorted(source_dir):
            tar.addfile(*_entry(path, source_dir))
    packed = gzip.compress(raw.getvalue(), compresslevel=9, mtime=0)
    return SourceArchive(packed)


def _walk_sorted(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_NAMES)
        found += [Path(folder) / d for d in dirs]
        found += [Path(folder) / f for f in files if f not in IGNORED_NAMES]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _entry(path: Path, root: Path) -> tuple[tarfile.TarInfo, Any]:
    info = tarfile.TarInfo(path.relative_to(root).as_posix())
    info.mtime = FIXED_MTIME
    executable = os.access(path, os.X_OK)
    if path.is_dir():
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
        return info, None
    data = path.read_bytes()
    info.size = len(data)
    info.mode = 0o755 if executable else 0o644
    return info, io.BytesIO(data)


def split_s3_uri(uri: str) -> tuple[str, str]:
    """``("bucket", "key/prefix")`` from ``s3://bucket/key/prefix``."""
    if not uri.startswith("s3://") or len(uri) <= len("s3://"):
        raise SpecError(
            [
                Problem(
                    "code-location",
                    f"{uri!r} is not an s3:// URI",
                    hint="s3://bucket/prefix",
                )
            ]
        )
    bucket, _, key = uri[len("s3://") :].partition("/")
    return bucket, key.strip("/")


def upload_archive(s3: Any, archive: SourceArchive, uri: str) -> None:
    bucket, key = split_s3_uri(uri)
    with aws_errors(f"uploading the code to {uri}"):
        s3.put_object(Bucket=bucket, Key=key, Body=archive.data)
