"""What every command shares: error handling, the console, project paths."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from standoff.core.errors import StandoffError
from standoff.core.paths import ProjectPaths

console = Console()
err_console = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn a StandoffError into a one-paragraph message and exit code 1 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StandoffError as err:
            err_console.print(f"[bold red]error:[/] {err}", markup=True, highlight=False,
                              soft_wrap=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err_console.print("interrupted")
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def project() -> ProjectPaths:
    return ProjectPaths.default()
