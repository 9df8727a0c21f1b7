"""SageMaker's own limits, read from the service model botocore ships.

Limits such as the 63-character job name or the 2500-character hyperparameter
value come from the installed botocore rather than constants of ours, so they
move when AWS changes the API. The model is read as plain JSON (about 35 ms),
once per process, without importing botocore's model and client machinery:
validating a spec, or running it locally, makes no AWS call and should not pay
for them. A remote run's clients get this same parsed model through
``smtrain.aws.models.SharedModelLoader``, so the file is parsed only once.

The model is found where botocore looks for it: ``AWS_DATA_PATH``, then
``~/.aws/models``, then botocore's own ``data`` folder, newest API version.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

SERVICE = "sagemaker"
MODEL_TYPE = "service-2"


@dataclass(frozen=True)
class ShapeLimits:
    """Length (or count, or value) bounds and the full-match pattern of one shape."""

    name: str
    min: int | None
    max: int | None
    pattern: re.Pattern[str] | None

    def matches(self, value: str) -> bool:
        return self.pattern is None or self.pattern.fullmatch(value) is not None

    def accepts(self, value: str) -> bool:
        """Within the length bounds and matching the pattern."""
        low, high = self.min or 0, self.max
        return (
            low <= len(value)
            and (high is None or len(value) <= high)
            and (self.matches(value))
        )


class RequestShapeError(RuntimeError):
    """A request we built fails botocore's validation: a bug in smtrain."""


@dataclass(frozen=True)
class ModelFile:
    """Where SageMaker's model was found, and its API version (a folder name)."""

    path: Path
    api_version: str


def extra_data_paths() -> list[Path]:
    """The folders ``AWS_DATA_PATH`` puts ahead of botocore's own."""
    listed = os.environ.get("AWS_DATA_PATH", "").split(os.pathsep)
    return [Path(os.path.expandvars(p)).expanduser() for p in listed if p]


def _search_paths() -> list[Path]:
    """botocore's search order for data files: the first that has a version wins."""
    botocore_spec = find_spec("botocore")
    packages = botocore_spec.submodule_search_locations if botocore_spec else None
    builtin = [Path(p, "data") for p in packages or []]
    return [*extra_data_paths(), Path("~/.aws/models").expanduser(), *builtin]


@cache
def model_file() -> ModelFile:
    """The newest API version of SageMaker's model, as botocore would choose it."""
    found: dict[str, Path] = {}
    for root in _search_paths():
        for version in sorted((root / SERVICE).glob("*")):
            for suffix in (".json", ".json.gz"):
                path = version / (MODEL_TYPE + suffix)
                if path.is_file():
                    found.setdefault(version.name, path)
                    break
    if not found:
        raise RuntimeError(f"botocore's {SERVICE} service model is not installed")
    newest = max(found)
    return ModelFile(found[newest], newest)


@cache
def model_json() -> dict[str, Any]:
    """The parsed model; shared by every user in the process, never modified."""
    path = model_file().path
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    model: dict[str, Any] = json.loads(raw)
    return model


@cache
def service_model() -> ServiceModel:
    from botocore.model import ServiceModel

    return ServiceModel(model_json(), service_name=SERVICE)


def operation(name: str) -> OperationModel:
    return service_model().operation_model(name)


def _shape(shape_name: str) -> dict[str, Any]:
    shape: dict[str, Any] = model_json()["shapes"][shape_name]
    return shape


@cache
def limits(shape_name: str) -> ShapeLimits:
    shape = _shape(shape_name)
    pattern = shape.get("pattern")
    return ShapeLimits(
        shape_name,
        shape.get("min"),
        shape.get("max"),
        _compile(pattern) if pattern else None,
    )


@cache
def enum_values(shape_name: str) -> tuple[str, ...]:
    return tuple(_shape(shape_name).get("enum", []))


def _compile(pattern: str) -> re.Pattern[str]:
    # AWS writes Java-style classes (tag patterns); Python's re lacks \p{...}.
    # Inside a class, \w covers letters, and digits and _ are allowed anyway.
    translated = (
        pattern.replace(r"\p{L}", r"\w")
        .replace(r"\p{Z}", " ")
        .replace(r"\p{N}", r"\d")
        .replace(r"\p{Alnum}", r"a-zA-Z0-9")
    )
    return re.compile(translated, re.DOTALL)


def validate_request(operation_name: str, params: dict[str, Any]) -> None:
    """Raise ``RequestShapeError`` if botocore would refuse ``params``."""
    from botocore.validate import ParamValidator

    report = ParamValidator().validate(params, operation(operation_name).input_shape)
    if report.has_errors():
        raise RequestShapeError(
            f"bug in smtrain: the {operation_name} request it built is invalid: "
            f"{report.generate_report()}"
        )
