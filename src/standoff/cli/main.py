"""The `standoff` command: one sub-app per stage, each a thin wrapper over plain functions.

The sub-apps import what they wrap (label-studio-sdk, spaCy, pandas: ~2.5 s together), so
`standoff eval ...` run from a shell builds only the sub-app it names; `standoff --help`,
anything else, and every import from Python (tests, `from standoff.cli.main import app`
in a program) get the whole app.
"""

from __future__ import annotations

import importlib
import sys

import typer

SUBAPPS = ("corpus", "annotate", "models", "eval")
TOP_LEVEL = {"train": "models", "predict": "models", "train-curve": "models"}


def build_app(only: str | None = None) -> typer.Typer:
    """The command; with `only`, just that sub-app (or top-level command's module)."""
    app = typer.Typer(
        name="standoff",
        help="Annotated corpora, small classifiers and evaluation for conflict and diplomacy "
             "news.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    for name in SUBAPPS if only is None else (only,):
        module = importlib.import_module(f"standoff.cli.{name}")
        app.add_typer(module.app, name=name)
        if name == "models":
            module.register(app)
    return app


def _named_module(argv: list[str]) -> str | None:
    """The sub-app a shell command line names, when run as the `standoff` script."""
    if len(argv) < 3 or not argv[0].endswith("standoff"):  # a group needs a subcommand
        return None
    first = argv[1]
    return first if first in SUBAPPS else TOP_LEVEL.get(first)


def __getattr__(name: str) -> typer.Typer:
    # `from standoff.cli.main import app` (the console script's entry point) lands here
    if name == "app":
        app = build_app(_named_module(sys.argv))
        globals()["app"] = app
        return app
    raise AttributeError(name)


if __name__ == "__main__":
    build_app()()
