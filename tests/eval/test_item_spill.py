"""ItemSpill: items written as the worker processes render them (`render_items` then
`add_rendered`) give the file and shown errors that `add` gives in one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from standoff.eval.base import E2E
from standoff.eval.runner import TASKS
from standoff.eval.stream import ItemSpill, render_items
from standoff.eval.synthetic import perturb, replicate


@pytest.mark.parametrize("task", ["events", "actors", "blame"])
@pytest.mark.parametrize("limit", [0, 3, 1000])
def test_rendered_items_spill_like_items(gold_docs, tmp_path: Path, task: str,
                                         limit: int) -> None:
    scorer = TASKS[task]()
    docs = replicate(gold_docs, 40)
    scores = [scorer.score(d, {E2E: perturb(d, seed=5)}) for d in docs]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    direct, rendered = ItemSpill(tmp_path / "a", limit), ItemSpill(tmp_path / "b", limit)
    for ds in scores:
        direct.add(ds.items)
        rendered.add_rendered(render_items(ds.items))
    direct.write_jsonl(tmp_path / "a.jsonl")
    rendered.write_jsonl(tmp_path / "b.jsonl")
    assert sum(direct.error_counts.values()) > 3  # the predictions have mistakes
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert rendered.shown() == direct.shown()
    assert len(direct.shown()) <= limit * len(scorer.item_kinds)
    assert rendered.outcomes == direct.outcomes
    assert rendered.error_counts == direct.error_counts
