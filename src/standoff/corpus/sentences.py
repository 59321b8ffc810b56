"""Sentence segmentation with spaCy, kept as character offsets.

News copy puts headlines and crossheads on their own lines without final
punctuation, so a newline always ends a sentence; inside a line spaCy's
rule-based sentencizer decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc


@lru_cache(maxsize=1)
def segmenter() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str) -> tuple[list[tuple[int, int]], int]:
    """(sentence offsets, token count). Offsets are trimmed of surrounding whitespace."""
    sentences: list[tuple[int, int]] = []
    tokens = 0
    for doc, _, found in line_sentences(text):
        tokens += len(doc) - int(doc.to_array(IS_SPACE).sum())  # no Token objects: faster
        sentences.extend(found)
    return sentences, tokens


def line_sentences(text: str) -> Iterator[tuple[Doc, int, list[tuple[int, int]]]]:
    """Per non-blank line: its spaCy doc, the line's offset, and its sentences' offsets
    (models reuse the doc's tokens instead of tokenizing the text a second time)."""
    nlp = segmenter()
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            doc = nlp(line)
            found = []
            for sent in doc.sents:
                chunk = sent.text
                stripped = chunk.strip()
                if not stripped:
                    continue
                start = pos + sent.start_char + (len(chunk) - len(chunk.lstrip()))
                found.append((start, start + len(stripped)))
            yield doc, pos, found
        pos += len(line)
