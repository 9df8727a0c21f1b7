"""What local mode can run: a Python (or shell) entry point, as script mode does.

A framework container downloads ``source-dir`` to ``/opt/ml/code`` and runs
``python <entry-point> --name value ...`` there (``/bin/sh`` for ``.sh``). Local
mode does the same with the interpreter that runs smtrain. A job that only names
an image has nothing local mode can run without Docker, and is refused.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from smtrain import contract
from smtrain.errors import Problem, SpecError
from smtrain.local.layout import HostTree
from smtrain.spec import JobSpec

_RUNNERS = {".py": [sys.executable], ".sh": ["/bin/sh"]}
# Never copied into code/: smtrain's own job roots, caches and VCS data.
_NOT_CODE = shutil.ignore_patterns(".smtrain", ".git", "__pycache__", "*.pyc")


@dataclass(frozen=True)
class Program:
    """The code to stage and how to start it."""

    source_dir: Path | None
    entry_file: Path
    entry_point: str

    def argv(self, tree: HostTree, arguments: list[str]) -> list[str]:
        script = tree.path(contract.CODE_DIR) / self.entry_point
        return [*_RUNNERS[Path(self.entry_point).suffix], str(script), *arguments]

    def stage(self, tree: HostTree, jobs_root: Path) -> None:
        """Copy the code into the host's ``code/``, as SageMaker unpacks it.

        ``jobs_root`` is skipped: with a local-root inside source-dir the copy
        would otherwise copy itself.
        """
        code_dir = tree.path(contract.CODE_DIR)
        if self.source_dir is None:
            shutil.copy2(self.entry_file, code_dir / self.entry_point)
            return
        shutil.copytree(
            self.source_dir,
            code_dir,
            dirs_exist_ok=True,
            ignore=_ignore_for_code(jobs_root.resolve()),
        )


def _ignore_for_code(jobs_root: Path) -> Callable[[str, list[str]], set[str]]:
    def ignore(folder: str, names: list[str]) -> set[str]:
        ignored = set(_NOT_CODE(folder, names))
        return ignored | {n for n in names if Path(folder, n).resolve() == jobs_root}

    return ignore


def resolve_program(spec: JobSpec, cwd: Path) -> Program:
    """The entry point to run, or a SpecError saying what local mode can run."""
    problems = _support_problems(spec)
    if problems:
        raise SpecError(problems)
    assert spec.entry_point is not None
    if spec.source_dir:
        source_dir = _absolute(spec.source_dir, cwd)
        entry_file = source_dir / spec.entry_point
        program = Program(source_dir, entry_file, Path(spec.entry_point).as_posix())
        key = "source-dir" if not source_dir.is_dir() else "entry-point"
    else:
        entry_file = _absolute(spec.entry_point, cwd)
        program = Program(None, entry_file, entry_file.name)
        key = "entry-point"
    if not entry_file.is_file():
        raise SpecError([_missing(key, entry_file)])
    return program


def _support_problems(spec: JobSpec) -> list[Problem]:
    if not spec.entry_point:
        what = f"image {spec.image_uri}" if spec.image_uri else "this job"
        return [
            Problem(
                "entry-point",
                f"local mode runs a Python (.py) or shell (.sh) entry point on this "
                f"machine without Docker; {what} names none",
                hint="set entry-point (and source-dir) to the training script, "
                "or run without --local to use the image on SageMaker",
            )
        ]
    problems: list[Problem] = []
    if Path(spec.entry_point).suffix not in _RUNNERS:
        problems.append(
            Problem(
                "entry-point",
                f"local mode runs .py or .sh entry points, not {spec.entry_point}",
            )
        )
    if spec.distribution == "mpi":
        problems.append(
            Problem(
                "distribution",
                "local mode runs none or torchrun, not mpi",
                hint="use distribution: torchrun, or run without --local",
            )
        )
    return problems


def _missing(key: str, path: Path) -> Problem:
    return Problem(key, f"{path} does not exist", hint="check the path in the job file")


def _absolute(path: str, cwd: Path) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else cwd / candidate
