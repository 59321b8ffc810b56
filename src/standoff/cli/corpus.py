"""`standoff corpus ...`: build, validate, stats, import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from standoff.cli.common import console, handle_errors, project
from standoff.core.errors import ValidationErrors
from standoff.corpus.build import build_corpus, check_gold_files
from standoff.corpus.importers import IMPORTERS, import_corpus
from standoff.corpus.stats import corpus_stats
from standoff.corpus.store import Corpus
from standoff.corpus.validate import validate_corpus

app = typer.Typer(help="Build, validate, describe and import corpora.", no_args_is_help=True)


@app.command("build")
@handle_errors
def build_cmd(
    out: Annotated[Path | None, typer.Option(help="Output folder (default: corpus/)")] = None,
    hf: Annotated[bool, typer.Option(help="Also write the Hugging Face dataset (Arrow)")] = True,
) -> None:
    """Seeds + gold annotations -> corpus/ (JSONL + Arrow). A failed build changes nothing."""
    with console.status("building corpus"):
        result = build_corpus(project(), out, hf=hf)
    console.print(f"built {result.documents} documents into {result.out} "
                  f"(content hash {result.content_hash[:12]})")
    if result.unannotated:
        console.print(f"[yellow]{len(result.unannotated)} seed(s) without gold annotations "
                      f"left out:[/] {', '.join(result.unannotated[:10])}")


@app.command("validate")
@handle_errors
def validate_cmd(
    path: Annotated[Path | None, typer.Argument(help="Corpus folder (default: corpus/)")] = None,
) -> None:
    """Check schema, offsets, relation endpoints and actor codes. Exit 1 on any error."""
    paths = project()
    n, errors = validate_corpus(path or paths.corpus, paths.schema, paths.actors)
    if errors:
        raise ValidationErrors(errors)
    console.print(f"[green]valid:[/] {n} documents in {path or paths.corpus}")


@app.command("stats")
@handle_errors
def stats_cmd(
    path: Annotated[Path | None, typer.Argument(help="Corpus folder (default: corpus/)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Documents, sentences, tokens, actors, events per type, blame, stance, splits."""
    paths = project()
    corpus = Corpus.open(path or paths.corpus, paths.schema, paths.actors)
    stats = corpus_stats(corpus.documents())
    if as_json:
        typer.echo(json.dumps(stats, indent=2))
        return
    console.print(render_stats(stats))


def render_stats(stats: dict) -> Table:
    table = Table(title="corpus", show_header=True)
    table.add_column("layer")
    table.add_column("count", justify="right")
    for key in ("documents", "sentences", "tokens", "actors"):
        table.add_row(key, str(stats[key]))
    for group in ("events", "blame", "stance", "splits"):
        table.add_section()
        for name, n in stats[group].items():
            table.add_row(f"{group}.{name}", str(n))
    return table


@app.command("import")
@handle_errors
def import_cmd(
    path: Annotated[Path, typer.Argument(help="File or folder to import")],
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(IMPORTERS)}")],
    out: Annotated[Path, typer.Option(help="Output corpus folder")],
    hf: Annotated[bool, typer.Option(help="Also write the Arrow dataset")] = True,
) -> None:
    """Import text files, JSONL or PLOVER records into a validated corpus folder."""
    paths = project()
    with console.status(f"importing {path}"):
        n, _ = import_corpus(path, fmt, out, paths.schema, paths.actors, hf=hf)
    console.print(f"imported {n} documents into {out}")


@app.command("check")
@handle_errors
def check_cmd(
    files: Annotated[list[Path], typer.Argument(help="Gold files (annotation/gold/*.yaml)")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON stats")] = False,
) -> None:
    """Resolve and validate gold files without building, and print their stats."""
    docs = check_gold_files(project(), files)
    stats = corpus_stats(docs)
    if as_json:
        typer.echo(json.dumps(stats, indent=2))
    else:
        console.print(render_stats(stats))
        console.print(f"[green]valid:[/] {len(docs)} gold file(s)")
