"""Fixtures: a real Label Studio server, and throwaway projects with tricky documents.

The server is real: label-studio 1.23.2 from .venv-labelstudio (which `make test`
installs), started on a free loopback port from a data dir migrated once per run, and
stopped by its pid at the end of the session.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from standoff.annotation.goldfile import dump_gold
from standoff.annotation.labelstudio.client import Connection, LabelStudioClient
from standoff.annotation.labelstudio.local import server_venv
from standoff.annotation.labelstudio.server import (
    Credentials,
    ServerProcess,
    copy_data_dir,
    ensure_server_env,
    init_data_dir,
    start_server,
    stop_server,
)
from standoff.cli.main import app
from standoff.core.io import iter_documents, write_jsonl_atomic
from standoff.core.model import Document

from .documents import tricky_documents

REPO = Path(__file__).resolve().parents[2]


@dataclass
class LiveServer:
    process: ServerProcess
    creds: Credentials
    template: Path

    @property
    def url(self) -> str:
        return self.process.url

    def client(self) -> LabelStudioClient:
        return LabelStudioClient(Connection(self.url, self.creds.token, "test"))

    def env(self, root: Path) -> dict[str, str]:
        return {"STANDOFF_ROOT": str(root), "LABEL_STUDIO_URL": self.url,
                "LABEL_STUDIO_API_KEY": self.creds.token}


@pytest.fixture(scope="session")
def ls_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Credentials, Path]:
    """(pre-migrated data dir, its admin credentials, the label-studio executable)."""
    base = tmp_path_factory.mktemp("ls-template")
    exe = ensure_server_env(server_venv(REPO), base / "install.log")
    creds = Credentials.generate()
    init_data_dir(exe, base / "data", creds, base / "init.log")
    return base / "data", creds, exe


@pytest.fixture(scope="session")
def ls_server(ls_template, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    template, creds, exe = ls_template
    data = tmp_path_factory.mktemp("ls-run") / "data"
    copy_data_dir(template, data)
    server = start_server(exe, data, creds, log=data.parent / "server.log")
    try:
        yield LiveServer(server, creds, template)
    finally:
        stop_server(server.pid)


def make_project(root: Path, docs: list[Document]) -> Path:
    """A project root: the repo's schema and actors, seeds, gold files and a corpus of docs."""
    (root / "annotation" / "gold").mkdir(parents=True)
    (root / "seeds").mkdir()
    for name in ("schema.yaml", "actors.yaml"):
        shutil.copy(REPO / "annotation" / name, root / "annotation" / name)
    if (REPO / "annotation" / "actors.d").is_dir():
        shutil.copytree(REPO / "annotation" / "actors.d", root / "annotation" / "actors.d")
    for doc in docs:
        (root / "seeds" / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8", newline="")
        gold = dump_gold(doc.annotation, doc.text, doc.id)
        (root / "annotation" / "gold" / f"{doc.id}.yaml").write_text(gold, encoding="utf-8")
    write_jsonl_atomic(root / "corpus" / "documents.jsonl", docs)
    return root


def repo_corpus() -> list[Document]:
    path = REPO / "corpus" / "documents.jsonl"
    return list(iter_documents(path)) if path.exists() else []


@pytest.fixture
def tricky() -> list[Document]:
    return tricky_documents()


@pytest.fixture
def small_project(tmp_path: Path, tricky: list[Document]) -> Path:
    return make_project(tmp_path / "proj", tricky)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, env: dict[str, str], *args: str):
    return runner.invoke(app, ["annotate", *args], env=env, catch_exceptions=False)


def tree_state(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes: to prove that nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}
