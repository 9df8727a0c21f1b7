"""Spec hashes, suffixed names and tags."""

from __future__ import annotations

import pytest

from smtrain.github.context import GitHubRun, tag_value
from smtrain.spec import JobSpec
from smtrain.submit import (
    SPEC_HASH_TAG,
    job_tags,
    spec_hash,
)


def _spec(**values: object) -> JobSpec:
    return JobSpec.model_validate({"image-uri": "img", **values})


def test_spec_hash_ignores_how_the_job_is_watched() -> None:
    plain = spec_hash(_spec())

    assert spec_hash(_spec(wait=False, timeout="2h", **{"stream-logs": False})) == plain
    assert spec_hash(_spec(**{"instance-count": 2})) != plain
    assert spec_hash(_spec(), "code-digest") != plain


def test_tag_values_keep_to_the_allowed_alphabet() -> None:
    assert tag_value("build & test (py3.11)") == "build _ test _py3.11_"
    assert len(tag_value("x" * 300)) == 256


def test_no_github_tags_outside_github(monkeypatch: pytest.MonkeyPatch) -> None:
    assert GitHubRun.from_environment() is None

    tags = job_tags(_spec(tags={"team": "ml"}), "abc", "sub-1")

    assert tags == {SPEC_HASH_TAG: "abc", "smtrain:submission": "sub-1", "team": "ml"}
