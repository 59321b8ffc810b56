"""The fast prediction paths of the rules and scikit-learn families give exactly what the
straightforward code gives: lexicon matching, status cue windows, tokens, the feature
matrix, BIO decoding, and whole predictions whatever the batch size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from standoff.core.actors import ActorRegistry
from standoff.core.model import Document
from standoff.core.records import input_view
from standoff.corpus.store import Corpus
from standoff.models.families.base import Resources
from standoff.models.families.features import TokenFeaturizer, pair_features
from standoff.models.families.sklearn_family import (
    decode_bio,
    decode_choices,
    vectorize,
    vectorize_names,
)
from standoff.models.lexicons import (
    PhraseLexicon,
    alias_words,
    has_cue,
    load_lexicons,
    parse_phrase,
    status_cue_ends,
)
from standoff.models.normalize import gazetteer
from standoff.models.text import (
    Mention,
    Sentence,
    Token,
    sentences_of,
    split_with_tokens,
    tokenize,
    tokenizer,
)

REPO = Path(__file__).resolve().parents[2]


def reference_find(lexicon: PhraseLexicon, tokens: list[Token]) -> list[tuple[int, int, str]]:
    """The plain algorithm: at each token try every phrase, longest first, in file order."""
    entries = list(lexicon.entries())
    out, i = [], 0
    while i < len(tokens):
        for words, label in entries:
            end = i + len(words)
            if end <= len(tokens) and all(w.matches(t) for w, t in zip(words, tokens[i:end],
                                                                        strict=True)):
                out.append((i, end, label))
                i = end
                break
        else:
            i += 1
    return out


@pytest.fixture(scope="module")
def sentences(corpus_dir: Path) -> list[Sentence]:
    docs = list(Corpus.open(corpus_dir).documents())
    docs += list(Corpus.open(REPO / "corpus").documents())[:20]
    return [s for d in docs for s in sentences_of(d)]


@pytest.fixture(scope="module")
def resources() -> Resources:
    return Resources(ActorRegistry.load(REPO / "annotation" / "actors.yaml"), load_lexicons())


def all_lexicons(res: Resources) -> dict[str, PhraseLexicon]:
    lex = res.lexicons
    return {"gazetteer": gazetteer(res.registry), "triggers": lex.triggers,
            "blame": lex.blame, "stance": lex.stance,
            **{f"status:{k}": v for k, v in lex.status.items()}}


def test_lexicon_matches_equal_the_plain_algorithm(sentences, resources) -> None:
    found = 0
    for name, lexicon in all_lexicons(resources).items():
        for sent in sentences:
            fast = [(m.start, m.end, m.label) for m in lexicon.find(sent.tokens)]
            assert fast == reference_find(lexicon, sent.tokens), (name, sent.text)
            found += len(fast)
    assert found > 100


def test_lexicon_order_prefix_and_case_rules() -> None:
    lexicon = PhraseLexicon([(parse_phrase("attack*"), "ATTACK"),
                             (parse_phrase("attack on"), "ON"),
                             (alias_words("US"), "USA"),
                             (parse_phrase("us forces"), "FORCES")])
    tokens = tokenize("Attackers hit us. The US said US forces' attack on us forces")
    got = [(m.start, m.end, m.label) for m in lexicon.find(tokens)]
    assert got == reference_find(lexicon, tokens)
    labels = [label for _, _, label in got]
    assert labels == ["ATTACK", "USA", "FORCES", "ON", "FORCES"]
    assert lexicon.labels_at(tokens, 10) == [(12, "ON"), (11, "ATTACK")]


def test_status_cue_windows_equal_find_on_the_window(sentences, resources) -> None:
    lex = resources.lexicons
    hits = 0
    for sent in sentences[:150]:
        ends = status_cue_ends(sent.tokens, lex)
        n = len(sent.tokens)
        for start in range(n + 1):
            for end in range(start, min(n, start + 8) + 1):
                for status in lex.status_order:
                    plain = bool(lex.status[status].find(sent.tokens[start:end]))
                    assert has_cue(ends[status], start, end) == plain
                    hits += plain
    assert hits > 0


def test_tokenize_equals_spacy_tokens() -> None:
    text = "  Pakistan's army\u00a0said: \"We struck\tback\"  (at 3am).\n\nU.S. officials…  "
    plain = [Token(5 + t.idx, 5 + t.idx + len(t.text), t.text)
             for t in tokenizer()(text) if not t.is_space]
    assert tokenize(text, 5) == plain
    assert tokenize("") == []


def test_split_with_tokens_equals_split_then_tokenize() -> None:
    from standoff.corpus.sentences import split_sentences

    texts = [d.text for d in Corpus.open(REPO / "corpus").documents()][:20]
    texts += [t.replace(". ", ".").replace(", ", ",") for t in texts]  # boundaries in chunks
    texts += ["end.Next one!And(another)?\"Quoted.\"x", "a\u00a0b. C\u2028d. e", "", " \n "]
    inside = 0
    for text in texts:
        offsets, count, tokens = split_with_tokens(text)
        assert (offsets, count) == split_sentences(text)
        for (s, e), found in zip(offsets, tokens, strict=True):
            assert found == tokenize(text[s:e], s), text[s:e]
            inside += not (s == 0 or text[s - 1].isspace())
    assert inside > 0, "some sentence should start inside a whitespace chunk (the fallback)"


def test_token_span_equals_overlap_scan(sentences) -> None:
    for sent in sentences[:40]:
        for start in range(sent.start - 1, sent.end + 2):
            for end in range(start, min(sent.end + 2, start + 30)):
                idx = [i for i, t in enumerate(sent.tokens) if t.start < end and t.end > start]
                assert sent.token_span(start, end) == ((idx[0], idx[-1] + 1) if idx else None)


def test_feature_matrices_equal_dictvectorizer(sentences, resources, trained) -> None:
    model = trained.model("events", "sklearn")
    tagger = model.predictor.pipeline.detector
    featurizer = TokenFeaturizer(resources, 2)
    rows = [f for s in sentences[:200] for f in featurizer.sentence(s)]
    names = [n for s in sentences[:200] for n in featurizer.sentence_names(s)]
    expected = tagger.vectorizer.transform(rows)
    for fast in (vectorize(tagger.vectorizer, rows), vectorize_names(tagger.vectorizer, names)):
        assert fast.shape == expected.shape and fast.nnz == expected.nnz > 0
        assert np.array_equal(fast.indptr, expected.indptr)
        assert np.array_equal(fast.indices, expected.indices)
        assert np.array_equal(fast.data, expected.data)


def reference_decode(sent: Sentence, classes: list[str], probs: np.ndarray,
                     cut: float) -> list[tuple[str, int, int, float]]:
    """Token by token, as first written."""
    o = classes.index("O")
    out, current = [], None
    for i in range(len(probs)):
        others = [(-1.0 if k == o else p) for k, p in enumerate(probs[i])]
        k = int(np.argmax(others))
        tag, p = ("O", probs[i, o]) if probs[i, o] >= cut else (classes[k], probs[i, k])
        if current and tag == f"I-{current[0]}":
            current[2].append(float(p))
            continue
        if current:
            out.append(current)
            current = None
        if tag != "O":
            current = (tag[2:], i, [float(p)])
    if current:
        out.append(current)
    return [(lab, sent.tokens[a].start, sent.tokens[a + len(ps) - 1].end,
             round(sum(ps) / len(ps), 6)) for lab, a, ps in out]


def test_bio_decoding_equals_token_by_token() -> None:
    rng = np.random.default_rng(3)
    classes = ["B-X", "B-Y", "I-X", "I-Y", "O"]
    sent = Sentence("d", 0, 0, 200, "x" * 200, [Token(2 * i, 2 * i + 1, "x") for i in range(60)])
    for cut in (0.3, 0.5, 0.7):
        probs = rng.dirichlet(np.ones(len(classes)) * 0.5, size=60)
        got = [(m.label, m.start, m.end, m.score) for m in decode_bio(sent, "X", classes,
                                                                      probs, cut)]
        assert got == reference_decode(sent, classes, probs, cut)
        assert got, "random probabilities should give some spans"
    assert decode_choices(sent, "X", classes, [], []) == []


def test_pair_features_cache_per_sentence_is_per_sentence(sentences, resources) -> None:
    from standoff.models.components import PairExample

    sent = next(s for s in sentences if len(s.tokens) > 12)
    heads = [Mention("EVENT", "ASSAULT", t.start, t.end) for t in sent.tokens[::4]]
    other = Sentence(sent.doc_id, 99, 0, 9, "He denied", tokenize("He denied"))
    pairs = [PairExample(sent, h, None) for h in heads]
    pairs.append(PairExample(other, Mention("EVENT", "ASSAULT", 3, 9), None))
    batch = pair_features(pairs, resources)
    assert batch == [pair_features([p], resources)[0] for p in pairs]


def strip(doc: Document) -> Document:
    """The document as a raw archive gives it: no sentences, no annotation."""
    return Document.model_validate({"id": doc.id, "text": doc.text, "meta": doc.meta})


@pytest.mark.parametrize("family", ["rules", "sklearn"])
@pytest.mark.parametrize("task", ["events", "actors", "blame", "stance"])
def test_predictions_do_not_depend_on_batch_size(task: str, family: str, trained,
                                                 corpus_dir: Path) -> None:
    model = trained.model(task, family)
    docs = list(Corpus.open(corpus_dir).documents())
    inputs = [input_view(d) for d in docs] + [strip(d) for d in docs[:4]]
    one_by_one = [model.predictor.predict_batch([d], False, model.ref)[0] for d in inputs]
    assert sum(len(d.annotation.spans) for d in one_by_one) > 0
    for size in (3, 64):
        assert list(model.predict(inputs, batch_size=size)) == one_by_one
    given = [input_view(d, model.spec.given_layers) for d in docs]
    alone = [model.predictor.predict_batch([d], True, model.ref)[0] for d in given]
    assert list(model.predict(given, batch_size=5, gold_mentions=True)) == alone
