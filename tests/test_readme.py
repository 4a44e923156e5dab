"""The README's commands are the ones that exist and the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from summariser.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands_in_readme() -> set[str]:
    return set(re.findall(r"`summariser ([a-z]+)", README))


def test_every_command_the_readme_names_exists() -> None:
    group = get_command(app)
    known = set(group.commands)  # type: ignore[attr-defined]
    named = commands_in_readme()
    assert {"run", "verify", "inspect", "memo", "eval", "record", "schema", "models"} <= named
    assert named <= known, named - known


def test_ci_runs_the_readmes_test_command() -> None:
    blocks = re.findall(r"```bash\n(.+?)\n```", README, flags=re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for step in test_command.split(" && "):
        assert step in ci, step


def test_the_main_command_installs_the_model_and_runs_the_samples() -> None:
    blocks = re.findall(r"```bash\n(.+?)\n```", README, flags=re.S)
    main = blocks[0]
    assert "summariser models install" in main and "summariser run examples/reports" in main
    assert len(list((ROOT / "examples" / "reports").glob("*.txt"))) == 5
