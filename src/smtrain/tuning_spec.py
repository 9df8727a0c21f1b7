"""The ``tuning`` section: a SageMaker hyperparameter tuning job over the same spec.

Each range names a hyperparameter the tuner sets; every other hyperparameter
stays static. ``type`` may be left out: a range with ``values`` is categorical,
one whose bounds are both whole numbers is an integer range, any other is
continuous. A plain list is short for a categorical range.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from smtrain.spec_types import (
    Duration,
    Flag,
    HyperparameterValue,
    SpecModel,
    TextList,
)

Strategy = Literal["Bayesian", "Random", "Hyperband", "Grid"]
Scaling = Literal["Auto", "Linear", "Logarithmic", "ReverseLogarithmic"]


class Objective(SpecModel):
    """The metric the tuner optimises; one of the job's metric-definitions."""

    metric: str = Field(description="Name of a metric in metric-definitions.")
    type: Literal["Maximize", "Minimize"] = Field(
        description="Maximize (accuracy) or Minimize (loss)."
    )


class IntegerRange(SpecModel):
    """Whole numbers from min to max, both included."""

    type: Literal["integer"] = "integer"
    min: int = Field(description="Smallest value.")
    max: int = Field(description="Largest value.")
    scaling: Scaling = Field("Auto", description="How the tuner spreads its picks.")


class ContinuousRange(SpecModel):
    """Real numbers from min to max."""

    type: Literal["continuous"] = "continuous"
    min: float = Field(description="Smallest value.")
    max: float = Field(description="Largest value.")
    scaling: Scaling = Field(
        "Auto",
        description="Auto, Linear, Logarithmic (min > 0) or ReverseLogarithmic "
        "(0 <= min < max < 1).",
    )


class CategoricalRange(SpecModel):
    """A fixed list of values; the only kind a Grid search accepts."""

    type: Literal["categorical"] = "categorical"
    values: list[HyperparameterValue] = Field(
        min_length=1, description="The values to try."
    )


def infer_range_type(value: Any) -> Any:
    """Fill in ``type`` when the range's shape makes it plain."""
    if isinstance(value, list):
        return {"type": "categorical", "values": value}
    if not isinstance(value, dict) or "type" in value:
        return value
    if "values" in value:
        return {"type": "categorical", **value}
    bounds = (value.get("min"), value.get("max"))
    whole = all(isinstance(b, int) and not isinstance(b, bool) for b in bounds)
    return {"type": "integer" if whole else "continuous", **value}


ParameterRange = Annotated[
    Annotated[
        IntegerRange | ContinuousRange | CategoricalRange, Field(discriminator="type")
    ],
    BeforeValidator(infer_range_type),
]


class WarmStart(SpecModel):
    """Start from what earlier tuning jobs learned."""

    parents: TextList = Field(
        min_length=1, description="Names of up to 5 earlier tuning jobs."
    )
    type: Literal["IdenticalDataAndAlgorithm", "TransferLearning"] = Field(
        "IdenticalDataAndAlgorithm",
        description="IdenticalDataAndAlgorithm, or TransferLearning when data, "
        "image or ranges changed.",
    )


class TuningSpec(SpecModel):
    """A hyperparameter tuning job: the search, its objective and its limits."""

    strategy: Strategy = Field(
        "Bayesian", description="Bayesian, Random, Hyperband or Grid."
    )
    objective: Objective = Field(description="The metric to maximise or minimise.")
    max_jobs: int | None = Field(
        None,
        ge=1,
        description="Training jobs in total; required except with Grid, where it "
        "defaults to every combination.",
    )
    max_parallel_jobs: int = Field(1, ge=1, description="Training jobs at once.")
    max_runtime: Duration | None = Field(
        None, description="Longest the whole tuning job may run."
    )
    early_stopping: Flag = Field(
        False, description="Let SageMaker stop trials that are unlikely to win."
    )
    random_seed: int | None = Field(
        None, ge=0, description="Seed for reproducible Random and Bayesian picks."
    )
    parameter_ranges: dict[str, ParameterRange] = Field(
        min_length=1, description="Hyperparameter name to its range of values."
    )
    warm_start: WarmStart | None = Field(
        None, description="Parent tuning jobs to learn from."
    )
