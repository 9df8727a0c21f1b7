"""End to end: ``smtrain.ml.train.main`` on a job root, as the container runs it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import palmerpenguins
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine

from smtrain.ml.artifact import load_model
from smtrain.ml.metric_lines import metric_definitions

from .job_root import JobRoot

FAST = ("--folds", "2", "--plots", "false")


def _read_metrics(stdout: str, problem_type: str) -> dict[str, float]:
    found = {}
    for definition in metric_definitions(problem_type):
        match = re.search(definition["regex"], stdout)
        if match:
            found[definition["name"]] = float(match.group(1))
    return found


def test_penguins_train_end_to_end(job_root: JobRoot, penguins: pd.DataFrame) -> None:
    penguins.to_csv(job_root.channel() / "penguins.csv", index=False)
    penguins.sample(60, random_state=1).to_csv(
        job_root.channel("validation") / "v.csv", index=False
    )

    outcome = job_root.train(
        "--target",
        "species",
        "--model",
        "random-forest",
        "--n-estimators",
        "20",
        "--folds",
        "3",
    )

    assert outcome.exit_code == 0, outcome.stderr
    metrics = _read_metrics(outcome.stdout, "multiclass")
    assert metrics["cv:accuracy"] > 0.9
    assert "cv:accuracy_std" in metrics
    assert metrics["validation:accuracy"] > 0.9
    assert "train:seconds" in metrics
    assert "dropped 2 rows whose target is missing" not in outcome.stdout
    plots = {p.name for p in (job_root.root / "output" / "data").iterdir()}
    assert plots == {
        "confusion_matrix.png",
        "roc_curve.png",
        "precision_recall.png",
        "feature_importance.png",
    }
    model = load_model(job_root.root / "model")
    assert model.classes == ["Adelie", "Chinstrap", "Gentoo"]
    assert model.metadata["model"]["params"]["n_estimators"] == 20
    assert model.metadata["metrics"]["cv:accuracy"] == pytest.approx(
        metrics["cv:accuracy"], rel=1e-5
    )
    predicted = model.predict(penguins.dropna().head(20))
    assert (predicted == penguins.dropna().head(20)["species"].to_numpy()).mean() > 0.9


def test_missing_targets_are_dropped_and_counted(
    job_root: JobRoot, penguins: pd.DataFrame
) -> None:
    data = penguins.copy()
    data.loc[[0, 5, 9], "species"] = None
    data.to_csv(job_root.channel() / "penguins.csv", index=False)

    outcome = job_root.train("--target", "species", "--model", "linear", *FAST)

    assert outcome.exit_code == 0, outcome.stderr
    assert "dropped 3 rows whose target is missing" in outcome.stdout
    metadata = json.loads((job_root.root / "model" / "metadata.json").read_text())
    assert metadata["data"]["train"]["dropped_rows"] == 3
    assert metadata["data"]["train"]["rows"] == len(penguins)


def test_id_column_is_dropped_after_rows_with_a_missing_target(
    job_root: JobRoot,
) -> None:
    iris = load_iris(as_frame=True).frame
    iris.insert(0, "id", range(1, len(iris) + 1))
    iris.loc[70, "target"] = None
    iris.to_csv(job_root.channel() / "iris.csv", index=False)

    outcome = job_root.train("--target", "target", "--model", "linear", *FAST)

    assert outcome.exit_code == 0, outcome.stderr
    assert "dropped column 'id': identifier-like" in outcome.stdout
    metadata = json.loads((job_root.root / "model" / "metadata.json").read_text())
    assert "id" not in {feature["name"] for feature in metadata["features"]}


def test_headerless_csv_predicts_the_first_column(job_root: JobRoot) -> None:
    features, target = load_breast_cancer(return_X_y=True)
    table = np.column_stack([target, features])
    np.savetxt(job_root.channel() / "train", table, delimiter=",", fmt="%.6g")

    outcome = job_root.train("--model", "logistic-regression", *FAST)

    assert outcome.exit_code == 0, outcome.stderr
    model = load_model(job_root.root / "model")
    assert model.metadata["target"]["name"] == "column_1"
    assert model.problem_type == "binary"
    assert model.feature_names[0] == "column_2"
    assert _read_metrics(outcome.stdout, "binary")["cv:roc_auc"] > 0.95


@pytest.mark.parametrize(
    ("model", "params"),
    [
        ("extra-trees", ("--n-estimators", "10")),
        ("hist-gradient-boosting", ("--max-iter", "15")),
        ("xgboost", ("--n-estimators", "10")),
        ("lightgbm", ("--n-estimators", "10")),
    ],
)
def test_each_family_trains_and_reloads(
    job_root: JobRoot, model: str, params: tuple[str, ...]
) -> None:
    features, target = load_breast_cancer(return_X_y=True, as_frame=True)
    features.assign(diagnosis=target).to_parquet(job_root.channel() / "bc.parquet")

    outcome = job_root.train("--target", "diagnosis", "--model", model, *params, *FAST)

    assert outcome.exit_code == 0, outcome.stderr
    assert _read_metrics(outcome.stdout, "binary")["cv:accuracy"] > 0.9
    loaded = load_model(job_root.root / "model")
    assert loaded.metadata["model"]["name"] == model
    assert loaded.predict_proba(features.head(5)).shape == (5, 2)


@pytest.mark.parametrize("model", ["linear", "lightgbm"])
def test_regression_on_diabetes_with_residual_plot(
    job_root: JobRoot, model: str
) -> None:
    features, target = load_diabetes(return_X_y=True, as_frame=True)
    frame = features.assign(progression=target)
    frame.iloc[:300].to_json(
        job_root.channel() / "d.jsonl", orient="records", lines=True
    )
    frame.iloc[300:].to_csv(job_root.channel("test") / "t.csv", index=False)

    outcome = job_root.train(
        "--target", "progression", "--model", model, "--folds", "2"
    )

    assert outcome.exit_code == 0, outcome.stderr
    metrics = _read_metrics(outcome.stdout, "regression")
    assert metrics["cv:r2"] > 0.2
    assert {"test:rmse", "test:mae", "test:r2"} <= set(metrics)
    assert (job_root.root / "output" / "data" / "residuals.png").stat().st_size > 0


def test_auto_tries_families_within_the_budget(
    job_root: JobRoot, penguins: pd.DataFrame
) -> None:
    penguins.to_csv(job_root.channel() / "penguins.csv", index=False)

    # A budget this small stops after the first family has been tried.
    outcome = job_root.train("--target", "species", "--time-budget", "0.001", *FAST)

    assert outcome.exit_code == 0, outcome.stderr
    assert "auto: hist-gradient-boosting scored" in outcome.stdout
    assert "time-budget 0.001s reached" in outcome.stdout
    assert "auto: chose hist-gradient-boosting" in outcome.stdout


def test_rare_class_lowers_the_fold_count(
    job_root: JobRoot, penguins: pd.DataFrame
) -> None:
    rare = penguins[penguins["species"] != "Chinstrap"]
    two_chinstraps = penguins[penguins["species"] == "Chinstrap"].head(2)
    pd.concat([rare, two_chinstraps]).to_csv(job_root.channel() / "p.csv", index=False)

    outcome = job_root.train(
        "--target", "species", "--model", "linear", "--folds", "5", "--plots", "no"
    )

    assert outcome.exit_code == 0, outcome.stderr
    assert "WARNING: the rarest class has 2 rows" in outcome.stdout
    assert "using 2 folds" in outcome.stdout


def test_raw_penguins_with_gaps_dates_and_ids(job_root: JobRoot) -> None:
    raw = Path(palmerpenguins.__file__).parent / "data" / "penguins-raw.csv"
    shutil.copy(raw, job_root.channel() / "penguins-raw.csv")
    # Columns the model drops need not be sent again.
    unused = ["Individual ID", "Region"]
    validation = pd.read_csv(raw).drop(columns=unused).sample(50, random_state=0)
    validation.to_csv(job_root.channel("validation") / "v.csv", index=False)

    outcome = job_root.train("--target", "Species", "--model", "linear", *FAST)

    assert outcome.exit_code == 0, outcome.stderr
    assert _read_metrics(outcome.stdout, "multiclass")["validation:accuracy"] > 0.9
    model = load_model(job_root.root / "model")
    dropped = {item["name"] for item in model.metadata["dropped_columns"]}
    assert dropped == {"Region", "Stage", "Individual ID"}
    kinds = {f["name"]: f["kind"] for f in model.metadata["features"]}
    assert kinds["Date Egg"] == "datetime"
    assert kinds["Island"] == "categorical"
    rows = pd.read_csv(raw).head(3).drop(columns=unused)
    unseen = rows.assign(Island="Atlantis", **{"Date Egg": None})
    assert list(model.predict(unseen)) == ["Adelie Penguin (Pygoscelis adeliae)"] * 3
    with pytest.raises(ValueError, match="missing feature columns: Island"):
        model.predict(rows.drop(columns=["Island"]))


def test_models_without_importances_get_permutation_importance(
    job_root: JobRoot,
) -> None:
    features, target = load_wine(return_X_y=True, as_frame=True)
    features.assign(cultivar=target).to_csv(job_root.channel() / "w.csv", index=False)

    outcome = job_root.train(
        "--target",
        "cultivar",
        "--model",
        "hist-gradient-boosting",
        "--max-iter",
        "10",
        "--folds",
        "2",
    )

    assert outcome.exit_code == 0, outcome.stderr
    assert "feature_importance.png" in outcome.stdout
    assert (job_root.root / "output" / "data" / "feature_importance.png").is_file()


def test_hyperparameters_file_with_arguments_winning(
    job_root: JobRoot, penguins: pd.DataFrame
) -> None:
    penguins.to_csv(job_root.channel() / "penguins.csv", index=False)
    config = job_root.root / "input" / "config"
    config.mkdir(parents=True)
    stored = {"target": "species", "model": "xgboost", "folds": "2", "plots": "no"}
    (config / "hyperparameters.json").write_text(json.dumps(stored))

    outcome = job_root.train("--model", "linear")

    assert outcome.exit_code == 0, outcome.stderr
    metadata = json.loads((job_root.root / "model" / "metadata.json").read_text())
    assert metadata["model"]["name"] == "linear"
    # Stored as SageMaker decodes them: JSON inside the text becomes a value.
    assert metadata["hyperparameters"] == {
        "target": "species",
        "model": "linear",
        "folds": 2,
        "plots": "no",
    }
    assert not (job_root.root / "output" / "data").exists()
