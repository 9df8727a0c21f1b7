"""The little S3 that local mode needs: list and download a prefix, upload a file.

A client is only made when a channel, the output or the checkpoints really are on
S3, so a purely local job needs no AWS account. Errors become ``AwsError`` (or
``CredentialsError``) naming the URI.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from smtrain.errors import AwsError, CredentialsError


def is_s3_uri(uri: str | None) -> bool:
    return bool(uri) and str(uri).startswith("s3://")


def split_s3_uri(uri: str) -> tuple[str, str]:
    """(bucket, key) of ``s3://bucket/key``."""
    parsed = urlparse(uri)
    return parsed.netloc, parsed.path.lstrip("/")


def make_client(region: str) -> Any:
    """An S3 client; ``AWS_ENDPOINT_URL`` is honoured by boto3 itself."""
    import boto3

    return boto3.session.Session(region_name=region or None).client("s3")


def lazy_client(region: str) -> Callable[[], Any]:
    """A maker of one S3 client, made on the first call only."""
    return functools.cache(lambda: make_client(region))


@contextmanager
def aws_errors(action: str) -> Iterator[None]:
    """Turn botocore's failures into smtrain's, saying what was being done."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    try:
        yield
    except NoCredentialsError as error:
        raise CredentialsError(
            f"{action}: no AWS credentials; local mode needs them only for S3 "
            "channels, output-path or checkpoints"
        ) from error
    except (ClientError, BotoCoreError) as error:
        raise AwsError(f"{action}: {error}") from error


def list_keys(client: Any, uri: str) -> list[str]:
    """Every object key under an ``S3Prefix`` URI, in key order."""
    bucket, prefix = split_s3_uri(uri)
    keys: list[str] = []
    with aws_errors(f"listing {uri}"):
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=prefix
        )
        for page in pages:
            keys += [item["Key"] for item in page.get("Contents", [])]
    return sorted(key for key in keys if not key.endswith("/"))


def relative_key(prefix: str, key: str) -> str:
    """Where SageMaker puts ``key`` inside the channel folder.

    Under a folder-like prefix the path below it; the object the prefix names
    exactly keeps its base name; otherwise the path below the prefix's parent.
    """
    folder = prefix.rstrip("/") + "/"
    if key.startswith(folder):
        return key[len(folder) :]
    if key == prefix:
        return key.rsplit("/", 1)[-1]
    return key[len(prefix.rsplit("/", 1)[0]) :].lstrip("/")


def download_keys(client: Any, uri: str, keys: list[str], destination: Path) -> None:
    bucket, prefix = split_s3_uri(uri)
    for key in keys:
        target = destination / relative_key(prefix, key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with aws_errors(f"downloading s3://{bucket}/{key}"):
            client.download_file(bucket, key, str(target))


def upload_file(client: Any, path: Path, uri: str) -> None:
    bucket, key = split_s3_uri(uri)
    with aws_errors(f"uploading {uri}"):
        client.upload_file(str(path), bucket, key)


def upload_tree(client: Any, folder: Path, uri: str) -> None:
    """Every file under ``folder`` to the same relative key under ``uri``."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        upload_file(client, path, uri.rstrip("/") + "/" + relative)
