"""Training a spaCy pipeline from a config file, quietly, with progress and a kept config.

The training data is written as DocBin files to a temp folder; spaCy's own loop trains,
evaluates on dev every `eval_frequency` steps and keeps the best checkpoint.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as train_loop
from thinc.api import Config

from standoff.core.errors import StandoffError
from standoff.models.families.spacy_speed import speed_up
from standoff.models.progress import current

CONFIG_DIR = Path(__file__).resolve().parents[1] / "configs"
_HISTORY: list[tuple[int, int, float]] = []  # (epoch, step, dev score) of the current run


@spacy.registry.loggers("standoff.ProgressLogger.v1")
def progress_logger():
    """A spaCy training logger that reports epochs to the current progress display."""

    def setup(nlp: Language, stdout: Any = None, stderr: Any = None):
        def log_step(info: dict | None) -> None:
            if info:
                current().update(float(info.get("epoch", 0)))
                _HISTORY.append((int(info.get("epoch", 0)), int(info.get("step", 0)),
                                 round(float(info.get("score") or 0.0), 4)))

        def finalize() -> None:
            pass

        return log_step, finalize

    return setup


def config_path(name: str | None, default: str) -> Path:
    path = Path(name) if name else CONFIG_DIR / default
    if not path.is_file():
        raise StandoffError("spaCy config file not found", file=str(path))
    return path


def train_pipeline(cfg_file: Path, train_docs: list[Doc], dev_docs: list[Doc],
                   overrides: dict[str, Any], stage: str) -> tuple[Language, dict[str, Any]]:
    """Train from `cfg_file` (with overrides); return the best checkpoint on dev."""
    if not dev_docs:
        dev_docs = train_docs  # nothing to select on: the loop still needs a dev set
    with tempfile.TemporaryDirectory(prefix="standoff-spacy-") as tmp:
        tmp_path = Path(tmp)
        DocBin(docs=train_docs, store_user_data=False).to_disk(tmp_path / "train.spacy")
        DocBin(docs=dev_docs, store_user_data=False).to_disk(tmp_path / "dev.spacy")
        paths = {"paths.train": str(tmp_path / "train.spacy"),
                 "paths.dev": str(tmp_path / "dev.spacy")}
        try:
            config = spacy.util.load_config(cfg_file, overrides={**overrides, **paths},
                                            interpolate=False)
            nlp = init_nlp(config, use_gpu=-1)
        except Exception as err:  # spaCy reports config problems with many error types
            raise StandoffError(f"cannot set up spaCy training: {err}", file=str(cfg_file),
                                hint="check the config and the --set overrides") from err
        speed_up(nlp)  # the ruler annotates every training batch
        current().stage(stage, total=float(config["training"]["max_epochs"] or 1))
        (tmp_path / "run").mkdir()
        _HISTORY.clear()
        quiet = io.StringIO()
        train_loop(nlp, tmp_path / "run", use_gpu=-1, stdout=quiet, stderr=quiet)
        best = spacy.load(tmp_path / "run" / "model-best")
        speed_up(best)
    scores = {k: round(v, 4) for k, v in (best.meta.get("performance") or {}).items()
              if isinstance(v, float)}
    return best, {"best_dev_scores": scores, "config": cfg_file.name,
                  "train_examples": len(train_docs), "dev_history": list(_HISTORY)}


def save_pipeline(nlp: Language, path: Path) -> None:
    nlp.to_disk(path)
    forget_paths(path / "config.cfg")


def forget_paths(cfg: Path) -> None:
    """The temp data paths mean nothing once training is over."""
    config = Config().from_disk(cfg, interpolate=False)
    for key in ("train", "dev"):
        config["paths"][key] = None
    config.to_disk(cfg)
