"""`standoff corpus import`: text, JSONL and the real PLOVER dev records."""

from __future__ import annotations

import json
from pathlib import Path

from standoff.core.io import read_documents
from standoff.corpus.plover import marked_segments
from tests.corpus.conftest import SHARED

PLOVER_DEV = SHARED / "external" / "plover-gsr" / "dev.json"


def test_plover_dev_imports_all_records_and_validates(tmp_path: Path, project: Path, cli) -> None:
    out = tmp_path / "plover"
    result = cli("corpus", "import", str(PLOVER_DEV), "--format", "plover", "--out", str(out),
                 "--no-hf")
    assert result.exit_code == 0, result.output
    assert cli("corpus", "validate", str(out)).exit_code == 0
    stats = json.loads(cli("corpus", "stats", str(out), "--json").output)
    records = json.loads(PLOVER_DEV.read_text(encoding="utf-8"))
    assert stats["documents"] == len(records) == 164
    assert sum(stats["events"].values()) == 164  # one trigger per record, none lost
    old_accuse = sum(r["event"] in ("ACCUSE", "DISAPPROVE") for r in records)
    assert stats["blame"]["accuse"] > 0 and stats["events"]["ACCUSE"] >= old_accuse
    docs = {d.id: d for d in read_documents(out / "documents.jsonl")}
    assert not [d.id for d in docs.values() if "unplaced" in d.meta["plover"]]
    fight = next(r for r in records if r["event"] == "FIGHT")
    [event] = [s for s in docs[fight["id"]].annotation.spans if s.label == "EVENT"]
    assert event.attrs["type"] == "ASSAULT"


def test_marked_segments_unwraps_nested_marks() -> None:
    markup = "A (SRC: (EVT: car bomb)) hit (TAR: the (LOC: city) hall)."
    assert marked_segments(markup, "EVT") == ["car bomb"]
    assert marked_segments(markup, "TAR") == ["the city hall"]


def test_text_and_jsonl_import(tmp_path: Path, project: Path, cli) -> None:
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "one.txt").write_text("Rebels shelled the town.\nThe army withdrew.", "utf-8")
    (folder / "two.txt").write_text("Talks resumed in Doha.", "utf-8")
    result = cli("corpus", "import", str(folder), "--format", "text", "--out",
                 str(tmp_path / "t"), "--no-hf")
    assert result.exit_code == 0, result.output
    docs = read_documents(tmp_path / "t" / "documents.jsonl")
    assert [d.id for d in docs] == ["one", "two"] and len(docs[0].sentences) == 2
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x1", "text": "Kabul blamed Islamabad.",
                               "meta": {"outlet": "Wire"}}) + "\n", "utf-8")
    assert cli("corpus", "import", str(src), "--format", "jsonl", "--out",
               str(tmp_path / "j"), "--no-hf").exit_code == 0
    [doc] = read_documents(tmp_path / "j" / "documents.jsonl")
    assert doc.meta["outlet"] == "Wire" and doc.split in ("train", "dev", "test")
