"""Packing what the script left and delivering it where SageMaker would.

``model/`` becomes ``model.tar.gz`` and ``output/data/`` ``output.tar.gz``, both at
``<output-path>/<job>/output/``: an S3 prefix, or a local folder. With several
hosts their trees are merged into one archive; where two hosts wrote the same
file, the lowest-numbered host's copy wins (the usual convention is that only
``algo-1`` saves the model). Checkpoints are restored from ``checkpoint-s3-uri``
before training and saved back after it, as SageMaker syncs them.
"""

from __future__ import annotations

import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smtrain import contract
from smtrain.local import s3
from smtrain.local.layout import JobLayout
from smtrain.rules_aws import local_source
from smtrain.spec import JobSpec

ClientFactory = Callable[[], Any]


def pack_trees(folders: list[Path], archive: Path) -> None:
    """A gzipped tar of the union of ``folders``, paths relative to each folder."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    packed: set[str] = set()
    with tarfile.open(archive, "w:gz") as tar:
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                name = path.relative_to(folder).as_posix()
                if name not in packed:
                    packed.add(name)
                    tar.add(path, arcname=name, recursive=False)


def output_prefix(spec: JobSpec, layout: JobLayout) -> str:
    """``<output-path>/<job>/output``; output-path defaults to the jobs root."""
    base = spec.output_path or str(layout.jobs_root)
    return f"{base.rstrip('/')}/{layout.job_name}/output"


def deliver_outputs(spec: JobSpec, layout: JobLayout, client: ClientFactory) -> str:
    """Pack both archives and put them at the output path; returns the model's."""
    staging = layout.job_dir / contract.OUTPUT_DIR
    pack_trees(_host_dirs(layout, contract.MODEL_DIR), staging / contract.MODEL_ARCHIVE)
    pack_trees(
        _host_dirs(layout, contract.OUTPUT_DATA_DIR), staging / contract.OUTPUT_ARCHIVE
    )
    prefix = output_prefix(spec, layout)
    if s3.is_s3_uri(prefix):
        for name in (contract.MODEL_ARCHIVE, contract.OUTPUT_ARCHIVE):
            s3.upload_file(client(), staging / name, f"{prefix}/{name}")
        return f"{prefix}/{contract.MODEL_ARCHIVE}"
    destination = _local_folder(prefix)
    if destination.resolve() != staging.resolve():
        shutil.copytree(staging, destination, dirs_exist_ok=True)
    return str(destination / contract.MODEL_ARCHIVE)


def restore_checkpoints(spec: JobSpec, layout: JobLayout, client: ClientFactory) -> int:
    """Fill every host's ``checkpoints/`` from checkpoint-s3-uri; files restored."""
    uri = spec.checkpoint_s3_uri
    if not uri:
        return 0
    restored = 0
    for folder in _host_dirs(layout, contract.CHECKPOINTS_DIR):
        if s3.is_s3_uri(uri):
            keys = s3.list_keys(client(), uri)
            s3.download_keys(client(), uri, keys, folder)
            restored += len(keys)
        elif _local_folder(uri).is_dir():
            shutil.copytree(_local_folder(uri), folder, dirs_exist_ok=True)
            restored += sum(1 for p in folder.rglob("*") if p.is_file())
    return restored


def save_checkpoints(spec: JobSpec, layout: JobLayout, client: ClientFactory) -> None:
    """Copy every host's ``checkpoints/`` to checkpoint-s3-uri (algo-1 last wins)."""
    uri = spec.checkpoint_s3_uri
    if not uri:
        return
    for folder in reversed(_host_dirs(layout, contract.CHECKPOINTS_DIR)):
        if s3.is_s3_uri(uri):
            s3.upload_tree(client(), folder, uri)
        else:
            shutil.copytree(folder, _local_folder(uri), dirs_exist_ok=True)


def _host_dirs(layout: JobLayout, relative: str) -> list[Path]:
    return [tree.path(relative) for tree in layout.hosts]


def _local_folder(uri: str) -> Path:
    path = local_source(uri)
    if path is None:
        raise ValueError(f"{uri} is not a local path")
    return path
