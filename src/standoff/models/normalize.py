"""Actor mentions -> codes: the registry's aliases, a table learned from gold, pronouns that
take their antecedent's code, and new candidate codes for parties the registry lacks.

Unknown parties are never dropped: they get `NEW-<SLUG>` and are listed so a curator can
add them to annotation/actors.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from standoff.core.actors import ActorRegistry
from standoff.models.lexicons import PhraseLexicon, alias_words
from standoff.models.text import Token, tokenize

PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
PRONOUNS = PERSONAL_PRONOUNS | {"they", "them", "their", "it", "its", "we", "our"}
# Head nouns that say which branch of a country a mention means ("Pakistani forces").
BRANCH_WORDS = {
    "MIL": ("forces", "troops", "soldiers", "army", "military", "fighters", "posts", "jets",
            "navy", "force"),
    "GOV": ("government", "governments", "officials", "official", "ministry", "minister",
            "authorities", "delegation", "delegations", "negotiators", "administration"),
    "CVL": ("civilians", "people", "residents", "citizens", "villagers"),
    "REB": ("rebels", "militants", "insurgents", "group", "militia", "guerrillas"),
}
# "both sides" stands for the two parties the article is about (one span per party).
COLLECTIVE = re.compile(r"^(both|(both|all|the two|two)( \w+)? (sides|parties|countries|"
                        r"governments|nations|neighbours|neighbors))$")
PARTY_TYPES = ("STATE", "GOV", "MIL", "REB")
_DETERMINERS = ("the ", "a ", "an ")


@dataclass(frozen=True)
class Resolution:
    code: str
    score: float
    how: str  # learned | alias | pronoun | branch | contains | new


def clean_mention(text: str) -> str:
    text = " ".join(text.split())
    for det in _DETERMINERS:
        if text.lower().startswith(det):
            text = text[len(det):]
    return re.sub(r"[’']s$", "", text).strip()


def new_code(text: str) -> str:
    """A candidate code from the mention: 'Chaman traders' -> 'NEW-CHAMAN-TRADERS'."""
    ascii_text = unicodedata.normalize("NFKD", clean_mention(text)).encode("ascii", "ignore")
    words = re.findall(r"[A-Za-z0-9]+", ascii_text.decode())
    return "NEW-" + ("-".join(w.upper() for w in words[:4]) or "ACTOR")


def gazetteer(registry: ActorRegistry) -> PhraseLexicon:
    return PhraseLexicon((alias_words(alias), code) for alias, code in _aliases(registry))


def _aliases(registry: ActorRegistry) -> Iterable[tuple[str, str]]:
    for actor in registry.actors.values():
        for alias in (actor.name, *actor.aliases):
            yield alias, actor.code


def learn_table(mentions: Iterable[tuple[str, str]], min_share: float = 0.5) -> dict[str, str]:
    """Mention text -> its most frequent gold code, when that code dominates."""
    counts: dict[str, Counter[str]] = {}
    for text, code in mentions:
        key = clean_mention(text).casefold()
        if key and key not in PRONOUNS:
            counts.setdefault(key, Counter())[code] += 1
    table = {}
    for key, codes in sorted(counts.items()):
        code, n = sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if n / sum(codes.values()) >= min_share:
            table[key] = code
    return table


@dataclass
class Normalizer:
    registry: ActorRegistry
    learned: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._gazetteer = gazetteer(self.registry)

    def resolve(self, text: str, antecedents: list[str]) -> Resolution | None:
        """The code of one mention; `antecedents` are codes resolved earlier in the document."""
        found = self.resolve_all(text, antecedents)
        return found[0] if found else None

    def resolve_all(self, text: str, antecedents: list[str]) -> list[Resolution]:
        """Usually one code; two for a collective mention ("both sides") of a two-party
        article; none for a pronoun with nothing to refer to."""
        key = clean_mention(text).casefold()
        words = key.split()
        generic = bool(words) and clean_mention(text)[:1].islower()
        if COLLECTIVE.match(key):
            parties = self._parties(antecedents)
            if parties:
                return [Resolution(code, 0.5, "collective") for code in parties]
        if key in PRONOUNS:
            found = self._pronoun(key, antecedents)
            return [found] if found else []
        if generic:
            in_context = self._in_context(words, antecedents)
            if in_context:
                return [in_context]
        if key in self.learned:
            return [Resolution(self.learned[key], 0.9, "learned")]
        code = self.registry.normalize(clean_mention(text)) or self.registry.normalize(text)
        if code:
            return [Resolution(code, 1.0, "alias")]
        return [self._inside(text) or Resolution(new_code(text), 0.3, "new")]

    def _parties(self, antecedents: list[str]) -> list[str]:
        """The two most mentioned parties so far (ties: the most recent)."""
        counts: Counter[str] = Counter()
        last: dict[str, int] = {}
        for i, code in enumerate(antecedents):
            actor = self.registry.actors.get(code)
            if actor is not None and actor.type in PARTY_TYPES:
                counts[code] += 1
                last[code] = i
        ranked = sorted(counts, key=lambda c: (-counts[c], -last[c]))
        return ranked[:2] if len(ranked) >= 2 else []

    def _in_context(self, words: list[str], antecedents: list[str]) -> Resolution | None:
        """A generic mention ("the army") is the branch of a country already in the text."""
        kind = next((k for k, heads in BRANCH_WORDS.items() if words[-1] in heads), None)
        if kind is None:
            return None
        for code in reversed(antecedents):
            actor = self.registry.actors.get(code)
            if actor is None:
                continue
            if actor.type == kind:
                return Resolution(code, 0.6, "context")
            if actor.country:
                for other in self.registry.actors.values():
                    if other.country == actor.country and other.type == kind:
                        return Resolution(other.code, 0.5, "context")
        return None

    def _pronoun(self, key: str, antecedents: list[str]) -> Resolution | None:
        for code in reversed(antecedents):
            actor = self.registry.actors.get(code)
            if key not in PERSONAL_PRONOUNS or (actor and actor.type == "PER"):
                return Resolution(code, 0.5, "pronoun")
        return None  # a pronoun with nothing to refer to is not a new party

    def _inside(self, text: str) -> Resolution | None:
        tokens: list[Token] = tokenize(text)
        # only names count inside a longer mention: a generic alias ("traders") would
        # send every unknown group of traders to one registry code
        found = [m for m in self._gazetteer.find(tokens) if tokens[m.start].text[:1].isupper()]
        if not found:
            return None
        best = max(found, key=lambda m: (m.end - m.start, -m.start))
        branch = self._branch(best.label, [t.lower for t in tokens])
        if branch:
            return Resolution(branch, 0.6, "branch")
        return Resolution(best.label, 0.6, "contains")

    def _branch(self, code: str, words: list[str]) -> str | None:
        actor = self.registry.actors.get(code)
        if actor is None or not actor.country:
            return None
        for kind, heads in BRANCH_WORDS.items():
            if any(w in heads for w in words):
                for other in self.registry.actors.values():
                    if other.country == actor.country and other.type == kind:
                        return other.code
        return None
