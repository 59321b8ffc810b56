"""scikit-learn objects on disk with skops, loaded only if every type is on an allow-list.

Never pickle or joblib: a pickle runs code on load. skops stores a schema of the types
it will rebuild; we read that schema first and refuse any file that names a type we did
not write ourselves, before skops touches it.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import skops.io as sio

from standoff.core.errors import StandoffError
from standoff.core.io import atomic_path

ALLOWED_TYPES = frozenset({
    "builtins.dict", "builtins.list", "builtins.tuple", "builtins.str", "builtins.int",
    "builtins.float", "builtins.bool", "builtins.NoneType",
    "numpy.ndarray", "numpy.dtype", "numpy.float64", "numpy.float32", "numpy.int64",
    "numpy.int32", "numpy.str_", "numpy.bool_",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
})


def file_types(path: Path) -> set[str]:
    """Every `module.Class` the skops file would instantiate."""
    try:
        with zipfile.ZipFile(path) as archive:
            schema = json.loads(archive.read("schema.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError) as err:
        raise StandoffError("not a readable skops file (corrupt or not written by standoff)",
                            file=str(path), hint="retrain the model") from err
    found: set[str] = set()
    _walk(schema, found)
    return found


def _walk(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        if "__module__" in node and "__class__" in node:
            found.add(f"{node['__module__']}.{node['__class__']}")
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)


def dump_safe(obj: Any, path: Path) -> None:
    """Write atomically; refuse to write what we would refuse to read."""
    path = Path(path)
    with atomic_path(path) as tmp:
        sio.dump(obj, tmp)
        unexpected = file_types(tmp) - ALLOWED_TYPES
        if unexpected:
            raise StandoffError(f"would store types outside the allow-list: {sorted(unexpected)}",
                                file=str(path), hint="add them to ALLOWED_TYPES after review")


def load_safe(path: Path) -> Any:
    path = Path(path)
    if not path.is_file():
        raise StandoffError("model file is missing", file=str(path), hint="retrain the model")
    types = file_types(path)
    unexpected = types - ALLOWED_TYPES
    if unexpected:
        raise StandoffError(
            f"refusing to load: the file names type(s) outside the allow-list: "
            f"{', '.join(sorted(unexpected))}", file=str(path),
            hint="only model files written by standoff are trusted; retrain the model")
    try:
        return sio.load(path, trusted=sorted(types))
    except Exception as err:  # skops raises many kinds on damaged archives
        raise StandoffError(f"cannot read the model file: {err}", file=str(path),
                            hint="the file is damaged; retrain the model") from err
