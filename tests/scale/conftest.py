"""Fixtures for the scale tests: the real corpus built into a temp folder, two small real
models trained on it once per session (rules: blame; scikit-learn: actors, on a quarter
of the train split), and archives cut from the corpus documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from standoff.models.api import train_model

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project: the repo's annotation/, a corpus built with `standoff corpus build`,
    and models/ with blame/rules-1 and actors/sklearn-1."""
    from standoff.cli.main import app

    root = tmp_path_factory.mktemp("scale") / "proj"
    shutil.copytree(REPO / "annotation", root / "annotation")
    result = CliRunner().invoke(app, ["corpus", "build", "--out", str(root / "corpus"),
                                      "--no-hf"])
    assert result.exit_code == 0, result.output
    train_model("blame", "rules", root / "corpus", root / "models")
    train_model("actors", "sklearn", root / "corpus", root / "models", fraction=0.25)
    return root


@pytest.fixture
def project(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STANDOFF_ROOT", str(root))
    return root


def corpus_records(root: Path, n: int) -> list[dict]:
    """The first `n` corpus documents as bare {id, text, meta} records (an archive)."""
    lines = (root / "corpus" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines[:n]]
    return [{"id": r["id"], "text": r["text"], "meta": r.get("meta", {})} for r in records]


def write_jsonl(path: Path, records: list[dict], bad_line: int | None = None) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    if bad_line is not None:
        lines.insert(bad_line - 1, '{"id": "broken", "text": ')
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def cli():
    from standoff.cli.main import app

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args])

    return invoke
