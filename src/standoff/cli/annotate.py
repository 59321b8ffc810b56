"""`standoff annotate ...`: Label Studio config, serve, push, pull, agreement, adjudicate."""

from __future__ import annotations

import typer

app = typer.Typer(help="Label Studio round trip, agreement and adjudication.",
                  no_args_is_help=True)
