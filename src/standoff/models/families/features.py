"""Hand-written features for the linear models: tokens in context, and head/tail pairs.

The rules family's word lists and the registry's aliases are features here too, so a
learned model starts from what the baseline knows and learns when to trust it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from standoff.models.components import PairExample
from standoff.models.families.base import Resources
from standoff.models.lexicons import MEMO_SIZE, has_cue, status_cue_ends
from standoff.models.normalize import gazetteer
from standoff.models.rules_words import SPEECH_VERBS
from standoff.models.text import Mention, Sentence

_QUOTES = re.compile(r"[“”\"]")


def shape(word: str) -> str:
    out = []
    for ch in word[:6]:
        kind = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def bucket(n: int) -> str:
    for limit, name in ((0, "0"), (1, "1"), (2, "2"), (4, "3-4"), (8, "5-8"), (15, "9-15")):
        if n <= limit:
            return name
    return "16+"


class TokenFeaturizer:
    def __init__(self, res: Resources, context: int = 2) -> None:
        self.context = context
        self.lexicons = {"gaz": gazetteer(res.registry), "trig": res.lexicons.triggers,
                         "blame": res.lexicons.blame, "stance": res.lexicons.stance}
        self._words: dict[str, tuple[str, ...]] = {}
        self._context: dict[str, tuple[str, ...]] = {}

    def lexicon_tags(self, sent: Sentence) -> list[list[str]]:
        texts = [t.text for t in sent.tokens]
        lowers = sent.lowers
        tags: list[list[str]] = [[] for _ in sent.tokens]
        for name, lexicon in self.lexicons.items():
            for m in lexicon.find_words(texts, lowers):
                label = "" if name == "gaz" else f"-{m.label}"
                for i in range(m.start, m.end):
                    tags[i].append(f"{name}={'B' if i == m.start else 'I'}{label}")
        return tags

    def sentence(self, sent: Sentence) -> list[dict[str, float]]:
        """One feature dict per token (every value 1.0)."""
        return [dict.fromkeys((*word, *names), 1.0) for word, names in self.sentence_names(sent)]

    def sentence_names(self, sent: Sentence) -> list[tuple[tuple[str, ...], list[str]]]:
        """Per token, the names of its features in two parts: those of the word alone (one
        shared tuple per distinct word, so a vectorizer can remember its columns) and the
        rest. A name may repeat: it counts once."""
        words = sent.lowers
        tags = self.lexicon_tags(sent)
        pad = max(self.context, 1)
        padded = ["<s>"] * pad + words + ["</s>"] * pad  # padded[pad + i] is words[i]
        seen = [self._context_names(w) for w in padded]  # each word seen from its neighbours
        out = []
        for i, tok in enumerate(sent.tokens):
            w, at = words[i], pad + i
            names = ["bias", "first"] if i == 0 else ["bias"]
            for d in range(1, self.context + 1):
                names.append(seen[at - d][2 * d - 2])
                names.append(seen[at + d][2 * d - 1])
            names.append(f"bi-={padded[at - 1]}|{w}")
            names.append(f"bi+={w}|{padded[at + 1]}")
            if i and tok.text[:1].isupper():
                names.append("title_inside")
            for tag in tags[i]:
                names.append(tag)
                names.append(f"{tag}|w-1={padded[at - 1]}")
            if i:
                names.extend(f"prev:{tag}" for tag in tags[i - 1])
            if i + 1 < len(words):
                names.extend(f"next:{tag}" for tag in tags[i + 1])
            out.append((self._word_names(tok.text, w), names))
        return out

    def _context_names(self, word: str) -> tuple[str, ...]:
        """"w-1=word", "w+1=word", "w-2=word", ...: the word seen from its neighbours."""
        found = self._context.get(word)
        if found is None:
            if len(self._context) >= MEMO_SIZE:
                self._context.clear()
            found = self._context[word] = tuple(
                f"w{sign}{d}={word}" for d in range(1, self.context + 1) for sign in "-+")
        return found

    def _word_names(self, text: str, lower: str) -> tuple[str, ...]:
        """The features of a word alone, remembered: most words recur."""
        found = self._words.get(text)
        if found is None:
            if len(self._words) >= MEMO_SIZE:
                self._words.clear()
            found = self._words[text] = (f"w={lower}", f"p3={lower[:3]}", f"s3={lower[-3:]}",
                                         f"s2={lower[-2:]}", f"shape={shape(text)}")
        return found


def _span(ex: PairExample, m: Mention) -> tuple[int, int]:
    return ex.sentence.token_span(m.start, m.end) or (0, 0)


def _in_quote(sent: Sentence, offset: int) -> bool:
    return len(_QUOTES.findall(sent.text[: offset - sent.start])) % 2 == 1


def pair_features(pairs: list[PairExample], res: Resources) -> list[dict[str, float]]:
    ranks = _ranks(pairs)
    cues: dict[int, dict[str, list[int]]] = {}  # id(sentence) -> status cues, found once
    out = []
    for i, ex in enumerate(pairs):
        if ex.tail is not None:
            out.append(_relation_features(ex, ranks[i]))
            continue
        ends = cues.get(id(ex.sentence))
        if ends is None:
            ends = cues[id(ex.sentence)] = status_cue_ends(ex.sentence.tokens, res.lexicons)
        out.append(_status_features(ex, ends))
    return out


def _ranks(pairs: list[PairExample]) -> list[int]:
    """How many same-layer candidates lie closer to the head on the same side, plus one."""
    groups: dict[int, list[int]] = defaultdict(list)
    for i, ex in enumerate(pairs):
        if ex.tail is not None:
            groups[id(ex.head)].append(i)
    ranks = [0] * len(pairs)
    for members in groups.values():
        for i in members:
            me = pairs[i]
            side = me.tail.start < me.head.start
            dist = abs(me.tail.start - me.head.start)
            ranks[i] = 1 + sum(
                1 for j in members if j != i and pairs[j].tail.layer == me.tail.layer
                and (pairs[j].tail.start < me.head.start) == side
                and abs(pairs[j].tail.start - me.head.start) < dist)
    return ranks


def _relation_features(ex: PairExample, rank: int) -> dict[str, float]:
    words = ex.sentence.lowers
    hs, he = _span(ex, ex.head)
    ts, te = _span(ex, ex.tail)
    order = "before" if te <= hs else "after" if ts >= he else "overlap"
    lo, hi = (te, hs) if order == "before" else (he, ts)
    between = words[lo:hi] if order != "overlap" else []
    head_w = " ".join(words[hs:he])
    tail_kind = f"{ex.tail.layer}:{ex.tail.label}" if ex.tail.layer == "EVENT" else "ACTOR"
    base = f"{ex.head.label}|{ex.tail.layer}|{order}"
    f = {"bias": 1.0, f"hl={ex.head.label}": 1.0, f"hw={head_w}": 1.0, f"tk={tail_kind}": 1.0,
         f"tl={ex.tail.layer}": 1.0, f"o={base}": 1.0, f"rank={base}|{min(rank, 3)}": 1.0,
         f"dist={base}|{bucket(len(between))}": 1.0, f"tw={' '.join(words[ts:te])}": 1.0,
         f"tb={words[ts - 1] if ts else '<s>'}": 1.0,
         f"ta={words[te] if te < len(words) else '</s>'}": 1.0,
         f"hb={words[hs - 1] if hs else '<s>'}": 1.0,
         f"ha={words[he] if he < len(words) else '</s>'}": 1.0,
         f"hw|o={head_w}|{order}|{ex.tail.layer}": 1.0}
    for w in set(between):
        f[f"bw={w}"] = 1.0
    if ts and words[ts - 1] == "by":
        f[f"by|{base}"] = 1.0
    if (te < len(words) and words[te] in SPEECH_VERBS) or (ts and words[ts - 1] in SPEECH_VERBS):
        f[f"speaker|{base}"] = 1.0
    if _in_quote(ex.sentence, ex.head.start) != _in_quote(ex.sentence, ex.tail.start):
        f["quote_boundary"] = 1.0
    if ex.tail.attr("code"):
        f[f"code={ex.tail.attr('code')}"] = 0.5
    return f


def _status_features(ex: PairExample, cue_ends: dict[str, list[int]]) -> dict[str, float]:
    words = ex.sentence.lowers
    hs, he = _span(ex, ex.head)
    f = {"bias": 1.0, f"type={ex.head.label}": 1.0, f"hw={' '.join(words[hs:he])}": 1.0}
    for d in range(1, 4):
        f[f"w-{d}={words[hs - d] if hs >= d else '<s>'}"] = 1.0
    for w in words[max(0, hs - 6):hs]:
        f[f"before={w}"] = 1.0
    for w in words[he:he + 3]:
        f[f"after={w}"] = 1.0
    for status, ends in cue_ends.items():
        if has_cue(ends, max(0, hs - 4), he):
            f[f"cue={status}"] = 1.0
    for status, ends in cue_ends.items():
        if has_cue(ends, 0, len(ends)):
            f[f"sent_cue={status}"] = 1.0
    if _in_quote(ex.sentence, ex.head.start):
        f["in_quote"] = 1.0
    return f
