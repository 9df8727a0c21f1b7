"""The serving fast path gives exactly the pipeline's outputs, or is not used."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from palmerpenguins import load_penguins
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from smtrain.ml import fast_path
from smtrain.ml.artifact import LoadedModel, load_model
from smtrain.ml.fast_path import compile_pipeline, probe_columns
from smtrain.ml.feature_frame import as_frame
from smtrain.ml.inference import input_fn, model_fn, predict_fn
from smtrain.ml.models import build_pipeline
from smtrain.ml.preprocess import describe_features, plan_columns

from .invoke import ADELIE, GENTOO


def _penguin_rows() -> str:
    frame = load_penguins().drop(columns=["species"])
    # Missing values, an unseen island and a boolean-looking sex on top of
    # every real row.
    odd = pd.DataFrame(
        [
            {"island": "Atlantis", "bill_length_mm": 40.0, "sex": "male"},
            {"island": None, "body_mass_g": 3000, "sex": "yes"},
            {"island": " Dream ", "year": 2031},
        ]
    )
    return str(pd.concat([frame, odd]).to_csv(index=False))


def _outputs(model: LoadedModel, body: str) -> Any:
    return predict_fn(input_fn(body, "text/csv"), model).outputs


def test_model_fn_compiles_the_penguins_model(penguins: LoadedModel) -> None:
    assert penguins.fast_path is not None


def test_fast_probabilities_equal_the_pipelines_exactly(
    penguins: LoadedModel,
) -> None:
    body = _penguin_rows()
    through_pipeline = dataclasses.replace(penguins, fast_path=None)

    fast = _outputs(penguins, body)

    assert fast.shape == (load_penguins().shape[0] + 3, 3)
    assert np.array_equal(fast, _outputs(through_pipeline, body))


@pytest.mark.parametrize("row", [ADELIE, GENTOO, "Dream,,,,,,"])
def test_fast_single_rows_equal_the_pipelines_exactly(
    penguins: LoadedModel, row: str
) -> None:
    through_pipeline = dataclasses.replace(penguins, fast_path=None)

    assert np.array_equal(_outputs(penguins, row), _outputs(through_pipeline, row))


def test_one_thread_per_request_keeps_the_probabilities(penguins_dir: Path) -> None:
    as_trained = load_model(penguins_dir)
    as_trained.pipeline.set_params(model__n_jobs=2)
    served = model_fn(str(penguins_dir))
    frame = as_frame(probe_columns(served.metadata))

    assert served.pipeline.named_steps["model"].n_jobs == 1
    assert np.array_equal(
        served.fast_path.predict_proba(probe_columns(served.metadata)),
        as_trained.pipeline.predict_proba(frame),
    )


def test_fast_regression_values_equal_the_pipelines_exactly(
    diabetes: LoadedModel,
) -> None:
    body = "age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n0.03,0.05,0.06,,0.01,0.02,-0.03,0,0.01,\n"
    through_pipeline = dataclasses.replace(diabetes, fast_path=None)

    assert diabetes.fast_path is not None
    assert np.array_equal(_outputs(diabetes, body), _outputs(through_pipeline, body))


def _fitted(model: str, frame: pd.DataFrame, target: pd.Series) -> tuple[Any, Any]:
    plan = plan_columns(frame, drop_columns=())
    problem = "regression" if target.dtype.kind == "f" else "multiclass"
    pipeline = build_pipeline(plan, model, problem, {}, seed=0)
    with threadpool_limits(limits=1):
        pipeline.fit(frame, target)
    classes = None if problem == "regression" else sorted(set(target))
    metadata = {
        "feature_names": list(frame.columns),
        "features": describe_features(plan, pipeline.steps[0][1], frame),
        "target": {"classes": classes},
    }
    return pipeline, metadata


def _mixed_table(rows: int = 60) -> pd.DataFrame:
    numbers = np.random.default_rng(0).normal(size=rows)
    return pd.DataFrame(
        {
            "size": numbers,
            "colour": np.where(numbers > 0, "red", "blue"),
            "member": [bool(i % 3) for i in range(rows)],
            "count": [float(i % 7) if i % 5 else np.nan for i in range(rows)],
        }
    )


@pytest.mark.parametrize(
    ("model", "regression"),
    [
        ("linear", False),
        ("linear", True),
        ("extra-trees", True),
        ("hist-gradient-boosting", False),
    ],
)
def test_other_families_compile_to_exact_outputs(model: str, regression: bool) -> None:
    frame = _mixed_table()
    target = frame["size"] * 2 if regression else (frame["count"].fillna(0) > 3)
    pipeline, metadata = _fitted(
        model, frame, target.astype(float if regression else int)
    )

    fast = compile_pipeline(pipeline, metadata)

    assert fast is not None
    probes = probe_columns(metadata)
    if regression:
        expected = pipeline.predict(as_frame(probes))
        assert np.array_equal(fast.predict(probes), expected)
    else:
        expected = pipeline.predict_proba(as_frame(probes))
        assert np.array_equal(fast.predict_proba(probes), expected)


def test_a_date_column_keeps_the_pipeline() -> None:
    frame = _mixed_table().assign(
        day=pd.date_range("2024-01-01", periods=60).strftime("%Y-%m-%d")
    )
    pipeline, metadata = _fitted("random-forest", frame, frame["member"].astype(int))

    assert compile_pipeline(pipeline, metadata) is None


def test_a_fast_path_that_differs_by_a_rounding_step_is_refused(
    penguins: LoadedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    exact = fast_path._Elementwise.transform

    def off_by_a_hair(self: Any, columns: Any) -> Any:
        return np.nextafter(exact(self, columns), np.inf)

    monkeypatch.setattr(fast_path._Elementwise, "transform", off_by_a_hair)

    assert compile_pipeline(penguins.pipeline, penguins.metadata) is None


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "pipeline"])
def test_a_row_missing_its_category_is_imputed_alone_as_in_a_batch(
    penguins: LoadedModel, fast: bool
) -> None:
    model = penguins if fast else dataclasses.replace(penguins, fast_path=None)
    row = "Dream,41.1,17.5,190,3900,,2008"

    alone = _outputs(model, row)
    in_a_batch = _outputs(model, f"{row}\n{ADELIE}\n")

    assert np.array_equal(alone[0], in_a_batch[0])
