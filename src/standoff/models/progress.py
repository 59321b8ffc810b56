"""Training progress: components report stages and steps; the CLI shows them as a rich bar.

The library stays silent by default; `using(RichProgress(...))` turns display on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


class TrainingProgress:
    """The silent default."""

    def stage(self, name: str, total: float | None = None) -> None:
        """A new stage of training begins (e.g. 'events/spacy: spans')."""

    def update(self, completed: float) -> None:
        """How far the current stage is (in units of its total)."""


class RichTrainingProgress(TrainingProgress):
    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task_id = None

    def stage(self, name: str, total: float | None = None) -> None:
        if self.task_id is not None:  # finished stages make way: one bar per running stage
            self.progress.remove_task(self.task_id)
        self.task_id = self.progress.add_task(name, total=total or 1)

    def update(self, completed: float) -> None:
        if self.task_id is not None:
            self.progress.update(self.task_id, completed=completed)


_current: list[TrainingProgress] = [TrainingProgress()]


def current() -> TrainingProgress:
    return _current[-1]


@contextlib.contextmanager
def using(progress: TrainingProgress) -> Iterator[TrainingProgress]:
    _current.append(progress)
    try:
        yield progress
    finally:
        _current.pop()


def rich_bar(console=None) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn(
        "{task.percentage:>3.0f}%"), TimeElapsedColumn(), console=console, transient=False)
