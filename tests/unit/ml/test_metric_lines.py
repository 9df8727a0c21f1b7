"""Metric lines and the metric-definitions regexes that read them."""

from __future__ import annotations

import math
import re

from smtrain.ml.metric_lines import (
    METRIC_DEFINITIONS,
    format_metric,
    metric_definitions,
    metric_names,
)


def test_every_definition_reads_back_its_own_line_only() -> None:
    values = [0.973856, -1.5e-07, 12345678.0, 0.0]
    lines = [
        format_metric(name, values[i % len(values)])
        for i, name in enumerate(metric_names())
    ]
    log = "\n".join(line for line in lines if line)

    for i, definition in enumerate(METRIC_DEFINITIONS):
        matches = re.findall(definition["regex"], log)
        assert len(matches) == 1, definition["name"]
        assert math.isclose(float(matches[0]), values[i % len(values)], rel_tol=1e-5)


def test_definitions_fit_sagemakers_limit() -> None:
    assert len(METRIC_DEFINITIONS) <= 40
    assert len(metric_definitions("regression")) == 13
    assert len(metric_definitions("binary")) == 21


def test_undefined_values_are_not_printed() -> None:
    assert format_metric("cv:roc_auc", math.nan) is None
    assert format_metric("cv:rmse", math.inf) is None
    assert format_metric("cv:r2", 0.5) == "smtrain-metric cv:r2=0.5"
