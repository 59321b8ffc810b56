"""`standoff train|predict|train-curve` and `standoff models list|alias|show`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from standoff.cli.common import console, handle_errors, project
from standoff.models.progress import RichTrainingProgress, rich_bar, using

app = typer.Typer(help="List and alias trained model versions.", no_args_is_help=True)

CorpusOpt = Annotated[Path | None, typer.Option("--corpus", help="Corpus folder (default: "
                                                "corpus/)")]
SetOpt = Annotated[list[str] | None, typer.Option(
    "--set", help="Config override key.sub=value (repeatable), e.g. training.max_epochs=5")]
ConfigOpt = Annotated[Path | None, typer.Option(help="YAML config merged over the family's "
                                                "defaults")]


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def train_cmd(
    task: Annotated[str, typer.Argument(help="events, actors, blame, stance, a comma list, "
                                        "or all")],
    model: Annotated[str, typer.Option("--model", "-m", help="Family: rules, sklearn, spacy, "
                                       "a comma list, or all")],
    version: Annotated[str | None, typer.Option(help="Version name (default <family>-<n>)")]
    = None,
    config: ConfigOpt = None,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    overrides: SetOpt = None,
    corpus: CorpusOpt = None,
    fraction: Annotated[float, typer.Option(help="Train on this share of the train split")]
    = 1.0,
    retrain: Annotated[bool, typer.Option(
        help="Train even when a model from the same code, data, config and seed exists")]
    = False,
    jobs: Annotated[int, typer.Option(help="Models trained at once, in separate processes")]
    = 1,
) -> None:
    """Train on the corpus train split, select on dev, write models/TASK/VERSION/.

    Without --version, a model identical in code, data, config and seed is reused (training
    is deterministic), so re-running `make run` retrains only what changed."""
    from standoff.models.registry import DEFAULT_FAMILIES, family_names
    from standoff.models.tasks import TASK_NAMES
    from standoff.models.training import expand, train_many

    paths = project()
    count = len(expand(task, TASK_NAMES, "task")) * len(
        expand(model, family_names(), "family", DEFAULT_FAMILIES))
    table = Table(title="trained models")
    for col in ("model", "family", "dev headline", "value", "seconds"):
        table.add_column(col, justify="right" if col in ("value", "seconds") else "left")
    with rich_bar(console) as bar, using(RichTrainingProgress(bar)):
        overall = bar.add_task(f"{count} model(s)", total=count)

        def done(r) -> None:
            verb = "[cyan]up to date[/]" if r.reused else "[green]trained[/]"
            bar.console.print(f"{verb} {r.task}/{r.version}: {r.headline} = {_fmt(r.value)} "
                              f"({r.seconds:.1f} s) -> {r.path}")
            bar.advance(overall)
            table.add_row(f"{r.task}/{r.version}", r.family, r.headline or "", _fmt(r.value),
                          f"{r.seconds:.1f}")

        results = train_many(task, model, corpus or paths.corpus, paths.models, version, config,
                             overrides, seed, fraction, on_done=done, reuse=not retrain,
                             jobs=jobs)
    if len(results) > 1:
        console.print(table)


def predict_cmd(
    model: Annotated[str, typer.Argument(help="TASK/VERSION or TASK/ALIAS")],
    source: Annotated[str, typer.Argument(metavar="INPUT", help="Text file, folder, JSONL, or "
                                          "train/dev/test of the corpus")],
    out: Annotated[Path | None, typer.Option(help="Output JSONL (default predictions/"
                                             "TASK-VERSION-INPUT.jsonl)")] = None,
    batch_size: Annotated[int, typer.Option(help="Documents per batch (spaCy nlp.pipe "
                                            "batch; also the unit sent to a worker)")] = 64,
    gold_mentions: Annotated[bool, typer.Option(
        help="Keep the input's gold ACTOR/EVENT spans and predict relations over them")]
    = False,
    corpus: CorpusOpt = None,
    workers: Annotated[int | None, typer.Option(
        help="Processes on this machine (local, default 1), or the workers of a local Dask "
             "cluster (default one per core)")] = None,
    engine: Annotated[str, typer.Option(help="local or dask")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address, e.g. tcp://HOST:8786 (default: a LocalCluster on "
             "127.0.0.1)")] = None,
    shard_size: Annotated[int | None, typer.Option(
        help="Documents per output shard when --out is a folder [default: 1000]")] = None,
    resume: Annotated[bool, typer.Option(help="Continue a killed run into the same --out "
                                         "folder, skipping finished shards")] = False,
    on_error: Annotated[str, typer.Option(help="A malformed input record: skip (reported "
                                          "with file:line) or stop")] = "stop",
) -> None:
    """Predict with a trained model; writes documents in the corpus format, atomically.

    --out DIR writes shards and a manifest (resumable); --out FILE.jsonl one file. Input
    may also be .jsonl.gz, Parquet, a saved HF dataset, or an fsspec URL."""
    from standoff.models.predict import predict_to_file
    from standoff.models.scale import ScaleOptions, default_workers, predict_command, uses_scale

    workers = default_workers(engine) if workers is None else workers
    opts = ScaleOptions(batch_size, workers, engine, scheduler, shard_size or 1000, resume,
                        on_error, gold_mentions)
    if uses_scale(source, out, opts, shard_size is not None):
        predict_command(model, source, out, opts, project(), corpus, console)
        return
    summary = predict_to_file(model, source, out, batch_size, gold_mentions, project(),
                              corpus_dir=corpus, console=console)
    console.print(f"{summary.model}: {summary.documents} documents, {summary.spans} spans, "
                  f"{summary.relations} relations -> {summary.out}")


def curve_cmd(
    task: Annotated[str, typer.Argument(help="events, actors, blame or stance")],
    model: Annotated[str, typer.Option("--model", "-m", help="Family")],
    fractions: Annotated[str, typer.Option(help="Comma list of train shares")]
    = "0.25,0.5,0.75,1.0",
    out: Annotated[Path | None, typer.Option(help="PNG path (default models/TASK/curves/"
                                             "FAMILY.png)")] = None,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    config: ConfigOpt = None,
    overrides: SetOpt = None,
    corpus: CorpusOpt = None,
) -> None:
    """Train on 25/50/75/100% of the train split; print and plot the dev metric."""
    from standoff.core.errors import StandoffError
    from standoff.models.training import save_curve, train_curve

    try:
        shares = tuple(float(f) for f in fractions.split(","))
    except ValueError as err:
        raise StandoffError(f"--fractions {fractions!r} must be numbers like 0.25,0.5") from err
    paths = project()
    with rich_bar(console) as bar, using(RichTrainingProgress(bar)):
        rows = train_curve(task, model, corpus or paths.corpus, shares, seed, config, overrides)
    table = Table(title=f"learning curve: {task} / {model}")
    for col in ("fraction", "train docs", rows[0]["metric"] if rows else "metric", "seconds"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(f"{r['fraction']:.0%}", str(r["train_documents"]), _fmt(r["value"]),
                      f"{r['seconds']:.1f}")
    console.print(table)
    png = save_curve(rows, out or paths.models / task / "curves" / f"{model}.png",
                     f"{task} / {model}: dev {rows[0]['metric']}")
    console.print(f"plot: {png} (numbers: {png.with_suffix('.json')})")


@app.command("list")
@handle_errors
def list_cmd(
    task: Annotated[str | None, typer.Option(help="Only this task")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Versions per task with family, date, data hash and the headline dev metric."""
    from standoff.models.store import list_models

    rows = list_models(project().models, task)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title="models", box=box.SIMPLE_HEAD)
    table.add_column("model", no_wrap=True)
    for col in ("family", "created", "data", "dev metric", "value", "aliases"):
        table.add_column(col, overflow="fold", no_wrap=col in ("value", "created"),
                         justify="right" if col == "value" else "left")
    for r in rows:
        if "error" in r:
            table.add_row(f"{r['task']}/{r['version']}", "[red]broken[/]", r["error"][:60],
                          "", "", "", "")
            continue
        table.add_row(f"{r['task']}/{r['version']}", r["family"], r["created"][:10],
                      r["corpus_hash"][:8], r["headline"] or "", _fmt(r["value"]),
                      ", ".join(r["aliases"]))
    console.print(table if rows else "no trained models yet: try `standoff train all -m all`")


@app.command("alias")
@handle_errors
def alias_cmd(
    model: Annotated[str, typer.Argument(help="TASK/VERSION")],
    name: Annotated[str, typer.Argument(help="Alias, e.g. champion")],
) -> None:
    """Point TASK/NAME at a version (for example `champion`)."""
    from standoff.models.store import resolve_ref, set_alias

    paths = project()
    task, version, _ = resolve_ref(model, paths.models)
    set_alias(paths.models, task, version, name)
    console.print(f"{task}/{name} -> {task}/{version}")


@app.command("show")
@handle_errors
def show_cmd(model: Annotated[str, typer.Argument(help="TASK/VERSION or TASK/ALIAS")]) -> None:
    """Print a model's card (its README.md)."""
    from standoff.models.store import CARD, read_manifest, resolve_ref

    _, _, path = resolve_ref(model, project().models)
    read_manifest(path)
    console.print((path / CARD).read_text(encoding="utf-8"), markup=False, highlight=False)


def register(root: typer.Typer) -> None:
    """Add the top-level model commands (train, predict, train-curve) to the root app."""
    root.command("train")(handle_errors(train_cmd))
    root.command("predict")(handle_errors(predict_cmd))
    root.command("train-curve")(handle_errors(curve_cmd))
