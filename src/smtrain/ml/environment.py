"""Where the training container keeps things, read from the SageMaker contract.

Paths come from the ``SM_*`` variables when set, else from the job root:
``/opt/ml``, or the folder named by ``SMTRAIN_ML_ROOT`` (tests, local runs).
Hyperparameters come from ``SM_HPS``, else ``input/config/hyperparameters.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smtrain import contract
from smtrain.ml.errors import HyperparameterError

ROOT_ENV = "SMTRAIN_ML_ROOT"


@dataclass(frozen=True)
class TrainingEnvironment:
    """The folders of one training run and the hyperparameters it was given."""

    root: Path
    model_dir: Path
    output_dir: Path
    output_data_dir: Path
    channels: dict[str, Path]
    environ: Mapping[str, str]

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> TrainingEnvironment:
        root = Path(environ.get(ROOT_ENV, str(contract.BASE_DIR)))

        def path(variable: str, relative: str) -> Path:
            return Path(environ.get(variable) or root / relative)

        return cls(
            root=root,
            model_dir=path(contract.SM_MODEL_DIR, contract.MODEL_DIR),
            output_dir=path(contract.SM_OUTPUT_DIR, contract.OUTPUT_DIR),
            output_data_dir=path(contract.SM_OUTPUT_DATA_DIR, contract.OUTPUT_DATA_DIR),
            channels=_channels(environ, root / contract.INPUT_DATA_DIR),
            environ=environ,
        )

    @property
    def failure_file(self) -> Path:
        return self.output_dir / Path(contract.FAILURE_FILE).name

    def hyperparameters(self) -> dict[str, Any]:
        """``SM_HPS`` (already decoded), else the decoded hyperparameters.json."""
        encoded = self.environ.get(contract.SM_HPS)
        if encoded:
            return _json_object(encoded, contract.SM_HPS)
        config = self.root / contract.HYPERPARAMETERS_FILE
        if not config.is_file():
            return {}
        raw = _json_object(config.read_text(encoding="utf-8"), str(config))
        return {name: _decode(value) for name, value in raw.items()}


def _channels(environ: Mapping[str, str], data_dir: Path) -> dict[str, Path]:
    """Channels named by ``SM_CHANNEL_<NAME>``, else the folders of input/data."""
    prefix = contract.SM_CHANNEL_PREFIX
    named = {
        variable[len(prefix) :].lower(): Path(value)
        for variable, value in environ.items()
        if variable.startswith(prefix) and variable != contract.SM_CHANNELS and value
    }
    if named or not data_dir.is_dir():
        return named
    return {child.name: child for child in sorted(data_dir.iterdir()) if child.is_dir()}


def _json_object(text: str, source: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise HyperparameterError(f"{source} is not valid JSON: {error}") from error
    if not isinstance(value, dict):
        raise HyperparameterError(f"{source} must hold a JSON object")
    return value


def _decode(value: Any) -> Any:
    """SageMaker stores every value as text; the framework toolkits JSON-decode it."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
