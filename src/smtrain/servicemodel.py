"""SageMaker's own limits, read from botocore's service model.

Limits such as the 63-character job name or the 2500-character hyperparameter
value come from the installed botocore rather than constants of ours, so they
move when AWS changes the API. Loading the model costs ~50 ms, once per process:
the sessions smtrain opens share this module's loader (``data_loader``), so the
client does not parse the same multi-megabyte file a second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape


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


@cache
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()


def data_loader() -> Any:
    """botocore's file loader, whose cache keeps every model it has read."""
    return _session().get_component("data_loader")


@cache
def service_model() -> ServiceModel:
    model: ServiceModel = _session().get_service_model("sagemaker")
    return model


def operation(name: str) -> OperationModel:
    return service_model().operation_model(name)


@cache
def limits(shape_name: str) -> ShapeLimits:
    shape = service_model().shape_for(shape_name)
    meta = shape.metadata
    pattern = meta.get("pattern")
    return ShapeLimits(
        shape_name,
        meta.get("min"),
        meta.get("max"),
        _compile(pattern) if pattern else None,
    )


@cache
def enum_values(shape_name: str) -> tuple[str, ...]:
    shape: Shape = service_model().shape_for(shape_name)
    return tuple(getattr(shape, "enum", []) or [])


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
