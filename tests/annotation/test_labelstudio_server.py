"""Against a real Label Studio: round trip, idempotent push, pre-annotations, pull, failures."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from standoff.annotation.goldfile import canonical, load_gold_file
from standoff.annotation.labelstudio.convert import annotation_to_results
from standoff.annotation.labelstudio.server import free_port
from standoff.core.io import write_jsonl_atomic
from standoff.core.model import Document
from standoff.core.schema import Schema

from . import cases
from .conftest import REPO, LiveServer, invoke, make_project, repo_corpus, tree_state

pytestmark = pytest.mark.slow
_names = (f"test project {i}" for i in itertools.count())


def project_name() -> str:
    """Each test gets its own Label Studio project on the shared server."""
    return next(_names)


def tasks_of(server: LiveServer, title: str) -> list:
    client = server.client()
    return list(client.tasks(client.get_project(title).id))


def test_whole_gold_corpus_round_trips_exactly(ls_server: LiveServer, tmp_path: Path, runner,
                                               tricky: list[Document]) -> None:
    docs = repo_corpus() + tricky
    root = make_project(tmp_path / "proj", docs)
    env, name = ls_server.env(root), project_name()
    pushed = invoke(runner, env, "push", "--project", name, "--gold")
    assert pushed.exit_code == 0, pushed.output
    assert f"{len(docs)} created" in pushed.output
    pulled = invoke(runner, env, "pull", "--project", name)
    assert pulled.exit_code == 0, pulled.output
    for doc in docs:
        path = root / "annotation" / "annotators" / "admin" / f"{doc.id}.yaml"
        back = load_gold_file(path, doc.text, doc.id)
        assert canonical(back) == canonical(doc.annotation), doc.id
    assert f"same as gold: {len(docs)}" in pulled.output
    # Stored as Label Studio 1.23's interface counts: code points, after 4 astral chars.
    emoji = next(t for t in tasks_of(ls_server, name) if t.data["doc_id"] == "zz_emoji")
    region = next(r for r in emoji.annotations[0]["result"] if r.get("id") == "ev_att")
    start, end = region["value"]["start"], region["value"]["end"]
    assert emoji.data["text"][start:end] == "attacks" == emoji.data["text"][39:46]


def test_push_is_idempotent_and_keeps_later_annotations(ls_server: LiveServer, tmp_path: Path,
                                                        runner, tricky) -> None:
    root = make_project(tmp_path / "proj", tricky)
    env, name = ls_server.env(root), project_name()
    assert invoke(runner, env, "push", "--project", name).exit_code == 0
    client = ls_server.client()
    first = tasks_of(ls_server, name)
    client.create_annotation(first[0].id, [])  # an annotator's work, made after the push
    again = invoke(runner, env, "push", "--project", name, "--gold")
    assert again.exit_code == 0 and "0 created, 3 already there" in again.output
    assert "config unchanged" in again.output
    tasks = tasks_of(ls_server, name)
    assert sorted(t.id for t in tasks) == sorted(t.id for t in first)
    assert all(len(t.annotations) == 1 for t in tasks)  # the later one kept; two gold added
    # A changed text is reported, not silently replaced.
    changed = tricky[2].model_copy(update={"text": tricky[2].text + " More."})
    write_jsonl_atomic(root / "corpus" / "documents.jsonl", [*tricky[:2], changed])
    third = invoke(runner, env, "push", "--project", name, "--documents", "zz_sp*")
    assert third.exit_code == 0 and "text changed" in third.output and "zz_spaces" in third.output
    spaces = next(t for t in tasks_of(ls_server, name) if t.data["doc_id"] == "zz_spaces")
    assert spaces.data["text"] == tricky[2].text


def test_predictions_become_pre_annotations(ls_server: LiveServer, tmp_path: Path, runner,
                                            tricky) -> None:
    root = make_project(tmp_path / "proj", tricky)
    preds = []
    for k, doc in enumerate(tricky):
        ann = doc.annotation.model_copy(deep=True, update={
            "origin": "predicted", "model_version": "events/test-v1", "annotator": None})
        for i, span in enumerate(ann.spans):
            span.score = round(0.9 - 0.2 * k - 0.01 * i, 4)
        preds.append(doc.model_copy(update={"annotation": ann}))
    write_jsonl_atomic(root / "preds.jsonl", preds)
    env, name = ls_server.env(root), project_name()
    result = invoke(runner, env, "push", "--project", name, "--predictions",
                    str(root / "preds.jsonl"), "--order", "uncertainty")
    assert result.exit_code == 0, result.output
    assert "predictions events/test-v1: 3 added" in result.output
    schema = Schema.load(REPO / "annotation" / "schema.yaml")
    for task in tasks_of(ls_server, name):
        (pred,) = task.predictions
        doc = next(p for p in preds if p.id == task.data["doc_id"])
        assert pred.model_version == "events/test-v1"
        assert pred.score == pytest.approx(min(s.score for s in doc.annotation.spans))
        assert pred.result == annotation_to_results(doc.annotation, doc.text, schema)
        assert task.annotations == []  # pre-annotations only, nothing submitted
    project = ls_server.client().get_project(name)
    assert project.sampling == "Uncertainty sampling"
    assert project.model_version == "events/test-v1"
    again = invoke(runner, env, "push", "--project", name, "--predictions",
                   str(root / "preds.jsonl"))
    assert "0 added, 0 updated, 3 unchanged" in again.output
    assert all(len(t.predictions) == 1 for t in tasks_of(ls_server, name))


def test_pull_writes_one_folder_per_annotator(ls_server: LiveServer, tmp_path: Path,
                                              runner) -> None:
    doc = cases.document()
    gold_doc = doc.model_copy(update={"annotation": cases.annotation_a()})
    root = make_project(tmp_path / "proj", [gold_doc])
    env, name = ls_server.env(root), project_name()
    assert invoke(runner, env, "push", "--project", name, "--gold").exit_code == 0
    client = ls_server.client()
    users = {u.email: u.id for u in client.sdk.users.list()}
    second = users.get("second@standoff.test") or client.sdk.users.create(
        email="second@standoff.test", username="second").id
    schema = Schema.load(REPO / "annotation" / "schema.yaml")
    (task,) = tasks_of(ls_server, name)
    client.sdk.annotations.create(task.id, completed_by=second, result=annotation_to_results(
        cases.annotation_b(), doc.text, schema))
    gold_before = tree_state(root / "annotation" / "gold")
    result = invoke(runner, env, "pull", "--project", name)
    assert result.exit_code == 0, result.output
    assert "differ from gold" in result.output and f"second/{doc.id}" in result.output
    back = load_gold_file(root / "annotation" / "annotators" / "second" / f"{doc.id}.yaml",
                          doc.text, doc.id)
    assert canonical(back) == canonical(cases.annotation_b())
    assert tree_state(root / "annotation" / "gold") == gold_before
    agreement = invoke(runner, env, "agreement", "--project", name, "--json")
    assert agreement.exit_code == 0, agreement.output
    data = json.loads(agreement.output)
    assert set(data["annotators"]) == {"admin", "second"}
    assert data["spans"]["EVENT"]["overlap"] == pytest.approx(6 / 7, abs=1e-4)
    files = invoke(runner, env, "agreement", "gold", "second", "--json")
    assert json.loads(files.output)["spans"] == data["spans"]


def test_server_down_and_wrong_token(ls_server: LiveServer, tmp_path: Path, runner,
                                     tricky) -> None:
    root = make_project(tmp_path / "proj", tricky)
    before = tree_state(root / "annotation")
    down = {**ls_server.env(root), "LABEL_STUDIO_URL": f"http://127.0.0.1:{free_port()}"}
    result = invoke(runner, down, "push", "--project", "x")
    assert result.exit_code == 1 and "cannot reach Label Studio" in result.output
    wrong = {**ls_server.env(root), "LABEL_STUDIO_API_KEY": "f" * 40}
    for command in (["push", "--project", "x"], ["pull", "--project", "x"]):
        result = invoke(runner, wrong, *command)
        assert result.exit_code == 1 and "rejected the API token" in result.output
        assert "f" * 40 not in result.output and ls_server.creds.token not in result.output
    missing = invoke(runner, ls_server.env(root), "pull", "--project", "no such project")
    assert missing.exit_code == 1 and "no project named 'no such project'" in missing.output
    unset = invoke(runner, {"STANDOFF_ROOT": str(root), "LABEL_STUDIO_URL": "",
                            "LABEL_STUDIO_API_KEY": ""}, "pull", "--project", "x")
    assert unset.exit_code == 1 and "no Label Studio server configured" in unset.output
    assert tree_state(root / "annotation") == before


@pytest.mark.parametrize("damage, message", [
    ("label", "unknown label 'PERSON'"),
    ("offset", "broken offset"),
    ("code", "unknown actor code 'XX-NOPE'"),
])
def test_bad_pulled_results_change_nothing(ls_server: LiveServer, tmp_path: Path, runner,
                                           tricky, damage: str, message: str) -> None:
    root = make_project(tmp_path / "proj", tricky)
    env, name = ls_server.env(root), project_name()
    assert invoke(runner, env, "push", "--project", name, "--gold").exit_code == 0
    assert invoke(runner, env, "pull", "--project", name).exit_code == 0
    before = tree_state(root / "annotation")
    task = next(t for t in tasks_of(ls_server, name) if t.data["doc_id"] == "zz_emoji")
    result = [dict(r, value=dict(r["value"])) if "value" in r else r
              for r in task.annotations[0]["result"]]
    target = next(r for r in result if r.get("id") == "kabul" and r["from_name"] == "label")
    code = next(r for r in result if r.get("id") == "kabul" and r["from_name"] == "actor_code")
    if damage == "label":
        target["value"]["labels"] = ["PERSON"]
    elif damage == "offset":
        target["value"]["start"] -= 1  # one character off: no reading of it matches
        target["value"]["end"] -= 1
    else:
        code["value"]["text"] = ["XX-NOPE"]
    ls_server.client().sdk.annotations.update(task.annotations[0]["id"], result=result)
    pulled = invoke(runner, env, "pull", "--project", name)
    assert pulled.exit_code == 1
    assert message in pulled.output and f"task {task.id}" in pulled.output
    assert "zz_emoji/kabul" in pulled.output
    assert tree_state(root / "annotation") == before


def test_serve_and_stop_from_the_cli(ls_server: LiveServer, tmp_path: Path, runner) -> None:
    root = make_project(tmp_path / "proj", [])
    state = root / ".labelstudio"
    state.mkdir()
    ls_server.creds.save(state / "credentials.env", "http://127.0.0.1:1")
    from standoff.annotation.labelstudio.server import copy_data_dir

    copy_data_dir(ls_server.template, state / "data")  # pre-migrated: starts in seconds
    port = free_port()
    env = {"STANDOFF_ROOT": str(root), "LABEL_STUDIO_URL": "", "LABEL_STUDIO_API_KEY": ""}
    try:
        started = invoke(runner, env, "serve", "--port", str(port), "--detach")
        assert started.exit_code == 0, started.output
        assert f"http://127.0.0.1:{port}" in started.output
        assert "credentials.env" in started.output
        assert ls_server.creds.token not in started.output
        saved = (state / "credentials.env").read_text(encoding="utf-8")
        assert f"LABEL_STUDIO_URL=http://127.0.0.1:{port}" in saved
        assert (state / "credentials.env").stat().st_mode & 0o077 == 0
        # the saved settings are enough for the other commands
        assert invoke(runner, env, "push", "--project", "served").exit_code == 0
        busy = invoke(runner, env, "serve", "--port", str(port), "--detach",
                      "--data-dir", str(tmp_path / "other"))
        assert busy.exit_code == 1 and f"port {port} is busy" in busy.output
    finally:
        stopped = invoke(runner, env, "stop")
    assert stopped.exit_code == 0 and "stopped pid" in stopped.output
    assert not (state / "server.pid").exists()
