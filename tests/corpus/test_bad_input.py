"""Bad input: a clear error naming the file and record, exit 1, nothing built overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.corpus.conftest import SEED_ID


def _gold(project: Path) -> Path:
    return project / "annotation" / "gold" / f"{SEED_ID}.yaml"


def _corrupt_corpus(project: Path, cli, edit) -> tuple[int, str]:
    assert cli("corpus", "build", "--no-hf").exit_code == 0
    path = project / "corpus" / "documents.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    edit(lines)
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    result = cli("corpus", "validate")
    return result.exit_code, result.output


def test_unknown_span_label(project: Path, cli) -> None:
    def edit(lines):
        lines[0]["annotation"]["spans"][0]["label"] = "WEAPON"
    code, out = _corrupt_corpus(project, cli, edit)
    assert code == 1 and "unknown span label 'WEAPON'" in out and SEED_ID in out


def test_unknown_event_type(project: Path, cli) -> None:
    def edit(lines):
        ev = next(s for s in lines[0]["annotation"]["spans"] if s["label"] == "EVENT")
        ev["attrs"]["type"] = "BOMBARD"
    code, out = _corrupt_corpus(project, cli, edit)
    assert code == 1 and "'BOMBARD' is not allowed" in out


def test_offset_mismatch(project: Path, cli) -> None:
    def edit(lines):
        lines[0]["annotation"]["spans"][0]["start"] += 1
    code, out = _corrupt_corpus(project, cli, edit)
    assert code == 1 and "offset mismatch" in out and "documents.jsonl:1" in out


def test_relation_to_missing_span(project: Path, cli) -> None:
    def edit(lines):
        lines[0]["annotation"]["relations"][0]["tail"] = "ghost"
    code, out = _corrupt_corpus(project, cli, edit)
    assert code == 1 and "missing span 'ghost'" in out


def test_duplicate_document_id(project: Path, cli) -> None:
    code, out = _corrupt_corpus(project, cli, lambda lines: lines.append(dict(lines[0])))
    assert code == 1 and "duplicate document id" in out and "documents.jsonl:2" in out


def test_malformed_json_line(project: Path, cli) -> None:
    cli("corpus", "build", "--no-hf")
    path = project / "corpus" / "documents.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    result = cli("corpus", "validate")
    assert result.exit_code == 1 and "documents.jsonl:2" in result.output
    assert "malformed JSON" in result.output


@pytest.mark.parametrize("breakage, expected", [
    (lambda p: _gold(p).write_text("actors: [unclosed", encoding="utf-8"), "malformed YAML"),
    (lambda p: (p / "seeds" / f"{SEED_ID}.txt").write_bytes(b"Caf\xe9 talks"), "not valid UTF-8"),
    (lambda p: (p / "seeds" / f"{SEED_ID}.txt").write_text("  \n", encoding="utf-8"),
     "empty text"),
    (lambda p: _gold(p).write_text(
        _gold(p).read_text(encoding="utf-8").replace("{quote: Skirmishes,",
                                                     "{quote: Skirmish,"), encoding="utf-8"),
     "quote 'Skirmish' not found"),
    (lambda p: _gold(p).write_text(
        _gold(p).read_text(encoding="utf-8").replace("type: REJECT, mode: meet",
                                                     "type: REJECTED, mode: meet", 1),
        encoding="utf-8"), "'REJECTED' is not allowed"),
    (lambda p: (p / "annotation" / "gold" / "nosuchdoc.yaml").write_text(
        "document: nosuchdoc\n", encoding="utf-8"), "not in seeds/"),
])
def test_bad_sources_fail_the_build_and_keep_the_corpus(project: Path, cli, breakage,
                                                        expected: str) -> None:
    assert cli("corpus", "build", "--no-hf").exit_code == 0
    before = (project / "corpus" / "documents.jsonl").read_bytes()
    breakage(project)
    result = cli("corpus", "build", "--no-hf")
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert (project / "corpus" / "documents.jsonl").read_bytes() == before


def test_import_reports_bad_jsonl_line(tmp_path: Path, project: Path, cli) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Troops shelled the town."}\n{"id": "b"}\n',
                   encoding="utf-8")
    result = cli("corpus", "import", str(src), "--format", "jsonl", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1 and "in.jsonl:2" in result.output and "text" in result.output
    assert not (tmp_path / "o" / "documents.jsonl").exists()
