"""Reading YAML and text files with errors that name the file and the place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from standoff.core.errors import StandoffError


def read_text(path: Path) -> str:
    """The file's exact text (no newline translation: CRLF stays CRLF), or a clear error."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError as err:
        raise StandoffError("file not found", file=str(path)) from err
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise StandoffError(
            f"not valid UTF-8 (byte {err.start})", file=str(path),
            hint="re-save the file as UTF-8",
        ) from err


def load_yaml(path: Path) -> Any:
    text = read_text(path)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise StandoffError(f"malformed YAML{where}: {problem}", file=str(path)) from err


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
