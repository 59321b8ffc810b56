"""`standoff annotate ...`: Label Studio config, serve, push, pull, agreement, adjudicate."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from standoff.annotation import adjudicate as adj
from standoff.annotation.agreement import agreement
from standoff.annotation.labelstudio.client import LabelStudioClient, resolve_connection
from standoff.annotation.labelstudio.config import write_config
from standoff.annotation.labelstudio.local import LocalServer, state_dir
from standoff.annotation.labelstudio.pull import fetch, pull
from standoff.annotation.labelstudio.push import ORDERS, push
from standoff.annotation.labelstudio.server import stop_server
from standoff.annotation.sets import load_folder, source_name
from standoff.cli import annotate_io as io
from standoff.cli.annotate_view import (
    render_adjudication,
    render_agreement,
    render_pull,
    render_push,
)
from standoff.cli.common import console, handle_errors, project
from standoff.core.errors import StandoffError
from standoff.core.schema import Schema

app = typer.Typer(help="Label Studio round trip, agreement and adjudication.",
                  no_args_is_help=True)

ProjectOpt = Annotated[str, typer.Option("--project", help="Label Studio project title")]
DocsOpt = Annotated[str, typer.Option(
    "--documents", help="all, a split (train/dev/test), ids or globs joined by commas, "
                        "or @FILE with one id per line")]


def config_path() -> Path:
    return project().annotation / "labelstudio" / "config.xml"


@app.command("config")
@handle_errors
def config_cmd(
    check: Annotated[bool, typer.Option(help="Only check that the file is up to date")] = False,
) -> None:
    """Write the labeling config generated from annotation/schema.yaml."""
    from standoff.annotation.labelstudio.config import generate_config

    schema = Schema.load(project().schema)
    path = config_path()
    if check:
        if not path.exists() or path.read_text(encoding="utf-8") != generate_config(schema):
            raise StandoffError("the labeling config is out of date", file=str(path),
                                hint="run `standoff annotate config`")
        console.print(f"[green]up to date:[/] {path}")
        return
    changed = write_config(schema, path)
    console.print(f"{'wrote' if changed else 'unchanged:'} {path}")


@app.command("serve")
@handle_errors
def serve_cmd(
    port: Annotated[int | None, typer.Option(help="Port on 127.0.0.1 (default: a free one)")]
    = None,
    data_dir: Annotated[Path | None, typer.Option(help="Data dir (default .labelstudio/data)")]
    = None,
    detach: Annotated[bool, typer.Option(help="Return once it runs; stop with `stop`")] = False,
) -> None:
    """Start a local Label Studio (installed on first use) with a known admin and token."""
    local = LocalServer.at(project().root, data_dir)
    with console.status("installing label-studio into .venv-labelstudio if missing (once, "
                        "1-2 min); preparing the data dir (first time about 40 s)"):
        server = local.start(port)
    console.print(f"Label Studio runs at [bold]{server.url}[/] (pid {server.pid})")
    console.print(f"admin login, password and API token: {local.credentials_path} "
                  f"(load them with `set -a; . {local.credentials_path}; set +a`)")
    if detach:
        console.print("stop it with `standoff annotate stop`")
        return
    console.print("press Ctrl-C to stop")
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        console.print("stopping")
    finally:
        stop_server(server.pid)
        local.pid_path.unlink(missing_ok=True)


@app.command("stop")
@handle_errors
def stop_cmd() -> None:
    """Stop the server started by `standoff annotate serve --detach`."""
    pid = LocalServer.at(project().root).stop()
    console.print(f"stopped pid {pid}" if pid else "no server was running")


def client() -> LabelStudioClient:
    return LabelStudioClient(resolve_connection(state_dir(project().root)))


@app.command("push")
@handle_errors
def push_cmd(
    project_name: ProjectOpt,
    documents: DocsOpt = "all",
    corpus: Annotated[Path | None, typer.Option(help="Corpus folder (default corpus/)")] = None,
    gold: Annotated[bool, typer.Option(help="Also push gold annotations as annotations")]
    = False,
    predictions: Annotated[str | None, typer.Option(
        help="Pre-annotations: a predictions JSONL file, or a model version TASK/VERSION "
             "to run now")] = None,
    order: Annotated[str | None, typer.Option(
        help=f"Task order from the predictions: {', '.join(ORDERS)}")] = None,
) -> None:
    """Create or update a project: one task per document, optionally with pre-annotations."""
    paths = project()
    docs, schema, actors = io.corpus_documents(paths, corpus, documents)
    preds, pred_texts = io.load_predictions(paths, predictions, docs) if predictions else ({}, {})
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("pushing", total=len(docs))
        report = push(client(), project_name, docs, schema, actors, gold=gold,
                      predictions=preds or None, prediction_texts=pred_texts,
                      order=order,
                      progress=lambda done, total: bar.update(task, completed=done))
    render_push(report)


@app.command("pull")
@handle_errors
def pull_cmd(
    project_name: ProjectOpt,
    out: Annotated[Path | None, typer.Option(help="Default annotation/annotators")] = None,
) -> None:
    """Export every annotation, validate it, write annotation/annotators/<name>/<doc>.yaml."""
    paths = project()
    schema, actors = io.schema_and_actors(paths)
    with console.status(f"pulling {project_name!r}"):
        report = pull(client(), project_name, schema, actors,
                      out or paths.annotation / "annotators", paths.gold, io.seed_texts(paths))
    render_pull(report)


@app.command("agreement")
@handle_errors
def agreement_cmd(
    sources: Annotated[list[str] | None, typer.Argument(
        help="Two or more annotation folders (annotation/gold, annotation/annotators/NAME) "
             "or annotator names")] = None,
    project_name: Annotated[str | None, typer.Option(
        "--project", help="Compare the annotators of a Label Studio project instead")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Agreement per layer: alpha, span F1 (exact/overlap), relation F1, attributes."""
    paths = project()
    schema, actors = io.schema_and_actors(paths)
    if project_name:
        pulled = io.sets_by_annotator(fetch(client(), project_name, schema, actors))
        texts = {d: s.text for items in pulled.values() for d, s in items.items()}
        sets = {n: {d: s.annotation for d, s in items.items()} for n, items in pulled.items()}
        left_out = None
    else:
        sets, texts, left_out = io.folder_sets(paths, sources or [])
    if len(sets) < 2:
        raise StandoffError(f"agreement needs two or more annotators, found {len(sets)}",
                            hint="pass two folders, e.g. annotation/gold "
                                 "annotation/annotators/second")
    docs = io.documents_for(paths, texts, {d for s in sets.values() for d in s})
    result = agreement(sets, docs, schema)
    if left_out is not None:
        result["left_out"] = left_out
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        render_agreement(result)


@app.command("adjudicate")
@handle_errors
def adjudicate_cmd(
    sources: Annotated[list[str], typer.Argument(help="Annotation folders or annotator names")],
    strategy: Annotated[str, typer.Option(help="majority, or prefer (the --prefer "
                                               "annotator decides every conflict)")]
    = "majority",
    prefer: Annotated[str | None, typer.Option(help="The adjudicator: decides ties "
                                                    "(majority) or every conflict (prefer)")]
    = None,
    decisions: Annotated[Path | None, typer.Option(help="YAML: conflict id -> keep | drop")]
    = None,
    out: Annotated[Path | None, typer.Option(help="Default annotation/adjudicated; "
                                                  "annotation/gold only when given")] = None,
    dry_run: Annotated[bool, typer.Option(help="List conflicts, write nothing")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Merge several annotators' sets: agreed items pass, conflicts are decided or listed."""
    paths = project()
    schema, actors = io.schema_and_actors(paths)
    texts = io.seed_texts(paths)
    sets = {source_name(f): load_folder(f, texts) for f in io.source_folders(paths, sources)}
    result = adj.adjudicate(sets, texts, strategy, prefer, io.load_decisions(decisions))
    out = out or paths.annotation / "adjudicated"
    written: list[tuple[str, str]] = []
    if not result.undecided:
        adj.validate_merged(result, texts, schema, actors)
        if not dry_run:
            written = adj.write_documents(result, texts, out, io.annotator_for(out, paths))
    render_adjudication(result, written, out, as_json)
    if result.undecided:
        raise StandoffError(f"{len(result.undecided)} conflict(s) undecided; nothing written",
                            hint="decide them in a --decisions file (id: keep|drop), or pass "
                                 "--prefer NAME")
