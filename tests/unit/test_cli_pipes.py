import os
import subprocess
import sys
from pathlib import Path

import pytest

from smtrain.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "sklearn-script" / "job.yml"


def test_render_into_a_closed_pipe_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    with os.fdopen(write_end, "w", buffering=1) as closed_pipe:
        monkeypatch.setattr(sys, "stdout", closed_pipe)
        code = main(["render", str(EXAMPLE)])
        monkeypatch.undo()
    assert code == 1
    assert "internal error" not in capsys.readouterr().err


def test_version_prints_the_package_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "smtrain", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("smtrain 0.")
