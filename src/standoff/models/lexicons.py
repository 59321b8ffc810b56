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
MEMO_SIZE = 100_000  # token texts whose candidate phrases are remembered (bounded memory)


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False
    case_sensitive: bool = False

    def matches(self, token: Token) -> bool:
        return _word_matches(self, token.text, token.lower)


@dataclass(frozen=True)
class Match:
    start: int  # token index
    end: int  # token index, exclusive
    label: str


Entry = tuple[tuple[Word, ...], str]


class PhraseLexicon:
    """Phrases -> labels, matched longest first over a token sequence."""

    def __init__(self, entries: Iterable[tuple[Sequence[Word], str]]) -> None:
        self._by_first: dict[str, list[Entry]] = {}
        for words, label in entries:
            if words:
                key = words[0].text[:1].lower()
                self._by_first.setdefault(key, []).append((tuple(words), label))
        for bucket in self._by_first.values():
            bucket.sort(key=lambda e: -len(e[0]))  # longest phrase first
        self._index_first_words()

    def _index_first_words(self) -> None:
        """Entries by their first word (a dict lookup per token instead of trying every
        phrase with the same first letter); the rank keeps the bucket order: longest
        first, then the order of the lexicon file."""
        self._exact: dict[str, list[tuple[int, Entry]]] = {}  # lowercase first word
        self._cased: dict[str, list[tuple[int, Entry]]] = {}  # case-sensitive first word
        self._prefix: dict[str, list[tuple[int, Entry]]] = {}  # "attack*", by lowercase prefix
        for rank, entry in enumerate(self.entries()):
            first = entry[0][0]
            index, key = ((self._prefix, first.text.lower()) if first.prefix else
                          (self._cased, first.text) if first.case_sensitive else
                          (self._exact, first.text))
            index.setdefault(key, []).append((rank, entry))
        self._longest_prefix = max(map(len, self._prefix), default=0)
        self._memo: dict[str, tuple[Entry, ...]] = {}

    @classmethod
    def from_phrases(cls, phrases: dict[str, list[str]]) -> PhraseLexicon:
        return cls((parse_phrase(p), label) for label, items in phrases.items() for p in items)

    def __len__(self) -> int:
        return sum(len(b) for b in self._by_first.values())

    def entries(self) -> Iterator[Entry]:
        for bucket in self._by_first.values():
            yield from bucket

    def _candidates(self, text: str, lower: str) -> list[tuple[int, Entry]]:
        """Entries whose first word matches this token, in bucket order."""
        found = self._exact.get(lower, []) + self._cased.get(text, [])
        for n in range(1, min(len(lower), self._longest_prefix) + 1):
            for rank, entry in self._prefix.get(lower[:n], ()):
                if _word_matches(entry[0][0], text, lower):
                    found.append((rank, entry))
        if len(found) > 1:
            found.sort(key=lambda r: r[0])
        return found

    def _starting_with(self, text: str, lower: str) -> tuple[Entry, ...]:
        """`_candidates`, remembered per token text: most words of a text recur."""
        found = self._memo.get(text)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[text] = tuple(e for _, e in self._candidates(text, lower))
        return found

    def _phrases_at(self, texts: Sequence[str], lowers: Sequence[str],
                    i: int) -> Iterator[tuple[int, str]]:
        for words, label in self._starting_with(texts[i], lowers[i]):
            end = i + len(words)
            if end <= len(texts) and all(
                    _word_matches(w, texts[j], lowers[j])
                    for w, j in zip(words[1:], range(i + 1, end), strict=True)):
                yield end, label

    def labels_at(self, tokens: Sequence[Token], i: int) -> list[tuple[int, str]]:
        """Every (end, label) of a phrase starting at token i, longest first."""
        return list(self._phrases_at([t.text for t in tokens], [t.lower for t in tokens], i))

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        return self.find_words([t.text for t in tokens], [t.lower for t in tokens])

    def find_words(self, texts: Sequence[str], lowers: Sequence[str]) -> list[Match]:
        """`find` over the tokens' texts and their lowercase forms (computed once by the
        caller when several lexicons scan the same sentence)."""
        matches, i, memo = [], 0, self._memo
        while i < len(texts):
            starts = memo.get(texts[i])  # inlined `_starting_with`: most tokens start nothing
            if starts is None:
                starts = self._starting_with(texts[i], lowers[i])
            found = next(self._phrases_at(texts, lowers, i), None) if starts else None
            if found is not None:
                matches.append(Match(i, found[0], found[1]))
                i = found[0]
            else:
                i += 1
        return matches


    def shortest_ends(self, tokens: Sequence[Token]) -> list[int]:
        """Per token position, the end of the shortest phrase starting there (len(tokens)
        + 1 if none): `find(tokens[a:b])` is non-empty exactly when some position i in
        [a, b) has `ends[i] <= b`, so one pass serves every window of a sentence."""
        texts, lowers = [t.text for t in tokens], [t.lower for t in tokens]
        none, memo = len(tokens) + 1, self._memo
        out = []
        for i, text in enumerate(texts):
            starts = memo.get(text)  # inlined `_starting_with`: most tokens start nothing
            if starts is None:
                starts = self._starting_with(text, lowers[i])
            out.append(min((end for end, _ in self._phrases_at(texts, lowers, i)), default=none)
                       if starts else none)
        return out


def _word_matches(word: Word, text: str, lower: str) -> bool:
    seen = text if word.case_sensitive else lower
    return seen.startswith(word.text) if word.prefix else seen == word.text


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


def status_cue_ends(tokens: Sequence[Token], lexicons: Lexicons) -> dict[str, list[int]]:
    """Per status (in the lexicon's order), where its cues starting at each token end."""
    return {status: lexicons.status[status].shortest_ends(tokens)
            for status in lexicons.status_order}


def has_cue(ends: list[int], start: int, end: int) -> bool:
    """Whether a cue lies wholly inside tokens [start, end) (`ends`: `shortest_ends`)."""
    end = min(end, len(ends))
    if start == 0 and end == len(ends):  # the whole sentence: min() runs in C
        return min(ends, default=end + 1) <= end
    return any(ends[i] <= end for i in range(start, end))
