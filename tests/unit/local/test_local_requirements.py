"""Which requirements the current environment does not satisfy."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from smtrain.local.requirements import requirements_path, unmet_requirements


def test_unmet_requirements_name_what_is_missing_or_too_old(tmp_path: Path) -> None:
    pyyaml = metadata.version("pyyaml")
    path = tmp_path / "requirements.txt"
    path.write_text(
        "\n".join(
            [
                "# comment",
                "-i https://example.invalid/simple",
                f"PyYAML=={pyyaml}  # pinned",
                "pydantic<1",
                "smtrain-absent-example>=1",
                'only-on-windows==1; sys_platform == "win32"',
                "not a requirement !!",
            ]
        )
    )
    unmet = unmet_requirements(path)

    assert unmet[0].startswith("pydantic<1 (installed: ")
    assert unmet[1] == "smtrain-absent-example>=1 (not installed)"
    assert unmet[2] == "not a requirement !! (not checked: pip will resolve it)"
    assert len(unmet) == 3


def test_requirements_file_is_only_looked_for_in_source_dir(tmp_path: Path) -> None:
    assert requirements_path(None) is None
    assert requirements_path(tmp_path) is None
    (tmp_path / "requirements.txt").write_text("pyyaml\n")
    assert requirements_path(tmp_path) == tmp_path / "requirements.txt"
