"""Tuning job names: SageMaker allows 32 characters, so they are made shorter.

Inside GitHub Actions the name is the prefix and a digest of the run, attempt,
job and spec, so a re-run step finds the tuning job it already created;
elsewhere the suffix is a UTC time stamp. The prefix is cut, never the suffix.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from datetime import datetime, timezone

from smtrain.servicemodel import limits
from smtrain.spec import JobSpec

_UNDIGESTED = {"job_name", "source_dir", "local_root"}


def tuning_job_name(
    spec: JobSpec,
    *,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
    deterministic: bool = False,
) -> str:
    """``job-name``, or one made from ``job-name-prefix`` that fits 32 characters.

    ``deterministic`` (for ``render``) uses the digest outside GitHub too.
    """
    if spec.job_name:
        return spec.job_name
    env = os.environ if environ is None else environ
    run = env.get("GITHUB_RUN_ID", "")
    if run.isdigit() or deterministic:
        salt = f"{run}-{env.get('GITHUB_RUN_ATTEMPT', '1')}-{env.get('GITHUB_JOB', '')}"
        text = salt + spec.model_dump_json(by_alias=True, exclude=_UNDIGESTED)
        suffix = hashlib.sha256(text.encode()).hexdigest()[:10]
    else:
        suffix = (now or datetime.now(timezone.utc)).strftime("%y%m%d-%H%M%S")
    return _join(spec.job_name_prefix, suffix)


def _join(prefix: str, suffix: str) -> str:
    room = (limits("HyperParameterTuningJobName").max or 32) - len(suffix) - 1
    cut = re.sub(r"[^a-zA-Z0-9-]", "-", prefix)[:room].strip("-")
    return f"{cut}-{suffix}" if cut else suffix
