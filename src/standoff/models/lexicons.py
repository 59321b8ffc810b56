"""Phrase lexicons: the cue lists of the rules family and the actor gazetteer.

A lexicon matches phrases of words (optionally prefix words, "attack*") against the
tokens of a sentence, longest match first, without overlaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from standoff.core.errors import StandoffError
from standoff.core.yamlio import load_yaml
from standoff.models.text import Token, tokenize

DEFAULT_LEXICON = Path(__file__).with_name("lexicons.yaml")


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False
    case_sensitive: bool = False

    def matches(self, token: Token) -> bool:
        seen = token.text if self.case_sensitive else token.lower
        return seen.startswith(self.text) if self.prefix else seen == self.text


@dataclass(frozen=True)
class Match:
    start: int  # token index
    end: int  # token index, exclusive
    label: str


class PhraseLexicon:
    """Phrases -> labels, matched longest first over a token sequence."""

    def __init__(self, entries: Iterable[tuple[Sequence[Word], str]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[Word, ...], str]]] = {}
        for words, label in entries:
            if words:
                key = words[0].text[:1].lower()
                self._by_first.setdefault(key, []).append((tuple(words), label))
        for bucket in self._by_first.values():
            bucket.sort(key=lambda e: -len(e[0]))  # longest phrase first

    @classmethod
    def from_phrases(cls, phrases: dict[str, list[str]]) -> PhraseLexicon:
        return cls((parse_phrase(p), label) for label, items in phrases.items() for p in items)

    def __len__(self) -> int:
        return sum(len(b) for b in self._by_first.values())

    def entries(self) -> Iterator[tuple[tuple[Word, ...], str]]:
        for bucket in self._by_first.values():
            yield from bucket

    def labels_at(self, tokens: Sequence[Token], i: int) -> list[tuple[int, str]]:
        """Every (end, label) of a phrase starting at token i, longest first."""
        out = []
        for words, label in self._by_first.get(tokens[i].lower[:1], ()):
            end = i + len(words)
            if end <= len(tokens) and all(w.matches(t) for w, t in zip(words, tokens[i:end],
                                                                        strict=True)):
                out.append((end, label))
        return out

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        matches, i = [], 0
        while i < len(tokens):
            found = self.labels_at(tokens, i)
            if found:
                end, label = found[0]
                matches.append(Match(i, end, label))
                i = end
            else:
                i += 1
        return matches


def parse_phrase(phrase: str) -> list[Word]:
    words = []
    for part in str(phrase).split():
        prefix = part.endswith("*") and len(part) > 1
        words.append(Word(part.rstrip("*").lower() if prefix else part.lower(), prefix))
    return words


def alias_words(alias: str) -> list[Word]:
    """An actor alias as gazetteer words: short or all-capital aliases match case-sensitively
    (so "US" is not the pronoun "us"); others ignore case."""
    exact = len(alias) <= 3 or alias.isupper()
    return [Word(t.text if exact else t.lower, False, exact) for t in tokenize(alias)]


@dataclass(frozen=True)
class Lexicons:
    triggers: PhraseLexicon
    blame: PhraseLexicon
    stance: PhraseLexicon
    status: dict[str, PhraseLexicon]
    status_order: tuple[str, ...]

    def for_layer(self, layer: str) -> PhraseLexicon | None:
        return {"EVENT": self.triggers, "BLAME": self.blame, "STANCE": self.stance}.get(layer)


def load_lexicons(path: Path | None = None) -> Lexicons:
    path = Path(path or DEFAULT_LEXICON)
    data = load_yaml(path)
    try:
        status = {name: PhraseLexicon.from_phrases({name: items})
                  for name, items in data["status"].items()}
        return Lexicons(PhraseLexicon.from_phrases(data["triggers"]),
                        PhraseLexicon.from_phrases(data["blame"]),
                        PhraseLexicon.from_phrases(data["stance"]),
                        status, tuple(data["status"]))
    except (KeyError, TypeError, AttributeError) as err:
        raise StandoffError(f"lexicon file needs triggers, blame, stance and status lists: {err}",
                            file=str(path)) from err
