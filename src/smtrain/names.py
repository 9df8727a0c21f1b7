"""Training job names smtrain makes up when the spec sets none.

Inside GitHub Actions the name is deterministic: the prefix, the workflow run id
and attempt, and a short digest of the job and spec, so a step that runs again
in the same attempt finds the job it already created, while matrix legs and
re-run attempts get their own. Elsewhere the name carries a UTC time stamp.
Every name is cut to SageMaker's 63 characters from the prefix, never the
suffix, and ends valid.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from datetime import datetime, timezone

from smtrain.servicemodel import limits
from smtrain.spec import JobSpec

# "-" plus the longest suffix generated below: 12-digit run id, 3-digit attempt
# and a 6-character digest, or a 19-character time stamp.
SUFFIX_RESERVE = 24


def max_name_length() -> int:
    return limits("TrainingJobName").max or 63


def max_prefix_length() -> int:
    """Longest job-name-prefix that still leaves room for any generated suffix."""
    return max_name_length() - SUFFIX_RESERVE


def default_job_name(
    spec: JobSpec,
    *,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> str:
    """The name ``run`` uses when ``job-name`` is unset."""
    env = os.environ if environ is None else environ
    suffix = _github_suffix(spec, env)
    if suffix is None:
        stamp = now or datetime.now(timezone.utc)
        suffix = stamp.strftime("%Y%m%d-%H%M%S-") + f"{stamp.microsecond // 1000:03d}"
    return join_name(spec.job_name_prefix, suffix)


def deterministic_job_name(
    spec: JobSpec, *, environ: Mapping[str, str] | None = None
) -> str:
    """The run's name in GitHub Actions; elsewhere prefix plus a spec digest.

    ``render`` uses it so the same spec always renders the same request.
    """
    env = os.environ if environ is None else environ
    suffix = _github_suffix(spec, env)
    return join_name(spec.job_name_prefix, suffix or _digest(spec, "", 12))


def with_suffix(name: str, number: int) -> str:
    """``name-2``: the next free name for ``on-existing-job: new-name``."""
    return join_name(name, str(number))


def join_name(prefix: str, suffix: str) -> str:
    """``prefix-suffix``, the prefix cut so the whole fits and stays valid."""
    room = max_name_length() - len(suffix) - 1
    cut = re.sub(r"[^a-zA-Z0-9-]", "-", prefix)[:room].strip("-")
    return f"{cut}-{suffix}" if cut else suffix


def _github_suffix(spec: JobSpec, env: Mapping[str, str]) -> str | None:
    run_id, attempt = env.get("GITHUB_RUN_ID", ""), env.get("GITHUB_RUN_ATTEMPT", "1")
    if not run_id.isdigit():
        return None
    attempt = attempt if attempt.isdigit() else "1"
    return f"{run_id}-{attempt}-{_digest(spec, env.get('GITHUB_JOB', ''), 6)}"


# Absolute local paths differ between checkouts; the digest must not.
_UNDIGESTED = {"job_name", "source_dir", "local_root"}


def _digest(spec: JobSpec, salt: str, length: int) -> str:
    text = salt + spec.model_dump_json(by_alias=True, exclude=_UNDIGESTED)
    return hashlib.sha256(text.encode()).hexdigest()[:length]
