"""Offsets between Python strings and Label Studio's JavaScript strings.

Python counts code points; Label Studio counts UTF-16 code units, so every character
outside the Basic Multilingual Plane (emoji, some CJK) shifts later offsets by one.
Browsers have also been reported to count a CRLF line break as one character. An
`OffsetMap` converts both ways and refuses positions that have no counterpart (the
middle of a surrogate pair or of a collapsed CRLF) instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OffsetMap:
    """Python offset <-> JavaScript offset for one text."""

    text: str
    py_to_js: tuple[int, ...]
    js_to_py: tuple[int | None, ...]
    collapse_crlf: bool = False

    @classmethod
    def build(cls, text: str, collapse_crlf: bool = False) -> OffsetMap:
        py_to_js = [0] * (len(text) + 1)
        js = 0
        for i, ch in enumerate(text):
            py_to_js[i] = js
            if collapse_crlf and ch == "\r" and text[i + 1:i + 2] == "\n":
                continue  # the pair counts once, on its "\n"
            js += 2 if ord(ch) > 0xFFFF else 1
        py_to_js[len(text)] = js
        js_to_py: list[int | None] = [None] * (js + 1)
        for i in range(len(text), -1, -1):  # backwards, so the first py index wins
            js_to_py[py_to_js[i]] = i
        return cls(text, tuple(py_to_js), tuple(js_to_py), collapse_crlf)

    @property
    def js_length(self) -> int:
        return self.py_to_js[-1]

    def to_js(self, offset: int) -> int:
        return self.py_to_js[offset]

    def to_py(self, offset: int) -> int | None:
        """The Python offset of a JavaScript offset, or None if it has none."""
        if not isinstance(offset, int) or not 0 <= offset < len(self.js_to_py):
            return None
        return self.js_to_py[offset]

    def splits_unit(self, offset: int) -> bool:
        """True when a Python offset falls inside a CRLF pair that counts as one unit."""
        return (self.collapse_crlf and 0 < offset < len(self.text)
                and self.text[offset - 1] == "\r" and self.text[offset] == "\n")


def js_length(text: str) -> int:
    """len() as JavaScript sees it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2
