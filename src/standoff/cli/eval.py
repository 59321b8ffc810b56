"""`standoff eval ...`: score predictions against gold and compare model versions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from standoff.cli.common import console, err_console, handle_errors, project
from standoff.core.errors import StandoffError

app = typer.Typer(help="Evaluate model versions and compare them.", no_args_is_help=True)

DataOpt = Annotated[str, typer.Option(
    "--data", help="Gold: test, dev, train, a corpus folder or JSONL, or plover:PATH")]
ResamplesOpt = Annotated[int, typer.Option(help="Bootstrap resamples (0: no intervals)")]
SeedOpt = Annotated[int, typer.Option(help="Seed of the resampling")]


def _headline(summary: dict) -> Table:
    from standoff.eval.tables import headline_rows, title

    table = Table(title=title(summary))
    for name in ("metric", "value", "95% CI", "support"):
        table.add_column(name, justify="left" if name == "metric" else "right")
    for row in headline_rows(summary):
        table.add_row(*row[:4])
    return table


def _warn(warnings: list[str]) -> None:
    for w in warnings:
        err_console.print(f"[yellow]warning:[/] {w}", highlight=False, soft_wrap=True)


@app.command("run")
@handle_errors
def run_cmd(
    target: Annotated[str, typer.Argument(
        help="TASK/VERSION (or TASK/ALIAS) of a trained model; or TASK with --predictions")],
    predictions: Annotated[Path | None, typer.Option(
        help="Predictions JSONL (corpus document format) instead of running a model")] = None,
    predictions_gold_actors: Annotated[Path | None, typer.Option(
        help="blame/stance: predictions made given gold actors (scored as a second setting)")
    ] = None,
    data: DataOpt = "test",
    out: Annotated[Path | None, typer.Option(
        help="Report folder (default eval/reports/TASK/VERSION[@DATA])")] = None,
    corpus: Annotated[Path | None, typer.Option(help="Corpus folder for splits")] = None,
    models_dir: Annotated[Path | None, typer.Option(help="Models folder")] = None,
    resamples: ResamplesOpt = 1000,
    seed: SeedOpt = 0,
    allow_missing: Annotated[bool, typer.Option(
        help="Score gold documents without a prediction as predicting nothing")] = False,
    allow_empty: Annotated[bool, typer.Option(
        help="Score predictions that hold nothing for this task")] = False,
    max_errors: Annotated[int, typer.Option(help="Errors listed per kind in reports")] = 100,
    workers: Annotated[int, typer.Option(
        help="Processes predicting for a model version (the model loaded once in each); "
             "with --predictions and a JSONL gold, processes parsing and scoring the "
             "documents (files in the same order; otherwise one process does it)")] = 1,
) -> None:
    """Score one model version or predictions file; write metrics.json and the reports."""
    from standoff.eval.runner import run_evaluation

    outcome = run_evaluation(
        target, predictions=predictions, gold_actor_predictions=predictions_gold_actors,
        data=data, out=out, paths=project(), corpus_dir=corpus, models_dir=models_dir,
        resamples=resamples, seed=seed, allow_missing=allow_missing, allow_empty=allow_empty,
        max_errors=max_errors, workers=workers)
    _warn(outcome.warnings)
    console.print(_headline(outcome.summary))
    console.print(f"report: {outcome.out / 'report.html'}")


@app.command("compare")
@handle_errors
def compare_cmd(
    versions: Annotated[list[str], typer.Argument(
        help="A B [C ...]: TASK/VERSION or report folders; A is the baseline")],
    data: DataOpt = "test",
    test: Annotated[str, typer.Option(help="bootstrap (paired) or randomization")] = "bootstrap",
    resamples: ResamplesOpt = 1000,
    seed: SeedOpt = 0,
    alpha: Annotated[float, typer.Option(help="Significance level")] = 0.05,
    fail_if_worse: Annotated[str | None, typer.Option(
        help="METRIC[:TOLERANCE] (or 'headline'): exit 1 if a version is significantly worse "
             "than A by more than TOLERANCE")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder (default eval/reports/compare)")
                   ] = None,
) -> None:
    """Versions side by side: differences, intervals, paired tests, fixed and broken items."""
    from standoff.eval.bootstrap import METHODS
    from standoff.eval.compare import compare_versions

    if test not in METHODS:
        raise StandoffError(f"unknown test {test!r}", field="--test",
                            hint=f"use one of {', '.join(METHODS)}")
    comparisons, failures = compare_versions(
        versions, project(), data=data, method=test, resamples=resamples, seed=seed,
        alpha=alpha, gate=fail_if_worse, out=out)
    for comp in comparisons:
        _warn(comp.warnings)
        table = Table(title=f"{comp.a.label} (A) vs {comp.b.label} (B), {comp.method}")
        for name in ("metric", "A", "B", "Δ", "95% CI of Δ", "p", "docs"):
            table.add_column(name, justify="left" if name == "metric" else "right")
        for key in comp.headline:
            r = comp.results.get(key)
            if r is not None:
                mark = "*" if r.significant(alpha) else ""
                table.add_row(key, f"{r.a:.3f}", f"{r.b:.3f}", f"{r.delta:+.3f}{mark}",
                              f"[{r.low:+.3f}, {r.high:+.3f}]", f"{r.p_value:.4f}",
                              str(r.documents))
        console.print(table)
        console.print(f"{len(comp.fixed)} error(s) fixed, {len(comp.broken)} new; "
                      f"report: {(out or project().reports / 'compare') / comp.name}.html")
    for failure in failures:
        err_console.print(f"[bold red]worse:[/] {failure}", highlight=False, soft_wrap=True)
    if failures:
        raise typer.Exit(1)


def _model_versions(models_dir: Path, tasks: list[str] | None) -> list[str]:
    refs = []
    for manifest in sorted(models_dir.glob("*/*/manifest.json")):
        task, version = manifest.parent.parent.name, manifest.parent.name
        if not version.startswith(".") and (not tasks or task in tasks):
            refs.append(f"{task}/{version}")
    return refs


@app.command("run-all")
@handle_errors
def run_all_cmd(
    data: DataOpt = "test",
    task: Annotated[list[str] | None, typer.Option(help="Only these tasks (repeatable)")] = None,
    models_dir: Annotated[Path | None, typer.Option(help="Models folder")] = None,
    resamples: ResamplesOpt = 1000,
    seed: SeedOpt = 0,
) -> None:
    """Evaluate every trained model version (models/TASK/VERSION) on the same data."""
    from standoff.eval.runner import run_evaluation

    paths = project()
    refs = _model_versions(models_dir or paths.models, task)
    if not refs:
        raise StandoffError("no trained models", file=str(models_dir or paths.models),
                            hint="run `standoff train all --model FAMILY` first")
    failed = []
    for ref in refs:
        try:
            outcome = run_evaluation(ref, data=data, paths=paths, models_dir=models_dir,
                                     resamples=resamples, seed=seed)
        except StandoffError as err:
            err_console.print(f"[bold red]error:[/] {ref}: {err}", highlight=False,
                              soft_wrap=True)
            failed.append(ref)
            continue
        _warn(outcome.warnings)
        key = outcome.summary["headline"][0]
        m = outcome.summary["metrics"][key]
        console.print(f"{ref}: {key} {m['value']:.3f} [{m['low']:.3f}, {m['high']:.3f}] "
                      f"-> {outcome.out}")
    if failed:
        raise StandoffError(f"{len(failed)} of {len(refs)} version(s) failed: "
                            f"{', '.join(failed)}")


@app.command("index")
@handle_errors
def index_cmd() -> None:
    """Write eval/reports/index.html: every task and version with its headline metrics."""
    from standoff.eval.index import write_index

    console.print(f"index: {write_index(project())}")


@app.command("compare-best")
@handle_errors
def compare_best_cmd(
    data: DataOpt = "test",
    test: Annotated[str, typer.Option(help="bootstrap (paired) or randomization")] = "bootstrap",
    resamples: ResamplesOpt = 1000,
    seed: SeedOpt = 0,
) -> None:
    """Per task, compare the best versions of the two best model families; refresh the index."""
    from standoff.eval.compare import compare_versions
    from standoff.eval.index import best_two_per_task, write_index

    paths = project()
    pairs = best_two_per_task(paths, data)
    if not pairs:
        console.print("[yellow]no task has two evaluated model families yet[/]")
    for task, (second, best) in pairs.items():
        comparisons, _ = compare_versions([str(second.path), str(best.path)], paths, data=data,
                                          method=test, resamples=resamples, seed=seed)
        for comp in comparisons:
            _warn(comp.warnings)
            key = comp.headline[0]
            r = comp.results[key]
            console.print(f"{task}: {comp.b.label} ({best.family}) vs {comp.a.label} "
                          f"({second.family}): {key} {r.delta:+.3f} "
                          f"[{r.low:+.3f}, {r.high:+.3f}], p={r.p_value:.4f}")
    console.print(f"index: {write_index(paths)}")
