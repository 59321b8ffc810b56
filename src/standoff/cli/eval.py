"""`standoff eval ...`: score predictions against gold and compare model versions."""

from __future__ import annotations

import typer

app = typer.Typer(help="Evaluate model versions and compare them.", no_args_is_help=True)
