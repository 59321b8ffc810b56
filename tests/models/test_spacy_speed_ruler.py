"""The indexed entity-ruler `match` gives exactly what spaCy's Matcher gives.

The ruler is built from the real patterns (project registry aliases and trigger lexicons,
as the spaCy family trains it) and run over the real corpus sentences plus shuffled word
salad, which makes many overlapping and same-span matches of different labels.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy

from standoff.core.actors import ActorRegistry
from standoff.core.io import read_documents
from standoff.models.families.base import Resources
from standoff.models.families.spacy_ruler import (
    WordPatternIndex,
    speed_up_ruler,
    word_patterns,
)
from standoff.models.families.spacy_spans import ruler_patterns
from standoff.models.lexicons import DEFAULT_LEXICON, load_lexicons

REPO = Path(__file__).resolve().parents[2]


def ruler_nlp(patterns: list[dict]) -> spacy.language.Language:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(patterns)
    return nlp


@pytest.fixture(scope="module")
def patterns() -> list[dict]:
    res = Resources(ActorRegistry.load(REPO / "annotation" / "actors.yaml"),
                    load_lexicons(DEFAULT_LEXICON))
    return ruler_patterns(res)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    docs = list(read_documents(REPO / "corpus" / "documents.jsonl"))[:20]
    sentences = [d.text[s:e] for d in docs for s, e in d.sentences]
    rng = random.Random(0)
    words = " ".join(sentences).split()
    salad = [" ".join(rng.choice(words) for _ in range(25)) for _ in range(150)]
    return sentences + salad + ["", "  \n ", "Pakistan"]


def ents(doc) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label_) for e in doc.ents]


def test_same_matches_in_the_same_order_as_spacy(patterns, texts):
    nlp = ruler_nlp(patterns)
    ruler = nlp.get_pipe("entity_ruler")
    index = WordPatternIndex(word_patterns(ruler), nlp.vocab.strings)
    same_span_other_label = 0
    for text in texts:
        doc = nlp.make_doc(text)
        expected = list(ruler.matcher(doc))
        assert index.matches(doc) == expected, text
        spans = [(s, e) for _, s, e in expected]
        same_span_other_label += len(spans) - len(set(spans))
    assert same_span_other_label > 0  # the order-sensitive case was exercised


def test_same_entities_as_spacys_ruler(patterns, texts):
    slow, fast = ruler_nlp(patterns), ruler_nlp(patterns)
    assert speed_up_ruler(fast)
    expected = [ents(d) for d in slow.pipe(texts)]
    assert sum(map(len, expected)) > 100
    assert [ents(d) for d in fast.pipe(texts)] == expected


def test_word_tests_orth_lower_and_prefix():
    patterns = [{"label": "A", "pattern": [{"LOWER": "air"}, {"LOWER": {"REGEX": "^strik"}}]},
                {"label": "B", "pattern": [{"ORTH": "Air"}]},
                {"label": "C", "pattern": [{"LOWER": {"REGEX": "^str"}}]},
                {"label": "A", "pattern": [{"LOWER": "air"}]}]
    slow, fast = ruler_nlp(patterns), ruler_nlp(patterns)
    assert speed_up_ruler(fast)
    for text in ("Air strikes hit; AIR STRIKE, air strikers", "air Air strings str st"):
        assert ents(fast(text)) == ents(slow(text))
        assert ents(fast(text))  # something matched


@pytest.mark.parametrize("pattern", [
    [{"LOWER": {"IN": ["a", "b"]}}],        # a set of words
    [{"LOWER": "a", "OP": "?"}],            # an operator
    [{"LOWER": {"REGEX": "a+"}}],           # a regex that is not a literal prefix
    [{"POS": "NOUN"}],                      # an attribute other than ORTH/LOWER
    "a phrase pattern",
])
def test_other_patterns_keep_spacys_matcher(pattern):
    nlp = ruler_nlp([{"label": "X", "pattern": pattern}])
    assert not speed_up_ruler(nlp)
    assert "match" not in vars(nlp.get_pipe("entity_ruler"))


def test_a_pipeline_without_a_ruler_is_left_alone():
    assert not speed_up_ruler(spacy.blank("en"))
