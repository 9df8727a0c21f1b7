"""Reading a channel: every file in it, as one table.

Files are read by extension: ``.parquet``/``.pq`` as Parquet, ``.jsonl``/
``.ndjson``/``.json`` as JSON lines, anything else as CSV (SageMaker channels
often hold extension-less files). Hidden files are skipped. A CSV file's
separator (comma, tab, semicolon or pipe) is detected; so is its header, unless
the ``header`` hyperparameter says. Header-less columns are named ``column_1``,
``column_2``... by position.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from smtrain.ml.errors import DataError
from smtrain.ml.missing import clean_missing

_PARQUET = (".parquet", ".pq")
_JSON_LINES = (".jsonl", ".ndjson", ".json")
_SNIFF_BYTES = 64 * 1024
_SEPARATORS = (",", "\t", ";", "|")


@dataclass(frozen=True)
class FileRecord:
    """A data file as the model's fingerprint records it."""

    name: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class ChannelData:
    """One channel read into a single table."""

    name: str
    frame: pd.DataFrame
    has_header: bool
    files: tuple[FileRecord, ...]
    # What reading changed, e.g. infinities read as missing, for the log.
    notes: tuple[str, ...] = ()

    def fingerprint(self) -> dict[str, Any]:
        return {
            "rows": int(self.frame.shape[0]),
            "columns": [str(c) for c in self.frame.columns],
            "files": [vars(record) for record in self.files],
        }


def read_channel(name: str, folder: Path, header: bool | None) -> ChannelData:
    """Every data file under ``folder`` concatenated; ``header`` None detects it."""
    files = _data_files(name, folder)
    read = [(path, *_read_file(path, header)) for path in files]
    read = [(path, frame, named) for path, frame, named in read if frame.shape[1]]
    if not read or all(frame.empty for _, frame, _ in read):
        raise DataError(f"channel {name!r} ({folder}) has files but no rows")
    first_path, first_frame, _ = read[0]
    for path, frame, _ in read[1:]:
        if list(frame.columns) != list(first_frame.columns):
            raise DataError(
                f"{path} has columns {list(frame.columns)}, but {first_path} has "
                f"{list(first_frame.columns)}; every file of channel {name!r} "
                "needs the same columns"
            )
    table = pd.concat([frame for _, frame, _ in read], ignore_index=True)
    _require_flat(table, name)
    table, notes = clean_missing(table)
    records = tuple(_record(path, folder) for path in files)
    named = all(named for _, _, named in read)
    return ChannelData(name, table, named, records, tuple(notes))


def _require_flat(table: pd.DataFrame, channel: str) -> None:
    """JSON lines may nest lists or objects, which no column kind can hold."""
    for column in table.columns:
        values = table[column]
        if values.dtype != object:
            continue
        if values.map(lambda v: isinstance(v, (list, dict))).any():
            raise DataError(
                f"column {column!r} of channel {channel!r} holds nested lists or "
                "objects; flatten it into one column per value"
            )


def _data_files(name: str, folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    if not folder.is_dir():
        raise DataError(f"channel {name!r} folder {folder} does not exist")
    files = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )
    if not files:
        raise DataError(
            f"channel {name!r} ({folder}) is empty: point inputs.{name} at a folder "
            "or prefix holding CSV, Parquet or JSON lines files"
        )
    return files


def _read_file(path: Path, header: bool | None) -> tuple[pd.DataFrame, bool]:
    """The file's table, and whether it named its columns."""
    suffix = path.suffix.lower()
    try:
        if suffix in _PARQUET:
            return pd.read_parquet(path), True
        if suffix in _JSON_LINES:
            return pd.read_json(path, lines=True), True
        return _read_csv(path, header)
    except DataError:
        raise
    except Exception as error:
        raise DataError(f"cannot read {path}: {error}") from error


def _read_csv(path: Path, header: bool | None) -> tuple[pd.DataFrame, bool]:
    if path.stat().st_size == 0:
        return pd.DataFrame(), True
    with path.open(encoding="utf-8", newline="") as handle:
        sample = handle.read(_SNIFF_BYTES)
    separator = _separator(sample, complete=len(sample) < _SNIFF_BYTES)
    if header is None:
        header = _looks_like_header(sample, separator)
    if header:
        return pd.read_csv(path, sep=separator), True
    frame = pd.read_csv(path, sep=separator, header=None)
    frame.columns = pd.Index([f"column_{i + 1}" for i in range(frame.shape[1])])
    return frame, False


def _separator(sample: str, complete: bool) -> str:
    """Comma, or the first other separator that gives every row the same width.

    Excel and many European tools write semicolons; exports often use tabs. A
    separator must split every sampled row into the same number (above one) of
    fields; the comma wins whenever it does.
    """
    for separator in _SEPARATORS:
        rows = list(csv.reader(io.StringIO(sample), delimiter=separator))
        if not complete:
            rows = rows[:-1]  # The sample may end inside the last row.
        widths = {len(row) for row in rows if row}
        if len(widths) == 1 and widths.pop() > 1:
            return separator
    return ","


def _looks_like_header(sample: str, separator: str) -> bool:
    """A first row of distinct, non-empty, non-numeric fields is a header.

    When the data rows hold no numbers either, the stdlib sniffer decides.
    """
    rows = list(csv.reader(io.StringIO(sample), delimiter=separator))
    if not rows:
        return False
    first = [field.strip() for field in rows[0]]
    if any(not field or _is_number(field) for field in first):
        return False
    if len(set(first)) != len(first):
        return False
    later = [field for row in rows[1:] for field in row]
    if any(_is_number(field) for field in later):
        return True
    return csv.Sniffer().has_header(sample)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _record(path: Path, folder: Path) -> FileRecord:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        # Chunks, so a large file is never held in memory twice.
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    name = path.name if path == folder else path.relative_to(folder).as_posix()
    return FileRecord(name, path.stat().st_size, digest.hexdigest())
