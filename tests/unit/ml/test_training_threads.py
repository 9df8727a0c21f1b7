"""Small tables train on one thread; larger ones on the CPUs the process may use."""

from __future__ import annotations

import joblib
import pandas as pd

from smtrain.ml.threads import thread_count

from .job_root import JobRoot


def test_small_tables_get_one_thread() -> None:
    assert thread_count(150, 4) == 1
    assert thread_count(9_999, 10) == 1


def test_large_tables_get_the_usable_cpus() -> None:
    assert thread_count(100_000, 10) == joblib.cpu_count()


def test_training_logs_its_thread_count(
    job_root: JobRoot, penguins: pd.DataFrame
) -> None:
    penguins.to_csv(job_root.channel() / "p.csv", index=False)

    outcome = job_root.train(
        "--target", "species", "--model", "hist-gradient-boosting", "--folds", "2"
    )

    assert outcome.exit_code == 0, outcome.stderr
    assert "threads: 1\n" in outcome.stdout
