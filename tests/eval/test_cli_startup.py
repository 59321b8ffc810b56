"""`standoff eval ...` from a shell builds only the eval sub-app: no Label Studio or spaCy."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from standoff.cli.main import build_app

PROBE = ("import sys; sys.argv = {argv!r}; from standoff.cli.main import app; "
         "print(sorted(m for m in ('label_studio_sdk', 'spacy', 'standoff.cli.annotate') "
         "if m in sys.modules))")


def _loaded(argv: list[str]) -> str:
    out = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def test_eval_command_imports_only_eval() -> None:
    assert _loaded(["/venv/bin/standoff", "eval", "run"]) == "[]"


def test_help_and_other_callers_get_every_command() -> None:
    assert "label_studio_sdk" in _loaded(["/venv/bin/standoff", "--help"])
    assert "label_studio_sdk" in _loaded(["pytest", "eval", "run"])
    result = CliRunner().invoke(build_app(), ["--help"])
    for command in ("corpus", "annotate", "models", "eval", "train", "predict", "train-curve"):
        assert command in result.output
