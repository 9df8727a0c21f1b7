"""Generated job names: deterministic in GitHub Actions, always valid."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtrain.names import (
    default_job_name,
    deterministic_job_name,
    join_name,
    max_prefix_length,
    with_suffix,
)
from smtrain.spec import JobSpec

VALID = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
GITHUB = {
    "GITHUB_RUN_ID": "987654321012",
    "GITHUB_RUN_ATTEMPT": "2",
    "GITHUB_JOB": "train",
}


def test_name_in_github_actions_is_deterministic() -> None:
    spec = JobSpec(job_name_prefix="penguins")
    first = default_job_name(spec, environ=GITHUB)
    assert first == default_job_name(spec, environ=GITHUB)
    assert first.startswith("penguins-987654321012-2-")
    other_leg = default_job_name(
        JobSpec(job_name_prefix="penguins", instance_count=2), environ=GITHUB
    )
    assert other_leg != first


def test_name_elsewhere_carries_a_utc_time_stamp() -> None:
    now = datetime(2026, 5, 1, 12, 30, 45, 123000, tzinfo=timezone.utc)
    name = default_job_name(JobSpec(), environ={}, now=now)
    assert name == "smtrain-20260501-123045-123"


@pytest.mark.parametrize("prefix", ["a", "x" * max_prefix_length(), "a-b--c"])
@pytest.mark.parametrize("environ", [GITHUB, {}])
def test_generated_names_are_valid_and_short_enough(
    prefix: str, environ: dict[str, str]
) -> None:
    name = default_job_name(JobSpec(job_name_prefix=prefix), environ=environ)
    assert VALID.fullmatch(name)
    assert name.startswith(prefix + "-")


def test_render_name_without_github_is_a_spec_digest() -> None:
    name = deterministic_job_name(JobSpec(), environ={})
    assert re.fullmatch(r"smtrain-[0-9a-f]{12}", name)
    assert name != deterministic_job_name(JobSpec(instance_count=3), environ={})


@pytest.mark.parametrize(
    ("name", "number", "expected"),
    [
        ("train", 2, "train-2"),
        ("a" * 63, 12, "a" * 60 + "-12"),
        ("ab" + "-" * 60 + "c", 3, "ab-3"),
    ],
)
def test_with_suffix_cuts_the_name_not_the_number(
    name: str, number: int, expected: str
) -> None:
    assert with_suffix(name, number) == expected
    assert VALID.fullmatch(with_suffix(name, number))


def test_join_name_replaces_characters_sagemaker_refuses() -> None:
    assert join_name("my_prefix", "1") == "my-prefix-1"


@given(
    prefix=st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9_.-]{0,80}", fullmatch=True),
    run_id=st.integers(min_value=1, max_value=10**12 - 1),
    attempt=st.integers(min_value=1, max_value=999),
)
def test_any_prefix_gives_a_valid_name(prefix: str, run_id: int, attempt: int) -> None:
    environ = {"GITHUB_RUN_ID": str(run_id), "GITHUB_RUN_ATTEMPT": str(attempt)}
    spec = JobSpec(job_name_prefix=prefix)
    for name in (default_job_name(spec, environ=environ), with_suffix(prefix, attempt)):
        assert VALID.fullmatch(name), name


def test_render_name_ignores_where_the_checkout_is() -> None:
    here = JobSpec(source_dir="/home/a/repo/code", entry_point="train.py")
    there = JobSpec(source_dir="/runner/work/repo/code", entry_point="train.py")
    assert deterministic_job_name(here, environ={}) == deterministic_job_name(
        there, environ={}
    )
