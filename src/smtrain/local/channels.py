"""Putting each input channel where the script expects it: ``input/data/<channel>``.

Local paths and ``file://`` URIs are copied in ``File`` mode and symlinked file by
file in ``FastFile`` and ``Pipe`` mode (both stream on SageMaker rather than copy
up front; locally a link gives the same "no copy" cost). ``Pipe`` channels also
get their FIFOs, fed by ``smtrain.local.pipes``. S3 URIs are downloaded with
boto3 whatever the mode. With ``ShardedByS3Key`` each host gets every N-th
object in key order, as SageMaker splits objects between instances.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from smtrain.errors import Problem, SpecError
from smtrain.local import s3
from smtrain.local.layout import JobLayout
from smtrain.rules_aws import local_source
from smtrain.spec import Channel, JobSpec


def channel_mode(spec: JobSpec, channel: Channel) -> str:
    return channel.input_mode or spec.input_mode


def pipe_channels(spec: JobSpec) -> list[str]:
    """Channels in Pipe mode, which get FIFOs beside their files."""
    return [n for n, c in spec.inputs.items() if channel_mode(spec, c) == "Pipe"]


def check_channels(spec: JobSpec) -> None:
    """Refuse, before anything is staged, channels local mode cannot deliver."""
    problems: list[Problem] = []
    for name, channel in spec.inputs.items():
        problems += _channel_problems(name, channel)
    if problems:
        raise SpecError(problems)


def _channel_problems(name: str, channel: Channel) -> list[Problem]:
    if channel.s3_data_type != "S3Prefix":
        return [
            Problem(
                f"inputs.{name}.s3-data-type",
                f"local mode reads S3Prefix channels, not {channel.s3_data_type}",
                hint="point the channel at the prefix or folder holding the data",
            )
        ]
    return []


def stage_channels(
    spec: JobSpec,
    layout: JobLayout,
    client: Callable[[], object],
    should_stop: Callable[[], bool],
) -> int:
    """Deliver every channel to every host; returns the number of files placed.

    ``client`` makes the S3 client on first use, so purely local inputs never
    need credentials. ``should_stop`` (a cancel, a timeout) is checked between
    channels and hosts.
    """
    placed = 0
    count = len(layout.hosts)
    for name, channel in spec.inputs.items():
        for index, tree in enumerate(layout.hosts):
            if should_stop():
                return placed
            destination = tree.channel_dir(name)
            destination.mkdir(parents=True, exist_ok=True)
            shard = (index, count) if channel.distribution == "ShardedByS3Key" else None
            placed += _stage_one(spec, channel, destination, shard, client)
    return placed


def _stage_one(
    spec: JobSpec,
    channel: Channel,
    destination: Path,
    shard: tuple[int, int] | None,
    client: Callable[[], object],
) -> int:
    source = local_source(channel.uri)
    if source is None:
        keys = _shard(s3.list_keys(client(), channel.uri), shard)
        s3.download_keys(client(), channel.uri, keys, destination)
        return len(keys)
    files = _shard(_relative_files(source), shard)
    link = channel_mode(spec, channel) != "File"
    for relative in files:
        origin = source / relative if source.is_dir() else source
        _place(origin.resolve(), destination / relative, link=link)
    return len(files)


def _relative_files(source: Path) -> list[str]:
    if source.is_file():
        return [source.name]
    return sorted(
        path.relative_to(source).as_posix()
        for path in source.rglob("*")
        if path.is_file()
    )


def _shard(items: list[str], shard: tuple[int, int] | None) -> list[str]:
    if shard is None:
        return items
    index, count = shard
    return items[index::count]


def _place(origin: Path, target: Path, *, link: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if link:
        target.symlink_to(origin)
    else:
        shutil.copy2(origin, target)
