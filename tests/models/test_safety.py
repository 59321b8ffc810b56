"""Loading is safe: an unexpected type in a skops file, a damaged or incomplete model
directory, or a model trained on another schema version each give a clear error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import skops.io as sio
from sklearn.tree import DecisionTreeClassifier

from standoff.core.errors import StandoffError
from standoff.models.api import load_model
from standoff.models.safe import dump_safe, load_safe
from standoff.models.store import file_hashes


@pytest.fixture
def sklearn_copy(trained, tmp_path: Path) -> Path:
    """A private copy of a trained sklearn model (tests here damage it)."""
    src = trained.path("actors", "sklearn")
    dst = tmp_path / "models" / "actors" / "victim"
    shutil.copytree(src, dst)
    return dst


def rewrite_checksums(path: Path) -> None:
    """Make the manifest agree with the files, so the check under test is the next one."""
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = file_hashes(path)
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_crafted_skops_file_with_unexpected_type_is_refused(sklearn_copy: Path) -> None:
    crafted = DecisionTreeClassifier(random_state=0).fit([[0], [1]], [0, 1])
    sio.dump({"vectorizer": crafted, "models": {}}, sklearn_copy / "detector" / "tagger.skops")
    rewrite_checksums(sklearn_copy)
    with pytest.raises(StandoffError) as err:
        load_model("actors/victim", sklearn_copy.parents[1])
    message = str(err.value)
    assert "allow-list" in message and "DecisionTreeClassifier" in message
    assert "tagger.skops" in message


def test_load_safe_refuses_before_skops_builds_anything(tmp_path: Path) -> None:
    path = tmp_path / "x.skops"
    sio.dump([DecisionTreeClassifier()], path)
    with pytest.raises(StandoffError, match="outside the allow-list"):
        load_safe(path)
    with pytest.raises(StandoffError, match="would store types outside"):
        dump_safe([DecisionTreeClassifier()], tmp_path / "y.skops")
    assert not (tmp_path / "y.skops").exists()  # nothing half-written is left behind


def test_damaged_files_are_caught_by_checksum(sklearn_copy: Path) -> None:
    with (sklearn_copy / "detector" / "tagger.skops").open("ab") as handle:
        handle.write(b"junk")
    with pytest.raises(StandoffError, match="checksum"):
        load_model("actors/victim", sklearn_copy.parents[1])


def test_not_a_zip_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.skops").write_bytes(b"not a zip at all")
    with pytest.raises(StandoffError, match="not a readable skops file"):
        load_safe(tmp_path / "bad.skops")


def test_missing_directory_manifest_and_file(sklearn_copy: Path) -> None:
    models = sklearn_copy.parents[1]
    with pytest.raises(StandoffError, match="no model 'actors/nothing'"):
        load_model("actors/nothing", models)
    with pytest.raises(StandoffError, match="TASK/VERSION"):
        load_model("actors", models)
    (sklearn_copy / "normalizer.json").unlink()
    with pytest.raises(StandoffError, match="missing"):
        load_model("actors/victim", models)
    (sklearn_copy / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(StandoffError, match="not valid JSON"):
        load_model("actors/victim", models)
    (sklearn_copy / "manifest.json").unlink()
    with pytest.raises(StandoffError, match="no manifest"):
        load_model("actors/victim", models)


def test_other_schema_version_is_refused(sklearn_copy: Path, tmp_path: Path) -> None:
    manifest = json.loads((sklearn_copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["schema_version"] = 99
    (sklearn_copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StandoffError, match="schema version 99") as err:
        load_model("actors/victim", sklearn_copy.parents[1])
    assert "retrain" in str(err.value)
