"""Offsets between Python strings and the ways Label Studio results have counted them.

Label Studio 1.23's labeling interface counts code points, like Python: a region made in
the browser after emoji, CRLF line breaks or repeated spaces comes back at the Python
offset (checked by selecting text in headless Chromium, see docs/annotation.md), and
results pushed with Python offsets are highlighted in the right place. Older versions
and some tools counted UTF-16 code units (every character outside the Basic Multilingual
Plane then shifts later offsets by one), and browsers have been reported to count a CRLF
as one character. Pushes use code points; pulls accept any of these readings whose
region text matches, and refuse positions that have no counterpart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OffsetMap:
    """Python offset <-> offset in one counting scheme, for one text."""

    text: str
    py_to_js: tuple[int, ...]
    js_to_py: tuple[int | None, ...]
    utf16: bool = False
    collapse_crlf: bool = False

    @classmethod
    def build(cls, text: str, utf16: bool = False, collapse_crlf: bool = False) -> OffsetMap:
        py_to_js = [0] * (len(text) + 1)
        js = 0
        for i, ch in enumerate(text):
            py_to_js[i] = js
            if collapse_crlf and ch == "\r" and text[i + 1:i + 2] == "\n":
                continue  # the pair counts once, on its "\n"
            js += 2 if utf16 and ord(ch) > 0xFFFF else 1
        py_to_js[len(text)] = js
        js_to_py: list[int | None] = [None] * (js + 1)
        for i in range(len(text), -1, -1):  # backwards, so the first py index wins
            js_to_py[py_to_js[i]] = i
        return cls(text, tuple(py_to_js), tuple(js_to_py), utf16, collapse_crlf)

    @property
    def length(self) -> int:
        return self.py_to_js[-1]

    def to_js(self, offset: int) -> int:
        return self.py_to_js[offset]

    def to_py(self, offset: int) -> int | None:
        """The Python offset of an offset in this scheme, or None if it has none."""
        if not isinstance(offset, int) or not 0 <= offset < len(self.js_to_py):
            return None
        return self.js_to_py[offset]


def readings(text: str) -> list[OffsetMap]:
    """The counting schemes a pulled offset may use, the current one first."""
    maps = [OffsetMap.build(text)]
    if any(ord(ch) > 0xFFFF for ch in text):
        maps.append(OffsetMap.build(text, utf16=True))
    if "\r\n" in text:
        maps += [OffsetMap.build(text, utf16=m.utf16, collapse_crlf=True) for m in list(maps)]
    return maps


def utf16_length(text: str) -> int:
    """len() as JavaScript's String.length sees it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2
