"""The hand-writable gold format: anchors resolve to offsets, errors name the place."""

from __future__ import annotations

import pytest
import yaml

from standoff.annotation.goldfile import canonical, dump_gold, find_quote, parse_gold
from standoff.core.errors import StandoffError
from standoff.core.model import AnnotationSet, Relation, Span

TEXT = "Pakistan accused Afghanistan. Pakistani officials said Pakistan would respond."


def gold(**sections) -> dict:
    return {"document": "d1", **sections}


def test_quote_resolves_whole_words_only() -> None:
    assert find_quote(TEXT, "Pakistan") == [0, 55]  # "Pakistani" is not a match


def test_ambiguous_quote_names_file_document_and_quote() -> None:
    data = gold(actors={"p1": {"quote": "Pakistan", "code": "PAK"}})
    with pytest.raises(StandoffError) as err:
        parse_gold(data, TEXT, "gold/d1.yaml")
    msg = str(err.value)
    assert "gold/d1.yaml" in msg and "d1/p1" in msg and "'Pakistan'" in msg
    assert "ambiguous" in msg and "occurrence" in msg


def test_occurrence_and_context_pick_the_right_match() -> None:
    data = gold(actors={
        "p1": {"quote": "Pakistan", "occurrence": 2, "code": "PAK"},
        "p2": {"quote": "Pakistan", "in": "Pakistan accused", "code": "PAK"},
    })
    ann = parse_gold(data, TEXT, "f")
    starts = {s.id: s.start for s in ann.spans}
    assert starts == {"p1": 55, "p2": 0}


def test_missing_quote_and_unknown_reference_are_errors() -> None:
    with pytest.raises(StandoffError, match="not found"):
        parse_gold(gold(actors={"x": {"quote": "India", "code": "IND"}}), TEXT, "f")
    data = gold(events={"e1": {"quote": "accused", "type": "ACCUSE", "source": ["nobody"]}})
    with pytest.raises(StandoffError, match="unknown id 'nobody'"):
        parse_gold(data, TEXT, "f")


def test_unknown_key_is_an_error() -> None:
    data = gold(actors={"a": {"quote": "Afghanistan", "code": "AFG", "cod": "x"}})
    with pytest.raises(StandoffError, match="unknown key"):
        parse_gold(data, TEXT, "f")


def test_same_as_reuses_offsets() -> None:
    data = gold(
        actors={"p": {"quote": "Pakistan", "occurrence": 1, "code": "PAK"},
                "a": {"quote": "Afghanistan", "code": "AFG"}},
        events={"e": {"quote": "accused", "type": "ACCUSE", "source": ["p"], "target": ["a"]}},
        blame={"b": {"same_as": "e", "act": "accuse", "blamer": "p", "blamed": "a"}},
    )
    ann = parse_gold(data, TEXT, "f")
    spans = ann.span_by_id()
    assert (spans["b"].start, spans["b"].end) == (spans["e"].start, spans["e"].end)
    assert {(r.head, r.label, r.tail) for r in ann.relations} >= {("b", "blamer", "p")}


@pytest.mark.parametrize("text", [
    "Kabul 😀 blamed Islamabad.\r\nIslamabad  denied it 👍 and Kabul replied.",
    "Ａ wide Kabul\u00a0text with Islamabad and Kabul",
])
def test_dump_then_parse_is_lossless_with_emoji_crlf_and_spaces(text: str) -> None:
    k2 = text.rfind("Kabul")
    spans = [
        Span(id="k1", label="ACTOR", start=text.find("Kabul"), end=text.find("Kabul") + 5,
             text="Kabul", attrs={"code": "AFG-TAL"}),
        Span(id="k2", label="ACTOR", start=k2, end=k2 + 5, text="Kabul",
             attrs={"code": "AFG-TAL"}),
        Span(id="i1", label="ACTOR", start=text.find("Islamabad"),
             end=text.find("Islamabad") + 9, text="Islamabad", attrs={"code": "PAK-GOV"}),
        Span(id="part", label="EVENT", start=1, end=3, text=text[1:3],
             attrs={"type": "ASSAULT", "status": "claimed", "casualties": "3 killed by -"}),
    ]
    ann = AnnotationSet(annotator="x", spans=spans, relations=[
        Relation(id="part-source-k1", label="source", head="part", tail="k1")])
    again = parse_gold(yaml.safe_load(dump_gold(ann, text, "d1")), text, "f", "d1")
    assert canonical(again) == canonical(ann)
    assert again.annotator == "x"
