"""Pipe-mode FIFOs: one per epoch, fed with every file, stoppable unread."""

from __future__ import annotations

import stat
from pathlib import Path

from smtrain.local.pipes import PipeFeeder, channel_files


def _files(tmp_path: Path) -> Path:
    channel = tmp_path / "train"
    (channel / "sub").mkdir(parents=True)
    (channel / "b.csv").write_bytes(b"2\n")
    (channel / "a.csv").write_bytes(b"1\n")
    (channel / "sub" / "c.csv").write_bytes(b"3\n")
    return channel


def test_each_epoch_carries_every_file_in_path_order(tmp_path: Path) -> None:
    channel = _files(tmp_path)
    feeder = PipeFeeder(channel, channel_files(channel))
    feeder.start()
    try:
        epochs = [(tmp_path / f"train_{n}").read_bytes() for n in range(3)]
    finally:
        feeder.stop()
    assert epochs == [b"1\n2\n3\n"] * 3


def test_a_reader_that_stops_early_gets_the_next_epoch(tmp_path: Path) -> None:
    channel = _files(tmp_path)
    feeder = PipeFeeder(channel, channel_files(channel))
    feeder.start()
    try:
        with open(tmp_path / "train_0", "rb") as fifo:
            first = fifo.read(1)
        second = (tmp_path / "train_1").read_bytes()
    finally:
        feeder.stop()
    assert (first, second) == (b"1", b"1\n2\n3\n")


def test_an_unread_fifo_does_not_keep_the_feeder_alive(tmp_path: Path) -> None:
    channel = _files(tmp_path)
    feeder = PipeFeeder(channel, channel_files(channel))
    feeder.start()
    feeder.stop()
    assert not feeder.running
    assert stat.S_ISFIFO((tmp_path / "train_0").stat().st_mode)
