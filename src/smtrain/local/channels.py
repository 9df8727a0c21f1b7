"""Putting each input channel where the script expects it: ``input/data/<channel>``.

Local paths and ``file://`` URIs are copied in ``File`` mode and symlinked file by
file in ``FastFile`` and ``Pipe`` mode (both stream on SageMaker rather than copy
up front; locally a link gives the same "no copy" cost). ``Pipe`` channels also
get their FIFOs, fed by ``smtrain.local.pipes``. S3 URIs are downloaded with
boto3 whatever the mode. With ``ShardedByS3Key`` each host gets every N-th
object in key order, as SageMaker splits objects between instances.

A channel with nothing in it is refused before the job root exists: SageMaker
fails such a job while downloading ("No S3 objects found under S3 URL ...").
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smtrain.errors import Problem, SpecError
from smtrain.local import s3
from smtrain.local.layout import JobLayout
from smtrain.rules_aws import EMPTY_CHANNEL, FILL_CHANNEL, local_source
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


def _empty_channel(name: str, what: str) -> Problem:
    return Problem(f"inputs.{name}.uri", f"{what}; {EMPTY_CHANNEL}", hint=FILL_CHANNEL)


def list_s3_channels(spec: JobSpec, client: Callable[[], Any]) -> dict[str, list[str]]:
    """The object keys of each S3 channel, by channel name.

    Raises ``SpecError`` naming every channel whose prefix holds no object.
    """
    listings: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for name, channel in spec.inputs.items():
        if s3.is_s3_uri(channel.uri):
            listings[name] = s3.list_keys(client(), channel.uri)
            if not listings[name]:
                what = f"no S3 objects found under {channel.uri}"
                problems.append(_empty_channel(name, what))
    if problems:
        raise SpecError(problems)
    return listings


def stage_channels(
    spec: JobSpec,
    layout: JobLayout,
    client: Callable[[], Any],
    listings: dict[str, list[str]],
    should_stop: Callable[[], bool],
) -> int:
    """Deliver every channel to every host; returns the number of files placed.

    ``listings`` holds the keys of S3 channels (``list_s3_channels``), and
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
            source = local_source(channel.uri)
            if source is None:
                keys = _shard(listings[name], shard)
                s3.download_keys(client(), channel.uri, keys, destination)
                placed += len(keys)
            else:
                placed += _stage_local(spec, channel, source, destination, shard)
    return placed


def _stage_local(
    spec: JobSpec,
    channel: Channel,
    source: Path,
    destination: Path,
    shard: tuple[int, int] | None,
) -> int:
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
