"""Every failure writes its reason to output/failure and exits non-zero."""

from __future__ import annotations

import pandas as pd

from .job_root import JobRoot, Outcome


def _assert_failed(outcome: Outcome, code: int, reason: str) -> None:
    assert outcome.exit_code == code
    assert reason in outcome.failure
    assert reason in outcome.stderr
    assert "Traceback" not in outcome.stderr


def test_single_class_target(job_root: JobRoot, penguins: pd.DataFrame) -> None:
    penguins[penguins["species"] == "Adelie"].to_csv(
        job_root.channel() / "p.csv", index=False
    )
    _assert_failed(
        job_root.train("--target", "species"), 1, "has a single class ('Adelie')"
    )


def test_missing_target_column(job_root: JobRoot, penguins: pd.DataFrame) -> None:
    penguins.to_csv(job_root.channel() / "p.csv", index=False)
    _assert_failed(
        job_root.train("--target", "genus"),
        1,
        "target column 'genus' is not in the training data",
    )


def test_empty_channel(job_root: JobRoot) -> None:
    job_root.channel()
    _assert_failed(job_root.train("--target", "species"), 1, "'train'")
    assert "is empty" in (job_root.root / "output" / "failure").read_text()


def test_missing_channel(job_root: JobRoot) -> None:
    _assert_failed(job_root.train("--target", "y"), 1, "no 'train' channel")


def test_unreadable_file(job_root: JobRoot) -> None:
    (job_root.channel() / "data.parquet").write_bytes(b"\x00\x01 not parquet")
    _assert_failed(job_root.train("--target", "y"), 1, "cannot read")


def test_too_few_rows(job_root: JobRoot, penguins: pd.DataFrame) -> None:
    two_of_each = penguins.groupby("species").head(2)
    two_of_each.to_csv(job_root.channel() / "p.csv", index=False)
    _assert_failed(
        job_root.train("--target", "species"), 1, "too few rows to cross-validate"
    )


def test_bad_hyperparameter_exits_2(job_root: JobRoot, penguins: pd.DataFrame) -> None:
    penguins.to_csv(job_root.channel() / "p.csv", index=False)
    _assert_failed(
        job_root.train("--target", "species", "--model", "linear", "--C", "-1"),
        2,
        "'linear' refused its parameters (C=-1)",
    )


def test_target_missing_in_every_row(job_root: JobRoot, penguins: pd.DataFrame) -> None:
    penguins.assign(species=None).to_csv(job_root.channel() / "p.csv", index=False)
    _assert_failed(
        job_root.train("--target", "species"),
        1,
        "target 'species' is missing in every row",
    )


def test_drop_columns_naming_no_column(
    job_root: JobRoot, penguins: pd.DataFrame
) -> None:
    penguins.to_csv(job_root.channel() / "p.csv", index=False)
    outcome = job_root.train(
        "--target", "species", "--drop-columns", "year,nope,Island"
    )
    _assert_failed(
        outcome, 2, "not in the training data: nope, Island; columns: island,"
    )


def test_drop_columns_naming_the_target(
    job_root: JobRoot, penguins: pd.DataFrame
) -> None:
    penguins.to_csv(job_root.channel() / "p.csv", index=False)
    _assert_failed(
        job_root.train("--target", "species", "--drop-columns", "year,species"),
        2,
        "'drop-columns' names the target 'species'",
    )


def test_undetected_header_suggests_the_header_setting(job_root: JobRoot) -> None:
    # Repeated column names keep the first row from looking like a header.
    rows = [f"{i},{i % 7},{i % 2}" for i in range(30)]
    (job_root.channel() / "d.csv").write_text("\n".join(["a,a,y", *rows]) + "\n")
    _assert_failed(
        job_root.train("--target", "y"),
        1,
        "the first row holds 'y', so it looks like a header that was not "
        "detected (repeated names or all-text data hide it): set the 'header' "
        "hyperparameter to true",
    )


def test_single_column_data_names_the_separators(job_root: JobRoot) -> None:
    rows = [f"{i}:{i % 2}" for i in range(30)]
    (job_root.channel() / "d.csv").write_text("\n".join(["x:y", *rows]) + "\n")
    _assert_failed(
        job_root.train("--target", "y"),
        1,
        "the data has a single column: CSV fields must be separated by commas, "
        "tabs, semicolons or pipes",
    )
