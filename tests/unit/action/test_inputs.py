"""INPUT_* variables exactly as the runner sets them."""

from __future__ import annotations

from pathlib import Path

import pytest

from smtrain.errors import SpecError
from smtrain.github.inputs import env_name, read_inputs, secret_values


def test_names_keep_their_hyphens_in_upper_case() -> None:
    assert env_name("job-name") == "INPUT_JOB-NAME"
    assert env_name("aws-secret-access-key") == "INPUT_AWS-SECRET-ACCESS-KEY"


def test_empty_inputs_are_unset_and_the_rest_reach_the_spec_and_auth() -> None:
    env = {
        "INPUT_CONFIG": "jobs/train.yml",
        "INPUT_JOB-NAME": "",
        "INPUT_INSTANCE-COUNT": "2",
        "INPUT_HYPERPARAMETERS": "lr: 0.1\nepochs: 3\n",
        "INPUT_ROLE-TO-ASSUME": "arn:aws:iam::1:role/r",
        "INPUT_ROLE-DURATION-SECONDS": "7200",
        "INPUT_AUDIENCE": "",
        "INPUT_JOB_NAME": "underscore spelling is not an input",
    }

    inputs = read_inputs(env)

    assert inputs.config == Path("jobs/train.yml")
    assert inputs.spec_inputs == {
        "instance-count": "2",
        "hyperparameters": "lr: 0.1\nepochs: 3\n",
    }
    assert inputs.auth.role_to_assume == "arn:aws:iam::1:role/r"
    assert inputs.auth.role_duration_seconds == 7200
    assert inputs.auth.audience == "sts.amazonaws.com"
    assert inputs.auth.access_key_id is None


def test_secret_values_are_the_three_key_inputs_that_are_set() -> None:
    env = {
        "INPUT_AWS-ACCESS-KEY-ID": "AKIA1",
        "INPUT_AWS-SECRET-ACCESS-KEY": "s3cret",
        "INPUT_AWS-SESSION-TOKEN": "",
        "INPUT_ROLE-TO-ASSUME": "not a secret",
    }

    assert secret_values(env) == ["AKIA1", "s3cret"]
    assert "s3cret" not in repr(read_inputs(env))


@pytest.mark.parametrize("text", ["1h", "60", "99999", "-1"])
def test_role_duration_outside_sts_range_is_refused_by_name(text: str) -> None:
    with pytest.raises(SpecError) as raised:
        read_inputs({"INPUT_ROLE-DURATION-SECONDS": text})

    assert raised.value.problems[0].key == "role-duration-seconds"
    assert raised.value.problems[0].source == "input role-duration-seconds"
