"""``python -m smtrain.ml.train`` / ``smtrain-train``: train a model from a channel.

Reads the SageMaker training-container contract (see ``environment``), takes
hyperparameters from it and from ``--name value`` arguments (which win), and
writes the model folder (see ``artifact``), plots in the output data folder and
metric lines to stdout. A failure writes its reason to ``output/failure`` and
exits non-zero.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.base import clone
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from smtrain.ml import plots
from smtrain.ml.artifact import save_model
from smtrain.ml.data import ChannelData, read_channel
from smtrain.ml.environment import TrainingEnvironment
from smtrain.ml.errors import DataError, HyperparameterError, TrainingError
from smtrain.ml.evaluation import choose_folds, cross_validate, predict
from smtrain.ml.hyperparameters import Settings, build_settings, parse_argv
from smtrain.ml.metadata import library_versions, source_info, utc_now
from smtrain.ml.metric_lines import TIME_METRIC, format_metric
from smtrain.ml.models import build_pipeline, check_params
from smtrain.ml.preprocess import (
    ColumnPlan,
    check_drop_columns,
    describe_features,
    plan_columns,
)
from smtrain.ml.problem import Target, infer_target, resolve_target_name
from smtrain.ml.scoring import score_predictions
from smtrain.ml.selection import Candidate, select_model
from smtrain.ml.threads import thread_count

Log = Callable[[str], None]
EVALUATION_CHANNELS = ("validation", "test")


@dataclass(frozen=True)
class TrainingSet:
    """The train channel split into features and encoded target."""

    data: ChannelData
    target: Target
    features: pd.DataFrame
    encoded: Any
    dropped_rows: int


def main(argv: Sequence[str] | None = None) -> int:
    """Train once; return the exit code (0, or the failure's code)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    environment = TrainingEnvironment.from_environ(os.environ)
    try:
        hyperparameters = {**environment.hyperparameters(), **parse_argv(arguments)}
        train(environment, build_settings(hyperparameters), hyperparameters, _log)
    except TrainingError as error:
        return _fail(environment, str(error), error.exit_code)
    except Exception as error:
        # An unexpected failure still leaves a reason where SageMaker looks for it.
        traceback.print_exc()
        return _fail(environment, f"internal error: {type(error).__name__}: {error}", 1)
    return 0


def train(
    environment: TrainingEnvironment,
    settings: Settings,
    hyperparameters: dict[str, Any],
    log: Log,
) -> dict[str, float]:
    """Read, cross-validate, fit, evaluate, plot and save; return every metric."""
    started = time.perf_counter()
    training = _training_set(environment, settings, log)
    threads = thread_count(*training.features.shape)
    log(f"threads: {threads}")
    with threadpool_limits(limits=threads):
        return _fit_and_save(
            environment, settings, hyperparameters, training, started, log
        )


def _fit_and_save(
    environment: TrainingEnvironment,
    settings: Settings,
    hyperparameters: dict[str, Any],
    training: TrainingSet,
    started: float,
    log: Log,
) -> dict[str, float]:
    problem_type = training.target.problem_type
    folds, warning = choose_folds(training.encoded, problem_type, settings.folds)
    if warning:
        log(f"WARNING: {warning}")
    check_drop_columns(settings.drop_columns, training.features, training.target.name)
    plan = _plan(training.features, settings, log)
    chosen = _choose_model(training, plan, settings, folds, log)
    final = clone(chosen.pipeline).fit(training.features, training.encoded)
    metrics = {f"cv:{name}": value for name, value in chosen.cv.summary().items()}
    evaluated = _evaluate_channels(environment, settings, training, plan, final, log)
    metrics.update(evaluated.metrics)
    metrics[TIME_METRIC] = time.perf_counter() - started
    _print_metrics(metrics, log)
    if settings.plots:
        _plot(environment.output_data_dir, training, chosen, final, settings.seed, log)
    save_model(
        environment.model_dir,
        final,
        {
            **_describe_model(training, plan, chosen.name, final),
            **_provenance(environment, hyperparameters, training, evaluated),
            "metrics": metrics,
            "training_seconds": metrics[TIME_METRIC],
        },
    )
    log(f"saved model {chosen.name} to {environment.model_dir}")
    return metrics


def _training_set(
    environment: TrainingEnvironment, settings: Settings, log: Log
) -> TrainingSet:
    data = _read_channel(environment, "train", settings, log)
    name = resolve_target_name(data.frame, settings.target, data.has_header)
    frame, dropped = _drop_missing_target(data.frame, name, "train", log)
    if frame.empty:
        raise DataError(f"target {name!r} is missing in every row of channel 'train'")
    target = infer_target(frame[name], name, settings.problem_type)
    log(f"target {name!r}: {target.problem_type} problem")
    features = frame.drop(columns=[name])
    return TrainingSet(
        data, target, features, target.encode(frame[name], "train"), dropped
    )


def _read_channel(
    environment: TrainingEnvironment, name: str, settings: Settings, log: Log
) -> ChannelData:
    folder = environment.channels.get(name)
    if folder is None:
        raise DataError(
            f"no {name!r} channel: add inputs.{name} to the job spec "
            f"(channels found: {', '.join(sorted(environment.channels)) or 'none'})"
        )
    data = read_channel(name, folder, settings.header)
    rows, columns = data.frame.shape
    log(f"channel {name}: {rows} rows, {columns} columns from {len(data.files)} files")
    for note in data.notes:
        log(f"channel {name}: {note}")
    return data


def _drop_missing_target(
    frame: pd.DataFrame, target: str, channel: str, log: Log
) -> tuple[pd.DataFrame, int]:
    kept = frame[frame[target].notna()].reset_index(drop=True)
    dropped = len(frame) - len(kept)
    if dropped:
        log(f"channel {channel}: dropped {dropped} rows whose target is missing")
    return kept, dropped


def _plan(features: pd.DataFrame, settings: Settings, log: Log) -> ColumnPlan:
    plan = plan_columns(features, settings.drop_columns)
    for dropped in plan.dropped:
        log(f"dropped column {dropped['name']!r}: {dropped['reason']}")
    if not plan.names:
        raise DataError("no usable feature columns: every column was dropped")
    return plan


def _choose_model(
    training: TrainingSet, plan: ColumnPlan, settings: Settings, folds: int, log: Log
) -> Candidate:
    problem_type = training.target.problem_type
    features, target = training.features, training.encoded
    if settings.model == "auto":
        if settings.model_params:
            raise HyperparameterError(
                "model parameters ("
                + ", ".join(settings.model_params)
                + ") need a specific model; set the 'model' hyperparameter"
            )
        best, _ = select_model(
            plan,
            features,
            target,
            problem_type,
            folds,
            settings.seed,
            settings.time_budget,
            log,
        )
        log(f"auto: chose {best.name}")
        return best
    if settings.model_params:
        check_params(settings.model, problem_type, settings.model_params)
    pipeline = build_pipeline(
        plan, settings.model, problem_type, settings.model_params, settings.seed
    )
    cv = cross_validate(pipeline, features, target, problem_type, folds, settings.seed)
    return Candidate(settings.model, pipeline, cv)


@dataclass(frozen=True)
class Evaluated:
    """Metrics of the final model on the validation and test channels."""

    metrics: dict[str, float]
    fingerprints: dict[str, dict[str, Any]]


def _evaluate_channels(
    environment: TrainingEnvironment,
    settings: Settings,
    training: TrainingSet,
    plan: ColumnPlan,
    final: Any,
    log: Log,
) -> Evaluated:
    metrics: dict[str, float] = {}
    fingerprints: dict[str, dict[str, Any]] = {}
    for channel in EVALUATION_CHANNELS:
        if channel not in environment.channels:
            continue
        data = _read_channel(environment, channel, settings, log)
        target = training.target
        _require_columns(data, [target.name, *plan.names])
        frame, dropped = _drop_missing_target(data.frame, target.name, channel, log)
        if frame.empty:
            raise DataError(f"channel {channel!r} has no rows with a target value")
        truth = target.encode(frame[target.name], channel)
        # Columns the model ignores may be absent; they are dropped anyway.
        features = frame.reindex(columns=training.features.columns)
        predictions = predict(final, features, target.problem_type)
        scores = score_predictions(target.problem_type, truth, predictions)
        metrics.update({f"{channel}:{name}": value for name, value in scores.items()})
        fingerprints[channel] = _fingerprint(data, dropped)
    return Evaluated(metrics, fingerprints)


def _require_columns(data: ChannelData, needed: list[str]) -> None:
    missing = [name for name in needed if name not in data.frame.columns]
    if missing:
        raise DataError(
            f"channel {data.name!r} lacks columns the model needs: "
            + ", ".join(missing)
        )


def _print_metrics(metrics: dict[str, float], log: Log) -> None:
    for name, value in metrics.items():
        line = format_metric(name, value)
        if line:
            log(line)


def _plot(
    folder: Path,
    training: TrainingSet,
    chosen: Candidate,
    final: Any,
    seed: int,
    log: Log,
) -> None:
    truth, out_of_fold = training.encoded, chosen.cv.out_of_fold
    classes = training.target.classes
    if classes is None:
        paths = plots.plot_residuals(folder, truth, out_of_fold)
    else:
        paths = plots.plot_classification(folder, truth, out_of_fold, classes)
    importance = plots.feature_importance(final, training.features, truth, seed)
    paths += plots.plot_importance(folder, importance)
    log("plots: " + ", ".join(path.name for path in paths))


def _describe_model(
    training: TrainingSet, plan: ColumnPlan, name: str, final: Any
) -> dict[str, Any]:
    """What the model predicts, from which columns, with which settings."""
    target = training.target
    preprocessor = final.named_steps["preprocess"]
    return {
        "problem_type": target.problem_type,
        "target": {
            "name": target.name,
            "classes": None if target.classes is None else list(target.classes),
        },
        "feature_names": list(training.features.columns),
        "features": describe_features(plan, preprocessor, training.features),
        "dropped_columns": plan.dropped,
        "model": {"name": name, "params": _params(final)},
    }


def _provenance(
    environment: TrainingEnvironment,
    hyperparameters: dict[str, Any],
    training: TrainingSet,
    evaluated: Evaluated,
) -> dict[str, Any]:
    """Where the model came from: data, settings, libraries, commit and time."""
    train_data = _fingerprint(training.data, training.dropped_rows)
    return {
        "data": {"train": train_data, **evaluated.fingerprints},
        "hyperparameters": {
            name: value
            for name, value in hyperparameters.items()
            if not name.startswith("sagemaker_")
        },
        "versions": library_versions(),
        "source": source_info(environment.environ),
        "created_at": utc_now(),
    }


def _params(pipeline: Any) -> dict[str, Any]:
    """The model's parameters, JSON-ready (anything exotic as text)."""
    params = pipeline.named_steps["model"].get_params()
    plain = (str, int, float, bool, type(None))
    return {k: v if isinstance(v, plain) else repr(v) for k, v in params.items()}


def _fingerprint(data: ChannelData, dropped_rows: int) -> dict[str, Any]:
    return {**data.fingerprint(), "dropped_rows": dropped_rows}


def _fail(environment: TrainingEnvironment, reason: str, exit_code: int) -> int:
    print(f"ERROR: {reason}", file=sys.stderr, flush=True)
    try:
        environment.failure_file.parent.mkdir(parents=True, exist_ok=True)
        environment.failure_file.write_text(reason + "\n", encoding="utf-8")
    except OSError as error:
        print(
            f"ERROR: cannot write {environment.failure_file}: {error}", file=sys.stderr
        )
    return exit_code


def _log(message: str) -> None:
    print(message, flush=True)


if __name__ == "__main__":
    sys.exit(main())
