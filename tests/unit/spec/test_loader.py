"""load_spec: sources, precedence, locations and structural problems."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from smtrain.errors import SpecError
from smtrain.loader import load_spec

WriteSpec = Callable[..., Path]  # the write_spec fixture in conftest.py


def problems_of(error: pytest.ExceptionInfo[SpecError]) -> list[str]:
    return [p.render() for p in error.value.problems]


def test_valid_file_loads_with_defaults(write_spec: WriteSpec) -> None:
    spec = load_spec(write_spec())
    assert spec.instance_type == "ml.m5.large"
    assert spec.inputs["train"].uri == "s3://my-bucket/train"
    assert spec.max_runtime == 86400


def test_action_inputs_override_file_and_set_overrides_both(
    write_spec: WriteSpec,
) -> None:
    path = write_spec({"instance-count": 1, "max-runtime": "1h"})
    spec = load_spec(
        path,
        action_inputs={"instance-count": "3", "max-runtime": "2h", "job-name": ""},
        overrides=["instance-count=4"],
    )
    assert spec.instance_count == 4
    assert spec.max_runtime == 7200
    assert spec.job_name is None


def test_set_reaches_into_mappings_and_keeps_other_entries(
    write_spec: WriteSpec,
) -> None:
    path = write_spec({"hyperparameters": {"lr": 0.1, "epochs": 5}})
    spec = load_spec(
        path,
        overrides=[
            "hyperparameters.lr=0.2",
            "inputs.validation=s3://my-bucket/val",
            "inputs.train.content-type=text/csv",
        ],
    )
    assert spec.hyperparameters == {"lr": 0.2, "epochs": 5}
    assert spec.inputs["validation"].uri == "s3://my-bucket/val"
    assert spec.inputs["train"].uri == "s3://my-bucket/train"
    assert spec.inputs["train"].content_type == "text/csv"


def test_structured_action_inputs_are_parsed_from_yaml_or_json(
    write_spec: WriteSpec,
) -> None:
    spec = load_spec(
        write_spec(),
        action_inputs={
            "hyperparameters": '{"max_depth": 5, "objective": "reg:squarederror"}',
            "tags": "team: ml\ncost-center: 42\n",
            "subnets": "subnet-0123abcd, subnet-0456cdef",
            "security-group-ids": "sg-0123abcd",
        },
    )
    assert spec.hyperparameters == {"max_depth": 5, "objective": "reg:squarederror"}
    assert spec.tags == {"team": "ml", "cost-center": "42"}
    assert spec.subnets == ["subnet-0123abcd", "subnet-0456cdef"]


def test_spec_from_action_inputs_alone(tmp_path: Path) -> None:
    spec = load_spec(
        None,
        action_inputs={
            "role-arn": "arn:aws:iam::123456789012:role/R",
            "image-uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1",
            "output-path": "s3://my-bucket/out",
            "use-spot": "true",
        },
    )
    assert spec.use_spot is True


def test_relative_paths_resolve_against_the_file_folder(
    write_spec: WriteSpec,
    script_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_spec(
        {
            "local": True,
            "source-dir": "code",
            "entry-point": "train.py",
            "output-path": "out",
            "inputs": {"train": "data/train", "test": "file://data/test"},
        }
    )
    for channel in ("train", "test"):
        (tmp_path / "data" / channel).mkdir(parents=True)
        (tmp_path / "data" / channel / "rows.csv").write_text("1\n")
    monkeypatch.chdir("/")
    spec = load_spec(path)
    assert spec.source_dir == str(script_dir)
    assert spec.output_path == str(tmp_path / "out")
    assert spec.inputs["train"].uri == str(tmp_path / "data" / "train")
    assert spec.inputs["test"].uri == "file://" + str(tmp_path / "data" / "test")


def test_relative_paths_from_set_resolve_against_the_cwd(
    write_spec: WriteSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    spec = load_spec(write_spec({"local": True}), overrides=["output-path=out"])
    assert spec.output_path == str(elsewhere / "out")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "job.yml: (file): is empty"),
        ("- a\n- b\n", "must be a mapping of keys, not a list"),
        ("role-arn: [unclosed\n", "job.yml:2: (file): not valid YAML"),
        ("a: b\n  c: d\n", "job.yml:2: (file): not valid YAML"),
        ("\ufeffrole-arn: [unclosed\n", "job.yml:2: (file): not valid YAML"),
        ("tags: {a: " + "[" * 41 + "]" * 41 + "}\n", "nested more than 40 levels"),
        ("x: &a [1, 2]\n" + "".join(f"y{i}: *a\n" for i in range(5001)), "10,000"),
    ],
)
def test_unusable_files_are_one_clear_problem(
    tmp_path: Path, text: str, fragment: str
) -> None:
    path = tmp_path / "job.yml"
    path.write_text(text)
    with pytest.raises(SpecError) as error:
        load_spec(path)
    assert len(error.value.problems) == 1
    assert fragment in problems_of(error)[0]


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as error:
        load_spec(tmp_path / "nope.yml")
    assert "cannot read it" in problems_of(error)[0]


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "job.yml"
    path.write_text(
        "role-arn: arn:aws:iam::123456789012:role/R\n"
        "image-uri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1\n"
        "output-path: s3://my-bucket/out\n"
        "instance-type: ml.m5.large\n"
        "instance-type: ml.m5.xlarge\n"
        "job_name: train-1\n"
        "inputs:\n"
        "  train:\n"
        "    uri: s3://my-bucket/train\n"
        "    input-mod: Pipe\n"
        "use-spot: yes\n"
    )
    with pytest.raises(SpecError) as error:
        load_spec(path)
    rendered = problems_of(error)
    assert any(r.startswith(f"{path}:5: instance-type: is set twice") for r in rendered)
    assert (
        f"{path}:6: job_name: is not a known key (did you mean 'job-name'?)" in rendered
    )
    assert (
        f"{path}:10: inputs.train.input-mod: is not a known key "
        "(did you mean 'input-mode'?)"
    ) in rendered
    assert any(
        r.startswith(f"{path}:11: use-spot: expected true or false") for r in rendered
    )


def test_problems_from_action_inputs_and_set_name_their_source(
    write_spec: WriteSpec,
) -> None:
    with pytest.raises(SpecError) as error:
        load_spec(
            write_spec(),
            action_inputs={"instance-count": "two", "hyperparameters": "{bad"},
            overrides=["max-runtime=forever", "nonsense"],
        )
    rendered = problems_of(error)
    assert any(
        r.startswith("input instance-count: instance-count: must be a whole")
        for r in rendered
    )
    assert any(
        r.startswith("input hyperparameters:") and "not valid YAML" in r
        for r in rendered
    )
    assert any(
        r.startswith("--set: max-runtime: expected a duration") for r in rendered
    )
    assert any(r.startswith("--set: nonsense: expected KEY=VALUE") for r in rendered)


def test_unknown_action_input_suggests_the_key(write_spec: WriteSpec) -> None:
    with pytest.raises(SpecError) as error:
        load_spec(write_spec(), action_inputs={"instance-typ": "ml.m5.xlarge"})
    assert problems_of(error) == [
        "input instance-typ: instance-typ: is not a known key "
        "(did you mean 'instance-type'?)"
    ]


def test_environment_values_are_never_echoed(write_spec: WriteSpec) -> None:
    with pytest.raises(SpecError) as error:
        load_spec(write_spec({"environment": {"TOKEN": ["s3cr3t-value"]}}))
    assert "s3cr3t" not in str(error.value)
    assert "environment.TOKEN" in str(error.value)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"metric-definitions": ["loss"]}, "must be a mapping with name and regex"),
        ({"inputs": {"train": 5}}, "must be a URI or a mapping with uri"),
        ({"inputs": ["s3://my-bucket/a"]}, "must be a mapping of key: value"),
        ({"framework-version": 1.1}, "must be text (got 1.1) (quote it"),
        ({"framework": "keras"}, "must be one of 'sklearn', 'xgboost'"),
        ({"instance-count": True}, "instance-count: must be a number, not true"),
        ({"volume-size": False}, "volume-size: must be a number, not true"),
        (
            {"max-retry-attempts": True},
            "max-retry-attempts: must be a number, not true",
        ),
    ],
)
def test_type_errors_read_as_sentences(
    write_spec: WriteSpec, changes: dict[str, object], expected: str
) -> None:
    with pytest.raises(SpecError) as error:
        load_spec(write_spec(changes))
    assert expected in str(error.value)
    assert "Input should be" not in str(error.value)


def test_multi_line_action_input_problems_carry_the_line(write_spec: WriteSpec) -> None:
    with pytest.raises(SpecError) as error:
        load_spec(
            write_spec(),
            action_inputs={
                "inputs": "train: s3://my-bucket/train\nbad name: s3://b/x\n"
            },
        )
    rendered = problems_of(error)
    assert any(r.startswith("input inputs:2: inputs.bad name:") for r in rendered)


def test_set_accepts_a_whole_mapping_and_an_empty_value_unsets(
    write_spec: WriteSpec,
) -> None:
    path = write_spec({"tags": {"team": "ml"}, "max-retry-attempts": 3})
    spec = load_spec(path, overrides=["tags={owner: me}", "max-retry-attempts="])
    assert spec.tags == {"team": "ml", "owner": "me"}
    assert spec.max_retry_attempts is None


def test_set_into_a_key_that_is_not_a_mapping_is_refused(write_spec: WriteSpec) -> None:
    with pytest.raises(SpecError) as error:
        load_spec(write_spec(), overrides=["instance-type.size=large"])
    assert problems_of(error) == [
        "--set: instance-type.size: instance-type is not a mapping (dotted keys "
        "reach into environment, hyperparameters, inputs, tags, tuning)"
    ]
