"""Small closed word classes shared by the rules heuristics and the learned features."""

SPEECH_VERBS = frozenset({"said", "says", "say", "added", "told", "stated", "announced",
                          "insisted", "warned", "argued", "according"})
