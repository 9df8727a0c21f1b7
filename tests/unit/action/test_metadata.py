"""action.yml, the JobSpec model and the docs' tables stay in step."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from smtrain.github.inputs import AUTH_INPUTS
from smtrain.github.metadata import markdown_tables, render_action_yml
from smtrain.github.outputs import OUTPUT_DESCRIPTIONS
from smtrain.spec import spec_keys

ROOT = Path(__file__).resolve().parents[3]
ACTION_YML = ROOT / "action.yml"
REGENERATE = "run: PYTHONPATH=src python scripts/generate-action-metadata.py"
_TABLES = re.compile(
    r"<!-- action-tables:begin -->\n(.*?)<!-- action-tables:end -->", re.S
)


def _metadata() -> dict[str, dict[str, dict[str, str]]]:
    loaded: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(
        ACTION_YML.read_text(encoding="utf-8")
    )
    return loaded


def test_action_yml_is_generated_from_the_current_model() -> None:
    assert ACTION_YML.read_text(encoding="utf-8") == render_action_yml(), REGENERATE


@pytest.mark.parametrize("doc", ["docs/action.md", "README.md"])
def test_docs_tables_match_the_model(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    found = _TABLES.search(text)
    assert found is not None, f"{doc} lost its action-tables markers"
    assert found.group(1) == markdown_tables(), REGENERATE


def test_every_spec_key_and_auth_input_is_an_input_defaulting_to_empty() -> None:
    inputs = _metadata()["inputs"]

    assert list(inputs) == ["config", *spec_keys(), *AUTH_INPUTS]
    for name, spec in inputs.items():
        assert spec["default"] == "", name
        assert spec["required"] is False, name
        assert "\n" not in spec["description"] and spec["description"], name


def test_spec_inputs_state_their_effective_default() -> None:
    inputs = _metadata()["inputs"]

    assert inputs["instance-type"]["description"].endswith(
        "Default: the file's value, else ml.m5.large."
    )
    assert inputs["wait"]["description"].endswith("else true.")
    assert inputs["role-duration-seconds"]["description"].count("3600") == 1


def test_marketplace_fields_are_set() -> None:
    metadata: dict[str, object] = yaml.safe_load(ACTION_YML.read_text("utf-8"))

    assert metadata["branding"] == {"icon": "cpu", "color": "orange"}
    assert len(str(metadata["description"])) <= 125
    assert metadata["runs"] == {"using": "docker", "image": "Dockerfile"}


def test_outputs_include_the_tuning_ones() -> None:
    outputs = _metadata()["outputs"]

    assert list(outputs) == list(OUTPUT_DESCRIPTIONS)
    assert {"tuning-job-name", "best-objective-value", "metrics"} <= set(outputs)


def test_action_yml_passes_the_public_action_schema() -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    if not checker.exists():
        pytest.skip("check-jsonschema is not installed in this environment")

    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-actions", str(ACTION_YML)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
