"""Start ``smtrain action`` as GitHub's runner starts a container action, read back.

Every input declared in action.yml is passed as ``INPUT_<NAME>``, upper case with
hyphens kept, empty unless the test sets it; the file-command files are fresh
temporary files; the outputs file is parsed with the runner's heredoc rules.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
_HEREDOC = re.compile(
    r"^(?P<name>[\w-]+)<<(?P<delim>\S+)\n(?P<value>.*?)\n?(?P=delim)\n", re.S | re.M
)
# The runner's two command forms, ``::name props::data`` and ``##[name props]data``,
# recognised after leading whitespace.
_COMMAND = re.compile(r"^(?:::(?P<name>[^\s:]+)[^:]*::|##\[(?P<old>[^\s\]]+))")


@dataclass
class StepLog:
    """A step's stdout split as the runner reads it."""

    obeyed: list[str]
    # Command-shaped lines shown as text because commands were stopped.
    ignored: list[str]


def read_step_log(stdout: str) -> StepLog:
    """Apply the runner's stop-commands rule: after ``::stop-commands::TOKEN``
    no command is obeyed until the line ``::TOKEN::`` (compared ignoring case).
    """
    log = StepLog([], [])
    token = ""
    for line in stdout.splitlines():
        match = _COMMAND.match(line.lstrip())
        if match is None:
            continue
        name = (match["name"] or match["old"]).lower()
        if token and name != token:
            log.ignored.append(line)
            continue
        log.obeyed.append(line)
        if token:
            token = ""
        elif name == "stop-commands":
            token = line.split("::", 2)[2].lower()
    return log


def declared_inputs() -> dict[str, str]:
    metadata = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return {name: spec["default"] for name, spec in metadata["inputs"].items()}


def read_outputs(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    outputs = {m["name"]: m["value"] for m in _HEREDOC.finditer(text)}
    # Everything must have been consumed by the heredoc blocks.
    assert _HEREDOC.sub("", text) == ""
    return outputs


@dataclass
class ActionRun:
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str

    @property
    def step_log(self) -> StepLog:
        return read_step_log(self.stdout)


class ActionRunner:
    def __init__(self, workspace: Path, token_url: str, request_token: str) -> None:
        self.workspace = workspace
        self.files = {
            "GITHUB_OUTPUT": workspace / "file-commands" / "output",
            "GITHUB_STEP_SUMMARY": workspace / "file-commands" / "summary.md",
            "GITHUB_ENV": workspace / "file-commands" / "env",
        }
        self.runner_env = {
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_REPOSITORY": "octo/models",
            "GITHUB_RUN_ID": "4242",
            "GITHUB_SHA": "0" * 40,
            "ACTIONS_ID_TOKEN_REQUEST_URL": token_url,
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": request_token,
        }

    def environment(self, inputs: dict[str, str]) -> dict[str, str]:
        unknown = set(inputs) - set(declared_inputs())
        assert not unknown, f"not declared in action.yml: {unknown}"
        values = declared_inputs() | inputs
        env = {k: v for k, v in os.environ.items() if not k.startswith("INPUT_")}
        env |= {f"INPUT_{name.upper()}": value for name, value in values.items()}
        env |= self.runner_env | {k: str(v) for k, v in self.files.items()}
        env["PYTHONPATH"] = str(ROOT / "src")
        return env

    def start(self, inputs: dict[str, str]) -> subprocess.Popen[str]:
        for path in self.files.values():
            path.parent.mkdir(exist_ok=True)
            path.write_text("")
        return subprocess.Popen(
            [sys.executable, "-m", "smtrain", "action"],
            cwd=self.workspace,
            env=self.environment(inputs),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def finish(self, process: subprocess.Popen[str]) -> ActionRun:
        try:
            stdout, stderr = process.communicate(timeout=60)
        finally:
            process.kill()
        return ActionRun(
            process.returncode,
            stdout,
            stderr,
            read_outputs(self.files["GITHUB_OUTPUT"]),
            self.files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8"),
        )

    def run(self, inputs: dict[str, str]) -> ActionRun:
        return self.finish(self.start(inputs))
