"""Where local search gets each trial's hyperparameters: a grid, random draws or optuna.

Every sampler hands out picks with ``ask`` (None once the search is done) and
hears back each trial's objective with ``tell`` (None for a trial that failed or
reported no value). Grid and Random follow SageMaker's strategies exactly:
every combination in order, or independent draws honouring each range's
scaling. Bayesian search uses optuna's TPE sampler (the ``tuning`` extra).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from typing import Any, Protocol

from smtrain.errors import Problem, SpecError
from smtrain.hyperparameters import hyperparameter_text
from smtrain.tuning_spec import (
    CategoricalRange,
    ContinuousRange,
    IntegerRange,
    TuningSpec,
)

Range = IntegerRange | ContinuousRange | CategoricalRange
Pick = dict[str, Any]


class Sampler(Protocol):
    def ask(self) -> tuple[int, Pick] | None:
        """The next trial's number and values, or None when no trial is left."""

    def tell(self, number: int, objective: float | None) -> None:
        """The objective trial ``number`` reached, or None when it has none."""


def make_sampler(tuning: TuningSpec) -> Sampler:
    if tuning.strategy == "Grid":
        return GridSampler(tuning)
    if tuning.strategy == "Bayesian":
        return OptunaSampler(tuning)
    return RandomSampler(tuning)


class GridSampler:
    """Every combination of the categorical values, in order, up to max-jobs."""

    def __init__(self, tuning: TuningSpec) -> None:
        names = list(tuning.parameter_ranges)
        values = [
            r.values
            for r in tuning.parameter_ranges.values()
            if isinstance(r, CategoricalRange)
        ]
        combos = (dict(zip(names, c, strict=True)) for c in itertools.product(*values))
        self._picks: Iterator[Pick] = itertools.islice(combos, tuning.max_jobs)
        self._count = 0

    def ask(self) -> tuple[int, Pick] | None:
        pick = next(self._picks, None)
        if pick is None:
            return None
        self._count += 1
        return self._count, pick

    def tell(self, number: int, objective: float | None) -> None:
        """A grid does not learn."""


class RandomSampler:
    """Independent draws from every range, seeded by random-seed."""

    def __init__(self, tuning: TuningSpec) -> None:
        self._ranges = tuning.parameter_ranges
        # Not a finding (B311): seeded search.
        self._rng = random.Random(tuning.random_seed)  # nosec B311
        self._left = tuning.max_jobs or 1
        self._count = 0

    def ask(self) -> tuple[int, Pick] | None:
        if self._count >= self._left:
            return None
        self._count += 1
        pick = {name: draw(r, self._rng) for name, r in self._ranges.items()}
        return self._count, pick

    def tell(self, number: int, objective: float | None) -> None:
        """Random draws do not learn."""


def draw(value_range: Range, rng: random.Random) -> Any:
    """One value from ``value_range`` as SageMaker's Random strategy spreads them."""
    if isinstance(value_range, CategoricalRange):
        return rng.choice(value_range.values)
    low, high = float(value_range.min), float(value_range.max)
    if value_range.scaling == "Logarithmic":
        value = math.exp(rng.uniform(math.log(low), math.log(high)))
    elif value_range.scaling == "ReverseLogarithmic":
        value = 1 - math.exp(rng.uniform(math.log(1 - high), math.log(1 - low)))
    else:
        value = rng.uniform(low, high)
    if isinstance(value_range, IntegerRange):
        return min(max(round(value), value_range.min), value_range.max)
    return value


class OptunaSampler:
    """Bayesian search with optuna's TPE sampler, trial by trial (ask and tell)."""

    def __init__(self, tuning: TuningSpec) -> None:
        optuna = _import_optuna()
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        direction = "maximize" if tuning.objective.type == "Maximize" else "minimize"
        sampler = optuna.samplers.TPESampler(seed=tuning.random_seed)
        self._optuna = optuna
        self._study = optuna.create_study(direction=direction, sampler=sampler)
        self._ranges = tuning.parameter_ranges
        self._left = tuning.max_jobs or 1
        self._trials: dict[int, Any] = {}

    def ask(self) -> tuple[int, Pick] | None:
        if len(self._trials) >= self._left:
            return None
        trial = self._study.ask()
        number = len(self._trials) + 1
        self._trials[number] = trial
        pick = {name: self._suggest(trial, name, r) for name, r in self._ranges.items()}
        return number, pick

    def tell(self, number: int, objective: float | None) -> None:
        trial = self._trials[number]
        if objective is None or not math.isfinite(objective):
            self._study.tell(trial, state=self._optuna.trial.TrialState.FAIL)
        else:
            self._study.tell(trial, objective)

    def _suggest(self, trial: Any, name: str, value_range: Range) -> Any:
        if isinstance(value_range, CategoricalRange):
            # optuna keeps plain choices only; the text stands for the value.
            by_text = {hyperparameter_text(v): v for v in value_range.values}
            return by_text[trial.suggest_categorical(name, list(by_text))]
        log = value_range.scaling == "Logarithmic"
        if isinstance(value_range, IntegerRange):
            return trial.suggest_int(name, value_range.min, value_range.max, log=log)
        if value_range.scaling == "ReverseLogarithmic":
            # Dense near max: search 1 - value on a log scale.
            low, high = 1 - value_range.max, 1 - value_range.min
            return 1 - trial.suggest_float(f"1-{name}", low, high, log=True)
        return trial.suggest_float(name, value_range.min, value_range.max, log=log)


def _import_optuna() -> Any:
    try:
        import optuna
    except ImportError:
        raise SpecError(
            [
                Problem(
                    "tuning.strategy",
                    "Bayesian local search needs optuna, which is not installed",
                    hint="pip install 'smtrain[tuning]', or use strategy Random or "
                    "Grid locally",
                )
            ]
        ) from None
    return optuna
