"""Benchmark of the training runtime against hand-written baselines.

For each data set, 5-fold cross-validated score (accuracy, or R2 for regression)
and wall time of cross-validation plus the final fit, for:

- ``auto``: the runtime choosing a model family (``model: auto``);
- ``runtime-rf``: the runtime with ``model: random-forest`` and plots off;
- ``baseline-rf``: a plain scikit-learn script doing the same work (read the CSV,
  impute, one-hot, random forest, the same folds, then a final fit);
- ``xgboost``: the same script with XGBoost at its defaults.

``runtime-rf`` against ``baseline-rf`` is the runtime's overhead. Each time is the
best of ``--repeats`` runs. Libraries run single-threaded (threadpoolctl) so the
numbers do not depend on what else the machine runs.

    PYTHONPATH=src python bench/training_runtime.py [--repeats 3] [--write]

``--write`` replaces this benchmark's section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import palmerpenguins
import pandas as pd
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelEncoder, OneHotEncoder
from threadpoolctl import threadpool_limits
from xgboost import XGBClassifier, XGBRegressor

from smtrain.ml.environment import ROOT_ENV
from smtrain.ml.metric_lines import metric_definitions
from smtrain.ml.train import main as train_main

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START = "<!-- bench:training-runtime:start -->"
END = "<!-- bench:training-runtime:end -->"
FOLDS = 5
SEED = 0


@dataclass(frozen=True)
class Dataset:
    name: str
    frame: pd.DataFrame
    target: str
    regression: bool


@dataclass(frozen=True)
class Result:
    score: float
    seconds: float
    note: str = ""
    # Runtime only: wall time including plots and writing the model folder.
    total_seconds: float = 0.0


def datasets() -> list[Dataset]:
    def sklearn_set(name: str, loader: Callable[..., Any], regression: bool) -> Dataset:
        features, target = loader(return_X_y=True, as_frame=True)
        return Dataset(name, features.assign(target=target), "target", regression)

    raw = Path(palmerpenguins.__file__).parent / "data" / "penguins-raw.csv"
    return [
        sklearn_set("breast-cancer", load_breast_cancer, False),
        sklearn_set("wine", load_wine, False),
        sklearn_set("diabetes", load_diabetes, True),
        Dataset("penguins", palmerpenguins.load_penguins(), "species", False),
        Dataset("penguins-raw", pd.read_csv(raw), "Species", False),
    ]


def run_runtime(dataset: Dataset, csv: Path, *args: str) -> Result:
    with tempfile.TemporaryDirectory() as root:
        os.environ[ROOT_ENV] = root
        os.environ["SM_CHANNEL_TRAIN"] = str(csv.parent)
        argv = ["--target", dataset.target, "--folds", str(FOLDS), *args]
        log = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(log):
            code = train_main(argv)
        seconds = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"runtime failed on {dataset.name}: {log.getvalue()}")
    text = log.getvalue()
    metric = "r2" if dataset.regression else "accuracy"
    score = _logged_metric(text, f"cv:{metric}")
    # train:seconds spans reading to evaluation: the work the baseline does too.
    fit_seconds = _logged_metric(text, "train:seconds")
    chosen = re.search(r"auto: chose (\S+)", text)
    return Result(score, fit_seconds, chosen.group(1) if chosen else "", seconds)


def _logged_metric(log: str, name: str) -> float:
    definition = next(d for d in metric_definitions() if d["name"] == name)
    match = re.search(definition["regex"], log)
    if match is None:
        raise RuntimeError(f"no {name} line in the runtime's log")
    return float(match.group(1))


def run_baseline(dataset: Dataset, csv: Path, model: str) -> Result:
    """What a user would write by hand: impute, one-hot, fit, same folds."""
    started = time.perf_counter()
    frame = pd.read_csv(csv)
    frame = frame[frame[dataset.target].notna()]
    features = frame.drop(columns=[dataset.target])
    target = frame[dataset.target]
    if not dataset.regression:
        target = LabelEncoder().fit_transform(target)
    prepare = ColumnTransformer(
        [
            (
                "numbers",
                SimpleImputer(strategy="median"),
                make_column_selector(dtype_include="number"),
            ),
            (
                "text",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"),
                    OneHotEncoder(handle_unknown="ignore"),
                ),
                make_column_selector(dtype_exclude="number"),
            ),
        ]
    )
    estimator = _baseline_estimator(model, dataset.regression)
    pipeline = make_pipeline(prepare, estimator)
    splitter: Any = (
        KFold(FOLDS, shuffle=True, random_state=SEED)
        if dataset.regression
        else StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    )
    scoring = "r2" if dataset.regression else "accuracy"
    scores = cross_val_score(pipeline, features, target, cv=splitter, scoring=scoring)
    pipeline.fit(features, target)
    return Result(float(np.mean(scores)), time.perf_counter() - started)


def _baseline_estimator(model: str, regression: bool) -> Any:
    if model == "xgboost":
        return XGBRegressor() if regression else XGBClassifier()
    if regression:
        return RandomForestRegressor(random_state=SEED)
    return RandomForestClassifier(random_state=SEED)


def best_of(repeats: int, run: Callable[[], Result]) -> Result:
    return min((run() for _ in range(repeats)), key=lambda r: r.seconds)


def measure(dataset: Dataset, csv: Path, repeats: int) -> dict[str, Any]:
    auto = best_of(1, lambda: run_runtime(dataset, csv, "--model", "auto"))
    runtime_rf = best_of(
        repeats,
        lambda: run_runtime(dataset, csv, "--model", "random-forest", "--plots", "no"),
    )
    baseline_rf = best_of(repeats, lambda: run_baseline(dataset, csv, "rf"))
    xgboost = best_of(repeats, lambda: run_baseline(dataset, csv, "xgboost"))
    return {
        "dataset": dataset.name,
        "rows": len(dataset.frame),
        "metric": "r2" if dataset.regression else "accuracy",
        "auto": auto,
        "runtime-rf": runtime_rf,
        "baseline-rf": baseline_rf,
        "xgboost": xgboost,
        "overhead": runtime_rf.seconds / baseline_rf.seconds - 1,
    }


def benchmark(repeats: int) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as data_root, threadpool_limits(limits=1):
        for dataset in datasets():
            csv = Path(data_root) / dataset.name / "train.csv"
            csv.parent.mkdir()
            dataset.frame.to_csv(csv, index=False)
            rows.append(measure(dataset, csv, repeats))
            print(f"done {dataset.name}", file=sys.stderr)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    header = (
        "| data set | rows | metric | auto (chosen) | runtime-rf | baseline-rf "
        "| xgboost | auto ≥ best baseline | rf overhead |\n"
        "| --- | ---: | --- | --- | --- | --- | --- | --- | ---: |"
    )
    lines = [header]
    for row in rows:
        auto = row["auto"]
        best = max(row["baseline-rf"].score, row["xgboost"].score)
        lines.append(
            f"| {row['dataset']} | {row['rows']} | {row['metric']} "
            f"| {auto.score:.4f} ({auto.note}), {auto.seconds:.2f}s "
            f"| {_cell(row['runtime-rf'])} ({row['runtime-rf'].total_seconds:.2f}s) "
            f"| {_cell(row['baseline-rf'])} "
            f"| {_cell(row['xgboost'])} "
            # Runtime scores are logged with 6 significant digits.
            f"| {'yes' if auto.score >= best - 5e-6 else 'no'} "
            f"| {row['overhead']:+.1%} |"
        )
    return "\n".join(lines)


def _cell(result: Result) -> str:
    return f"{result.score:.4f}, {result.seconds:.2f}s"


def machine() -> str:
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("scikit-learn", "xgboost-cpu", "lightgbm", "pandas", "numpy")
    )
    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs (shared), "
        f"Python {platform.python_version()}; {versions}"
    )


def write_section(rows: list[dict[str, Any]], repeats: int) -> None:
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join(
        [
            START,
            "## Training runtime (`smtrain.ml`)",
            "",
            f"Command: `PYTHONPATH=src python bench/training_runtime.py --repeats "
            f"{repeats} --write`  ",
            f"Machine: {machine()}  ",
            f"Date: {today}",
            "",
            "5-fold cross-validated score (same folds everywhere) and wall time of "
            "reading, cross-validation and the final fit (the runtime's "
            "`train:seconds`; in brackets, its total including plots and writing "
            f"the model folder); best of {repeats} runs, `auto` run once. All "
            "libraries single-threaded. Overhead is runtime-rf over baseline-rf, "
            "fit time.",
            "",
            table(rows),
            "",
            "Beyond what baseline-rf does, the runtime sniffs the CSV header, plans "
            "the columns and scores five metrics per fold (a few milliseconds per "
            "fold); the bracketed total adds writing the skops model and "
            "metadata.json. The machine is shared, so repeated runs of this script "
            "move the overhead column by several percentage points either way.",
            END,
        ]
    )
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if START in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--write", action="store_true", help="update docs/benchmarks.md"
    )
    args = parser.parse_args()
    rows = benchmark(args.repeats)
    print(table(rows))
    if args.write:
        write_section(rows, args.repeats)


if __name__ == "__main__":
    main()
