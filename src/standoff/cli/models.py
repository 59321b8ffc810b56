"""`standoff train|predict|train-curve` and `standoff models ...`."""

from __future__ import annotations

import typer

app = typer.Typer(help="List and alias trained model versions.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    """Add the top-level model commands (train, predict, train-curve) to the root app."""
