"""Prediction and evaluation at scale: throughput, peak memory, evaluation time, Dask.

Builds synthetic archives of N documents from the corpus (its documents cycled under new
ids), trains the default models (or reuses those in --models), and prints one table:

- words/s per task and family on a sample of the archive, with the ratio to the floor
  measured in the same run (spaCy's blank English tokenizer + sentencizer over the same
  texts: as fast as any pipeline over these documents can go);
- peak RSS of `standoff predict` (sharded output) and of `standoff eval run` per archive
  size, each size in its own process (ru_maxrss);
- evaluation seconds per size (events, predictions = the gold with seeded mistakes);
- one process vs --workers 2 vs local Dask with 1 and 2 workers, for the events spaCy
  and scikit-learn models on an archive of --engines-docs documents: total time (start-up
  included), time to the first predicted document (start-up plus one batch of 64), the
  rate after it, and whether the output equals one process's byte for byte.

    .venv/bin/python bench/bench_scale.py [--corpus corpus] [--sizes 1000 10000] [--big]
        [--families rules,sklearn,spacy] [--sample 200] [--engines-docs 1000]
        [--parts throughput,sizes,engines] [--models bench/.models]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from standoff.core.io import read_documents, write_jsonl_atomic
from standoff.core.model import Document
from standoff.core.records import input_view

TASKS = ("events", "actors", "blame", "stance")
FAST = {"spacy": ["training.max_epochs=4"]}  # speed is measured, not accuracy
RSS_MODEL = ("actors", "rules")  # the fastest model: the memory runs stay short


def archive_records(docs: list[Document], n: int) -> list[dict]:
    return [{"id": f"{docs[i % len(docs)].id}~{i}", "text": docs[i % len(docs)].text,
             "meta": docs[i % len(docs)].meta} for i in range(n)]


def write_archives(docs: list[Document], sizes: list[int], work: Path) -> None:
    from standoff.eval.synthetic import perturb, replicate

    for n in sizes:
        write_jsonl_atomic(work / f"archive-{n}.jsonl", archive_records(docs, n))
        gold = replicate(docs, n)
        write_jsonl_atomic(work / f"gold-{n}.jsonl", gold)
        write_jsonl_atomic(work / f"preds-{n}.jsonl", (perturb(d, seed=1) for d in gold))


def ensure_models(corpus: Path, models: Path, families: list[str],
                  tasks: tuple[str, ...] = TASKS) -> dict[tuple[str, str], str]:
    from standoff.models.api import train_model
    from standoff.models.store import read_aliases

    refs = {}
    for task in tasks:
        for family in families:
            if family not in read_aliases(models, task):
                train_model(task, family, corpus, models, overrides=FAST.get(family))
            refs[task, family] = f"{task}/{family}"
    return refs


def floor_words_per_second(texts: list[str]) -> tuple[float, int]:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    start = time.perf_counter()
    words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
    return words / (time.perf_counter() - start), words


def throughput(ref: str, models: Path, docs: list[Document], words: int) -> float:
    from standoff.models.api import load_model

    model = load_model(ref, models)
    start = time.perf_counter()
    for _ in model.predict(docs, batch_size=64):
        pass
    return words / (time.perf_counter() - start)


def child(args: list[str]) -> dict:
    """Run `--child KIND ...` in a fresh process; return its JSON line."""
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, check=False, env={**os.environ})
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_child(kind: str, rest: list[str]) -> None:
    from standoff.eval.runner import run_evaluation
    from standoff.models.scale import ScaleOptions, predict_scaled

    start = time.perf_counter()
    if kind == "predict":
        ref, models, archive, out = rest
        from standoff.core.paths import ProjectPaths

        summary = predict_scaled(ref, archive, Path(out), ScaleOptions(batch_size=64),
                                 ProjectPaths.default(), models_dir=Path(models),
                                 console=Console(file=open(os.devnull, "w")))  # noqa: SIM115
        done = summary.documents
    else:
        gold, preds, out = rest
        outcome = run_evaluation("events", predictions=Path(preds), data=gold, out=Path(out),
                                 progress=False)
        done = outcome.summary["data"]["documents"]
    print(json.dumps({"seconds": time.perf_counter() - start, "documents": done,
                      "maxrss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's peak RSS. Not ru_maxrss: Linux carries it over from the parent
    across fork+exec, so a child of a big parent would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# One process runs first and again last: other load on the machine drifts during a run,
# and the two baseline times show by how much (the ratios use their mean).
ENGINE_RUNS = (("one process", {}), ("--workers 2", {"workers": 2}),
               ("dask, 1 worker", {"engine": "dask", "workers": 1}),
               ("dask, 2 workers", {"engine": "dask", "workers": 2}),
               ("one process, again", {}))


def engines(refs: list[str], models: Path, archive: Path, words: int, work: Path
            ) -> list[dict]:
    """Each model under each engine on the same archive: total seconds, seconds to the
    first predicted document (start-up: processes or cluster, imports, model loads, one
    batch), and whether the output equals one process's, byte for byte."""
    from standoff.core.io import sha256_file
    from standoff.core.paths import ProjectPaths
    from standoff.models.scale import ScaleOptions, predict_scaled

    rows = []
    quiet = Console(file=open(os.devnull, "w"))  # noqa: SIM115
    for ref in refs:
        reference = None
        for name, options in ENGINE_RUNS:
            out = work / f"engine-{len(rows)}.jsonl"
            start = time.perf_counter()
            summary = predict_scaled(ref, str(archive), out, ScaleOptions(**options),
                                     ProjectPaths.default(), models_dir=models, console=quiet)
            seconds = time.perf_counter() - start
            digest = sha256_file(out)
            reference = reference or digest
            rows.append({"model": ref, "engine": name, "seconds": seconds,
                         "first": summary.first_output_seconds or 0.0,
                         "documents": summary.documents, "words": words,
                         "same_output": digest == reference})
            out.unlink()
    return rows


def engine_refs(refs: dict[tuple[str, str], str], task: str = "events") -> list[str]:
    """The spaCy and the scikit-learn model of `task` (the families the engines are for)."""
    return [refs[task, f] for f in ("spacy", "sklearn") if (task, f) in refs] or \
        [next(iter(refs.values()))]


PARTS = ("throughput", "sizes", "engines")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--big", action="store_true", help="also 100,000 documents (long)")
    parser.add_argument("--predict-max", type=int, default=10_000,
                        help="archive sizes above this are evaluated only (prediction of "
                             "100k documents takes about an hour per model on 2 cores)")
    parser.add_argument("--families", default="rules,sklearn,spacy")
    parser.add_argument("--sample", type=int, default=200, help="documents per speed run")
    parser.add_argument("--engines-docs", type=int, default=1000,
                        help="documents per engines run (one process, --workers 2, Dask with "
                             "1 and 2 workers; about 8 minutes for events/spacy and "
                             "events/sklearn on 2 idle cores)")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help="which parts to run, of " + ",".join(PARTS))
    parser.add_argument("--models", type=Path, default=Path("bench/.models"))
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.child:
        run_child(args.child[0], args.child[1:])
        return
    console = Console()
    parts = set(args.parts.split(","))
    if parts - set(PARTS):
        raise SystemExit(f"unknown --parts {sorted(parts - set(PARTS))}; use {PARTS}")
    sizes = sorted(set(args.sizes + ([100_000] if args.big else [])))
    docs = read_documents(args.corpus / "documents.jsonl")
    args.models.mkdir(parents=True, exist_ok=True)
    (args.models / ".gitignore").write_text("*\n")  # trained here, never committed
    tasks = TASKS if parts & {"throughput", "sizes"} else ("events",)
    refs = ensure_models(args.corpus, args.models, args.families.split(","), tasks)
    console.print(f"[dim]models ready in {args.models}[/]")
    results: dict = {"sizes": sizes, "sample": args.sample, "engines_docs": args.engines_docs}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        sample = [input_view(Document.model_validate(r)) for r in
                  archive_records(docs, args.sample)]
        results["floor"], results["words"] = floor_words_per_second([d.text for d in sample])
        if "throughput" in parts:
            results["throughput"] = {f"{t}/{f}": throughput(ref, args.models, sample,
                                                            results["words"])
                                     for (t, f), ref in refs.items()}
            console.print("[dim]throughput measured[/]")
        if "sizes" in parts:
            results["sizes_runs"] = size_runs(docs, sizes, refs, args, work, console)
        if "engines" in parts:
            results["engines"] = engine_part(docs, refs, args, work, console)
    console.print(render(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")


def size_runs(docs: list[Document], sizes: list[int], refs: dict, args: argparse.Namespace,
              work: Path, console: Console) -> dict:
    write_archives(docs, sizes, work)
    memory = {}
    for n in sizes:
        ref = refs.get(RSS_MODEL) or next(iter(refs.values()))
        pred = child(["predict", ref, str(args.models), str(work / f"archive-{n}.jsonl"),
                      str(work / f"out-{n}")]) if n <= args.predict_max else None
        ev = child(["eval", str(work / f"gold-{n}.jsonl"), str(work / f"preds-{n}.jsonl"),
                    str(work / f"report-{n}")])
        memory[n] = {"predict": pred, "eval": ev}
        console.print(f"[dim]{n} documents: predict and eval done[/]")
    return memory


def engine_part(docs: list[Document], refs: dict, args: argparse.Namespace, work: Path,
                console: Console) -> list[dict]:
    archive = [input_view(Document.model_validate(r))
               for r in archive_records(docs, args.engines_docs)]
    write_jsonl_atomic(work / "engines.jsonl", archive)
    _, words = floor_words_per_second([d.text for d in archive])  # the same word count
    rows = engines(engine_refs(refs), args.models, work / "engines.jsonl", words, work)
    console.print("[dim]engines measured[/]")
    return rows


def render(r: dict) -> Table:
    table = Table(title=f"standoff at scale ({os.cpu_count()} cores)")
    for col in ("measure", "value", "ratio / note"):
        table.add_column(col, justify="left" if col == "measure" else "right")
    table.add_row(f"floor: blank en tokenizer + sentencizer ({r['words']} words)",
                  f"{r['floor']:,.0f} w/s", "1.00")
    for ref, wps in r.get("throughput", {}).items():
        table.add_row(f"predict {ref}", f"{wps:,.0f} w/s", f"{wps / r['floor']:.3f}")
    for n, run in r.get("sizes_runs", {}).items():
        p, e = run["predict"], run["eval"]
        if p is not None:
            table.add_row(f"{n:,} docs: predict {RSS_MODEL[0]}/{RSS_MODEL[1]}, sharded",
                          f"{p['maxrss_mb']:.0f} MB peak", f"{p['seconds']:.1f} s")
        table.add_row(f"{n:,} docs: eval run events", f"{e['maxrss_mb']:.0f} MB peak",
                      f"{e['seconds']:.1f} s")
    base: dict[str, list[float]] = {}
    for row in r.get("engines", []):
        if row["engine"].startswith("one process"):
            base.setdefault(row["model"], []).append(row["seconds"])
    for row in r.get("engines", []):
        mean_base = sum(base[row["model"]]) / len(base[row["model"]])
        rest = row["documents"] - 64  # the first batch came back at `first`
        steady = f"{rest / max(row['seconds'] - row['first'], 1e-9):.1f}" if rest > 0 else "-"
        table.add_row(f"{row['model']} on {row['documents']:,} docs: {row['engine']}",
                      f"{row['seconds']:.1f} s ({row['words'] / row['seconds']:,.0f} w/s)",
                      f"{mean_base / row['seconds']:.2f}x; first doc at "
                      f"{row['first']:.1f} s, then {steady} docs/s"
                      + ("" if row["same_output"] else "; OUTPUT DIFFERS"))
    return table


if __name__ == "__main__":
    main()
