"""Reading channels: every file shape the runtime accepts, and the refusals."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from smtrain.ml.data import read_channel
from smtrain.ml.errors import DataError


@pytest.fixture
def table(penguins: pd.DataFrame) -> pd.DataFrame:
    return penguins.head(30).reset_index(drop=True)


def test_csv_header_is_detected(tmp_path: Path, table: pd.DataFrame) -> None:
    table.to_csv(tmp_path / "part.csv", index=False)

    data = read_channel("train", tmp_path, header=None)

    assert data.has_header
    assert list(data.frame.columns) == list(table.columns)
    assert data.frame.shape == table.shape


def test_headerless_csv_gets_positional_names(
    tmp_path: Path, table: pd.DataFrame
) -> None:
    table.to_csv(tmp_path / "part.csv", index=False, header=False)

    data = read_channel("train", tmp_path, header=None)

    assert not data.has_header
    assert list(data.frame.columns)[:2] == ["column_1", "column_2"]
    assert list(data.frame["column_1"]) == list(table["species"])


def test_header_setting_overrides_detection(tmp_path: Path) -> None:
    # Every value is text, so detection alone could not tell the header apart.
    (tmp_path / "words.csv").write_text("colour,size\nred,big\nblue,small\n")

    named = read_channel("train", tmp_path, header=True)
    unnamed = read_channel("train", tmp_path, header=False)

    assert list(named.frame.columns) == ["colour", "size"]
    assert unnamed.frame.shape == (3, 2)
    assert unnamed.frame.iloc[0].tolist() == ["colour", "size"]


def test_parquet_and_json_lines_files_are_concatenated(
    tmp_path: Path, table: pd.DataFrame
) -> None:
    table.head(10).to_parquet(tmp_path / "a.parquet")
    table.iloc[10:20].to_json(tmp_path / "b.jsonl", orient="records", lines=True)
    nested = tmp_path / "more"
    nested.mkdir()
    table.iloc[20:].to_csv(nested / "c", index=False)
    (tmp_path / ".hidden").write_text("not data")

    data = read_channel("train", tmp_path, header=None)

    assert data.frame.shape == table.shape
    assert list(data.frame["species"]) == list(table["species"])
    assert [record.name for record in data.files] == ["a.parquet", "b.jsonl", "more/c"]
    assert all(len(record.sha256) == 64 for record in data.files)


def test_files_with_different_columns_are_refused(
    tmp_path: Path, table: pd.DataFrame
) -> None:
    table.to_csv(tmp_path / "a.csv", index=False)
    table.drop(columns=["year"]).to_csv(tmp_path / "b.csv", index=False)

    with pytest.raises(DataError, match="needs the same columns"):
        read_channel("train", tmp_path, header=None)


def test_empty_channel_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"'train'.*is empty"):
        read_channel("train", tmp_path, header=None)
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match="has files but no rows"):
        read_channel("train", tmp_path, header=None)


def test_unreadable_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.parquet").write_bytes(b"definitely not parquet")

    with pytest.raises(DataError, match=r"cannot read .*broken\.parquet"):
        read_channel("train", tmp_path, header=None)


def test_a_channel_may_be_a_single_file(tmp_path: Path, table: pd.DataFrame) -> None:
    table.to_csv(tmp_path / "only.csv", index=False)

    data = read_channel("train", tmp_path / "only.csv", header=None)

    assert data.frame.shape == table.shape
    assert [record.name for record in data.files] == ["only.csv"]
    assert data.files[0].bytes == (tmp_path / "only.csv").stat().st_size


def test_nested_json_values_are_refused(tmp_path: Path) -> None:
    (tmp_path / "rows.jsonl").write_text('{"a": [1, 2], "y": 1}\n{"a": [3], "y": 0}\n')

    with pytest.raises(DataError, match="column 'a' of channel 'train' holds nested"):
        read_channel("train", tmp_path, header=None)


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_csv_separator_is_detected(
    tmp_path: Path, table: pd.DataFrame, separator: str
) -> None:
    table.to_csv(tmp_path / "part.csv", index=False, sep=separator)

    data = read_channel("train", tmp_path, header=None)

    assert data.has_header
    assert list(data.frame.columns) == list(table.columns)
    assert data.frame["bill_length_mm"].dtype == float


def test_text_with_other_separators_stays_comma_separated(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text(
        'note,size,y\n"a;b|c",1.5,yes\n"d;e",2.5,no\nf;g;h,3.5,yes\n'
    )

    data = read_channel("train", tmp_path, header=None)

    assert list(data.frame.columns) == ["note", "size", "y"]
    assert data.frame["note"].tolist() == ["a;b|c", "d;e", "f;g;h"]
