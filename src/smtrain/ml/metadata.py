"""The parts of ``metadata.json`` that describe where a model came from."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from importlib import metadata as distributions

# Distributions whose versions decide whether a saved model loads and behaves alike.
_LIBRARIES = (
    "smtrain",
    "numpy",
    "pandas",
    "pyarrow",
    "scikit-learn",
    "skops",
    "xgboost",
    "xgboost-cpu",
    "lightgbm",
    "matplotlib",
)


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries that matter; absent ones are left out."""
    versions: dict[str, str] = {}
    for name in _LIBRARIES:
        try:
            versions[name] = distributions.version(name)
        except distributions.PackageNotFoundError:
            continue
    return versions


def source_info(environ: Mapping[str, str]) -> dict[str, str | None]:
    """The commit and workflow run, when trained from GitHub Actions."""
    return {
        "commit": environ.get("GITHUB_SHA") or None,
        "run": environ.get("GITHUB_RUN_ID") or None,
    }


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
