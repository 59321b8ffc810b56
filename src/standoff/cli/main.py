"""The `standoff` command: one sub-app per stage, each a thin wrapper over plain functions."""

from __future__ import annotations

import typer

from standoff.cli import annotate, corpus, eval, models

app = typer.Typer(
    name="standoff",
    help="Annotated corpora, small classifiers and evaluation for conflict and diplomacy news.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(corpus.app, name="corpus")
app.add_typer(annotate.app, name="annotate")
app.add_typer(models.app, name="models")
app.add_typer(eval.app, name="eval")
models.register(app)


if __name__ == "__main__":
    app()
