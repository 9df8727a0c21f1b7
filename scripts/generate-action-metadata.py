"""Regenerate action.yml and the input/output tables in docs/action.md and README.md.

From the repository root:

    PYTHONPATH=src python scripts/generate-action-metadata.py

tests/unit/action/test_metadata.py fails while either file is out of date.
"""

from __future__ import annotations

from pathlib import Path

from smtrain.github.metadata import markdown_tables, render_action_yml

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- action-tables:begin -->\n"
END = "<!-- action-tables:end -->"


def main() -> None:
    (ROOT / "action.yml").write_text(render_action_yml(), encoding="utf-8")
    for doc in (ROOT / "docs" / "action.md", ROOT / "README.md"):
        text = doc.read_text(encoding="utf-8")
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        doc.write_text(head + BEGIN + markdown_tables() + END + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
