"""Find the model folder ``smtrain serve MODEL`` names: a folder or a
``model.tar.gz``, on this machine or in S3.

S3 is reached with boto3 directly (imported only for an ``s3://`` source), so
the serving stack never loads the orchestrator's AWS code.
"""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

from smtrain.ml.artifact import METADATA_FILE
from smtrain.ml.errors import ArtifactError


class ModelDownloadError(ArtifactError):
    """The model could not be fetched from S3."""


def resolve_model(source: str, workdir: Path) -> Path:
    """A local folder holding the model, unpacking or downloading into ``workdir``."""
    if source.startswith("s3://"):
        source = str(_download(source, workdir / "download"))
    path = Path(source)
    if path.is_dir():
        return path
    if path.is_file() and tarfile.is_tarfile(path):
        return _unpack(path, workdir / "model")
    raise ArtifactError(
        f"model {source} is neither a folder nor a .tar.gz archive; pass the "
        "training job's model folder or its model.tar.gz"
    )


def _unpack(archive: Path, destination: Path) -> Path:
    if not hasattr(tarfile, "data_filter"):
        raise ArtifactError(
            f"unpacking {archive.name} safely needs Python 3.10.12 or later; "
            "upgrade Python or pass the unpacked model folder"
        )
    with tarfile.open(archive) as tar:
        # The "data" filter refuses absolute paths, links out of the folder
        # and device files, so an archive cannot write outside it.
        tar.extractall(destination, filter="data")
    if (destination / METADATA_FILE).is_file():
        return destination
    # Some tools pack the folder itself rather than its contents.
    nested = [p for p in destination.iterdir() if (p / METADATA_FILE).is_file()]
    return nested[0] if len(nested) == 1 else destination


def _download(uri: str, destination: Path) -> Path:
    """The object (a .tar.gz) or every object under the prefix (a folder)."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, _, key = uri.removeprefix("s3://").partition("/")
    if not bucket or not key:
        raise ArtifactError(f"model {uri} needs a bucket and a key: s3://BUCKET/KEY")
    s3 = boto3.client("s3")
    destination.mkdir(parents=True, exist_ok=True)
    try:
        if key.endswith((".tar.gz", ".tgz")):
            target = destination / Path(key).name
            s3.download_file(bucket, key, str(target))
            return target
        return _download_prefix(s3, bucket, key.rstrip("/") + "/", destination)
    except (BotoCoreError, ClientError) as error:
        raise ModelDownloadError(f"cannot download the model {uri}: {error}") from None


def _download_prefix(s3: Any, bucket: str, prefix: str, destination: Path) -> Path:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
    if not keys:
        raise ModelDownloadError(f"no objects under s3://{bucket}/{prefix}")
    for key in keys:
        relative = Path(key[len(prefix) :])
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            continue
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        s3.download_file(bucket, key, str(target))
    return destination
