"""`--batch-size` reaches spaCy's nlp.pipe in the spaCy family, and the batch size changes
nothing in the predictions.

The pipe call is observed by wrapping the real `Language.pipe` (it still runs): the only
way to see the argument spaCy was given.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

from standoff.core.records import input_view
from standoff.corpus.store import Corpus


@pytest.fixture
def pipe_batches(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    seen: list[int | None] = []
    real = Language.pipe

    def recording_pipe(self, texts, *args, **kwargs):
        if {"spancat", "textcat"} & set(self.pipe_names):  # the model's, not a sentencizer
            seen.append(kwargs.get("batch_size"))
        return real(self, texts, *args, **kwargs)

    monkeypatch.setattr(Language, "pipe", recording_pipe)
    return seen


def test_cli_batch_size_reaches_nlp_pipe(project: Path, cli, trained, tmp_path: Path,
                                         pipe_batches: list[int | None]) -> None:
    path = trained.path("blame", "spacy")
    shutil.copytree(path, project / "models" / "blame" / path.name)
    outputs = {}
    for size in (3, 64):
        pipe_batches.clear()
        out = tmp_path / f"preds-{size}.jsonl"
        result = cli("predict", f"blame/{path.name}", "dev", "--batch-size", str(size),
                     "--out", str(out))
        assert result.exit_code == 0, result.output
        assert pipe_batches and set(pipe_batches) == {size}  # spans and relations pipes
        outputs[size] = [json.loads(line) for line in out.read_text().splitlines()]
    assert outputs[3] == outputs[64]
    assert any(d["annotation"]["spans"] for d in outputs[3])


def test_predictions_do_not_depend_on_the_batch_size(trained, corpus_dir: Path) -> None:
    model = trained.model("events", "spacy")  # events: spans, then the status textcat
    docs = [input_view(d) for d in Corpus.open(corpus_dir).documents()]
    one = [d.model_dump() for d in model.predict(docs, batch_size=1)]
    assert any(d["annotation"]["spans"] for d in one)
    for size in (4, 1000):
        assert [d.model_dump() for d in model.predict(docs, batch_size=size)] == one
