"""Pipe mode: a channel's data streamed through ``<channel>_<epoch>`` FIFOs.

In Pipe mode SageMaker creates ``/opt/ml/input/data/<channel>_0`` as a FIFO and
streams the channel's objects into it; when the script has read it to the end,
``<channel>_1`` carries the next epoch, and so on. Locally one thread per host
and channel does the same with the files staged for that channel.
"""

from __future__ import annotations

import errno
import itertools
import os
import shutil
import threading
from pathlib import Path

_WAIT_FOR_READER_SECONDS = 0.05
_JOIN_SECONDS = 5.0


class PipeFeeder:
    """Feeds ``files`` into ``<base>_0``, ``<base>_1``... until stopped."""

    def __init__(self, base: Path, files: list[Path]) -> None:
        self._base = base
        self._files = files
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._feed, name=f"pipe-{base.name}", daemon=True
        )

    def start(self) -> None:
        """Create the first FIFO, so it exists before the script starts, and feed."""
        os.mkfifo(self._fifo(0))
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Stop waiting for readers; a write in progress ends with its reader."""
        self._stopped.set()
        self._thread.join(_JOIN_SECONDS)

    def _fifo(self, epoch: int) -> Path:
        return self._base.with_name(f"{self._base.name}_{epoch}")

    def _feed(self) -> None:
        for epoch in itertools.count():
            descriptor = self._open_when_read(self._fifo(epoch))
            if descriptor is None:
                return
            # The next epoch exists before the reader can see this one end.
            os.mkfifo(self._fifo(epoch + 1))
            self._stream(descriptor)

    def _open_when_read(self, fifo: Path) -> int | None:
        """The write end once a reader opened the FIFO; None when stopped first."""
        while not self._stopped.is_set():
            try:
                descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                if error.errno != errno.ENXIO:
                    raise
                self._stopped.wait(_WAIT_FOR_READER_SECONDS)
                continue
            os.set_blocking(descriptor, True)
            return descriptor
        return None

    def _stream(self, descriptor: int) -> None:
        try:
            with os.fdopen(descriptor, "wb") as pipe:
                for path in self._files:
                    with open(path, "rb") as source:
                        shutil.copyfileobj(source, pipe)
        except BrokenPipeError:
            # The reader stopped early, as a script may; the next epoch starts.
            pass


def channel_files(channel_dir: Path) -> list[Path]:
    """The staged files of one channel, in path order, as Pipe mode sends them."""
    return sorted(p for p in channel_dir.rglob("*") if p.is_file())
