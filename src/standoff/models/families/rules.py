"""The `rules` family: the actor registry as a gazetteer, cue and trigger word lists, and
position heuristics for relations. Nothing is learned; it is the floor to beat."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from standoff.core.io import write_text_atomic
from standoff.models.components import NONE, Detector, PairExample, PairScorer
from standoff.models.families.base import ComponentFamily, Resources
from standoff.models.lexicons import has_cue, status_cue_ends
from standoff.models.normalize import gazetteer
from standoff.models.registry import register_family
from standoff.models.rules_words import SPEECH_VERBS
from standoff.models.tasks import TaskSpec
from standoff.models.text import Mention, Sentence


class LexiconDetector(Detector):
    def __init__(self, task: TaskSpec, res: Resources) -> None:
        self.task = task
        self.lexicons = {"ACTOR": gazetteer(res.registry)}
        for layer in task.layers:
            lexicon = res.lexicons.for_layer(layer)
            if lexicon is not None:
                self.lexicons[layer] = lexicon

    def fit(self, train: list[Sentence], dev: list[Sentence]) -> dict[str, Any]:
        return {"entries": {layer: len(lex) for layer, lex in self.lexicons.items()}}

    def detect(self, sentences: list[Sentence], layers: frozenset[str]) -> list[list[Mention]]:
        out = []
        for sent in sentences:
            found = []
            for layer in self.task.layers:
                if layer not in layers or layer not in self.lexicons:
                    continue
                for m in self.lexicons[layer].find(sent.tokens):
                    label = "ACTOR" if layer == "ACTOR" else m.label
                    found.append(Mention(layer, label, sent.tokens[m.start].start,
                                         sent.tokens[m.end - 1].end, 1.0))
            out.append(found)
        return out

    def save(self, path: Path) -> None:
        write_text_atomic(path / "detector.json", json.dumps({"kind": "lexicon"}) + "\n")


def _position(ex: PairExample, m: Mention) -> tuple[int, int]:
    return ex.sentence.token_span(m.start, m.end) or (0, 0)


class HeuristicScorer(PairScorer):
    """Nearest-actor rules: who comes before a cue acts or speaks, who comes after is
    acted on; 'by' marks the agent of a passive; speech verbs mark a quote's speaker."""

    def __init__(self, task: TaskSpec, kind: str, res: Resources, window: int = 4) -> None:
        self.task, self.kind, self.res, self.window = task, kind, res, window

    def fit(self, train: list[PairExample], dev: list[PairExample]) -> dict[str, Any]:
        return {}

    def save(self, path: Path) -> None:
        write_text_atomic(path / "scorer.json",
                          json.dumps({"kind": self.kind, "window": self.window}) + "\n")

    def score(self, pairs: list[PairExample]) -> list[dict[str, float]]:
        if self.kind == "status":
            cues: dict[int, dict[str, list[int]]] = {}  # id(sentence) -> cue ends, once
            return [{self._status(ex, cues): 1.0} for ex in pairs]
        groups: dict[int, list[int]] = defaultdict(list)
        for i, ex in enumerate(pairs):
            groups[id(ex.head)].append(i)
        out: list[dict[str, float]] = [{NONE: 1.0} for _ in pairs]
        for members in groups.values():
            for i, label in self._choose([pairs[i] for i in members]).items():
                out[members[i]] = {label: 1.0, NONE: 0.0}
        return out

    # -- relations ----------------------------------------------------------------------

    def _choose(self, group: list[PairExample]) -> dict[int, str]:
        head = group[0].head
        hs, he = _position(group[0], head)
        words = group[0].sentence.lowers
        left = sorted((i for i, ex in enumerate(group) if _position(ex, ex.tail)[1] <= hs),
                      key=lambda i: -_position(group[i], group[i].tail)[0])
        right = sorted((i for i, ex in enumerate(group) if _position(ex, ex.tail)[0] >= he),
                       key=lambda i: _position(group[i], group[i].tail)[0])
        actors_l = [i for i in left if group[i].tail.layer == "ACTOR"]
        actors_r = [i for i in right if group[i].tail.layer == "ACTOR"]
        passive = [i for i in actors_r if _position(group[i], group[i].tail)[0] > 0
                   and words[_position(group[i], group[i].tail)[0] - 1] == "by"]
        chosen: dict[int, str] = {}
        if self.task.name == "events":
            agent = passive[0] if passive else (actors_l[0] if actors_l else None)
            patient = next((i for i in actors_r if i != agent), None)
            _put(chosen, agent, "source")
            _put(chosen, patient, "target")
        elif self.task.name == "blame":
            events_r = [i for i in right if group[i].tail.layer == "EVENT"]
            if head.label == "deny":
                _put(chosen, actors_l[0] if actors_l else None, "blamed")
            else:
                blamer = passive[0] if passive else (actors_l[0] if actors_l else None)
                blamed = (actors_l[0] if passive and actors_l
                          else next((i for i in actors_r if i != blamer), None))
                _put(chosen, blamer, "blamer")
                _put(chosen, blamed, "blamed")
            _put(chosen, events_r[0] if events_r else None, "for")
        else:
            speaker = self._speaker(group, words)
            holder = speaker if speaker is not None else (actors_l[0] if actors_l else None)
            toward = next((i for i in right + left if i != holder), None)
            _put(chosen, holder, "holder")
            _put(chosen, toward, "toward")
        return chosen

    @staticmethod
    def _speaker(group: list[PairExample], words: list[str]) -> int | None:
        for i, ex in enumerate(group):
            if ex.tail.layer != "ACTOR":
                continue
            s, e = _position(ex, ex.tail)
            if (e < len(words) and words[e] in SPEECH_VERBS) or (
                    s > 0 and words[s - 1] in SPEECH_VERBS):
                return i
        return None

    # -- status -------------------------------------------------------------------------

    def _status(self, ex: PairExample, cues: dict[int, dict[str, list[int]]]) -> str:
        ends = cues.get(id(ex.sentence))
        if ends is None:
            ends = cues[id(ex.sentence)] = status_cue_ends(ex.sentence.tokens, self.res.lexicons)
        hs, he = _position(ex, ex.head)
        for status in self.res.lexicons.status_order:
            if has_cue(ends[status], max(0, hs - self.window), he) or (
                    status == "claimed" and has_cue(ends[status], 0, len(ends[status]))):
                return status
        return "asserted"


def _put(chosen: dict[int, str], index: int | None, label: str) -> None:
    if index is not None and index not in chosen:
        chosen[index] = label


@register_family("rules")
class RulesFamily(ComponentFamily):
    """Gazetteer + word lists + nearest-actor heuristics."""

    learns_aliases = False

    def make_detector(self, task: TaskSpec, config: dict, seed: int,
                      res: Resources) -> Detector:
        return LexiconDetector(task, res)

    def load_detector(self, task: TaskSpec, path: Path, config: dict,
                      res: Resources) -> Detector:
        return LexiconDetector(task, res)

    def make_scorer(self, task: TaskSpec, kind: str, labels: list[str], config: dict,
                    seed: int, res: Resources) -> PairScorer:
        return HeuristicScorer(task, kind, res, int(config.get("status_window", 4)))

    def load_scorer(self, task: TaskSpec, kind: str, path: Path, config: dict,
                    res: Resources) -> PairScorer:
        return self.make_scorer(task, kind, [], config, 0, res)
