"""A new family plugs in through the registry; actor normalization keeps unknown parties."""

from __future__ import annotations

import json
from pathlib import Path

from standoff.core.actors import ActorRegistry
from standoff.core.io import write_text_atomic
from standoff.core.model import AnnotationSet, Document, Span
from standoff.core.records import input_view
from standoff.corpus.store import Corpus
from standoff.models.api import load_model, train_model
from standoff.models.normalize import Normalizer, new_code
from standoff.models.output import build_output
from standoff.models.registry import FAMILIES, Family, register_family
from standoff.models.text import Mention, ensure_sentences

REPO = Path(__file__).resolve().parents[2]


class EchoPredictor:
    """Marks the first sentence of every document as an ACTOR: enough to test plumbing."""

    def __init__(self, label: str) -> None:
        self.label = label

    def predict_batch(self, docs: list[Document], gold_mentions: bool,
                      model_version: str) -> list[Document]:
        out = []
        for doc in docs:
            doc = ensure_sentences(doc)
            s, e = doc.sentences[0]
            mention = Mention("ACTOR", "ACTOR", s, e, 0.5, attrs=(("code", self.label),))
            out.append(build_output(doc, [mention], [], model_version))
        return out

    def save(self, path: Path) -> None:
        write_text_atomic(path / "echo.json", json.dumps({"label": self.label}))


def test_a_registered_family_trains_saves_and_loads(corpus_dir: Path, tmp_path: Path) -> None:
    @register_family("echo-test")
    class EchoFamily(Family):
        tasks = ("actors",)

        def train(self, task, data, config, seed):
            return EchoPredictor("PAK-GOV"), {"documents": len(data.train)}

        def load(self, task, path, config):
            return EchoPredictor(json.loads((path / "echo.json").read_text())["label"])

    try:
        path = train_model("actors", "echo-test", corpus_dir, tmp_path)
        model = load_model("actors/echo-test", tmp_path)  # the family alias
        assert model.family == "echo-test" and path.name == "echo-test-1"
        doc = next(Corpus.open(corpus_dir).documents())
        pred = next(model.predict([input_view(doc)]))
        assert pred.annotation.spans[0].attrs["code"] == "PAK-GOV"
        assert pred.annotation.model_version == "actors/echo-test-1"
    finally:
        FAMILIES.pop("echo-test", None)


def test_unknown_actors_get_candidate_codes_and_are_listed(trained) -> None:
    registry = ActorRegistry.load(REPO / "annotation" / "actors.yaml")
    norm = Normalizer(registry, {})
    assert norm.resolve("Islamabad", []).code == "PAK-GOV"
    assert norm.resolve("the Pakistani army", []).code == "PAK-MIL"  # alias after 'the'
    assert norm.resolve("Pakistani border posts", []).code == "PAK-MIL"  # branch words
    assert norm.resolve("he", ["PAK-GOV", "PAK-ASIF"]).code == "PAK-ASIF"
    assert norm.resolve("he", []) is None  # nothing to refer to
    unknown = norm.resolve("Zorvath elders’ union", [])
    assert unknown.how == "new" and unknown.code == "NEW-ZORVATH-ELDERS-UNION"
    assert new_code("Ñandú rebels") == "NEW-NANDU-REBELS"

    # end to end: a mention the registry lacks keeps a candidate code and is listed
    model = trained.model("actors", "rules")
    text = "Islamabad met the Zorvath elders. The Zorvath elders accused Kabul."
    start = text.index("Zorvath elders")
    given = Span(id="z1", label="ACTOR", start=start, end=start + 14, text="Zorvath elders",
                 attrs={"code": "ZZZ"})
    doc = Document(id="new-actor", text=text, annotation=AnnotationSet(spans=[given]))
    pred = next(model.predict([doc], gold_mentions=True))
    spans = pred.annotation.span_by_id()
    assert spans["z1"].attrs["code"] == "NEW-ZORVATH-ELDERS"
    assert pred.meta["candidate_actors"] == [{"code": "NEW-ZORVATH-ELDERS",
                                             "mention": "Zorvath elders"}]
    pred = next(model.predict([Document(id="plain", text=text)]))
    assert [s.attrs["code"] for s in pred.annotation.spans] == ["PAK-GOV", "AFG-TAL"]
    assert "candidate_actors" not in pred.meta
