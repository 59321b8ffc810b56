"""Talking to a Label Studio server through label-studio-sdk, with errors a user can act on.

The address and token come from LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY, or from the
credentials file that `standoff annotate serve` writes. The token is never printed,
logged or put in an error message.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from standoff.annotation.labelstudio.server import read_env_file
from standoff.core.errors import StandoffError

CREDENTIALS_ENV = "STANDOFF_LABEL_STUDIO_CONFIG"


@dataclass(frozen=True)
class Connection:
    url: str
    token: str
    source: str  # where the settings came from, for messages (never the token itself)

    def __repr__(self) -> str:  # keep the token out of tracebacks and debug output
        return f"Connection(url={self.url!r}, source={self.source!r})"


def credentials_file(state_dir: Path) -> Path:
    return Path(os.environ.get(CREDENTIALS_ENV) or Path(state_dir) / "credentials.env")


def resolve_connection(state_dir: Path) -> Connection:
    """Environment first, then the credentials file of `standoff annotate serve`."""
    path = credentials_file(state_dir)
    saved = read_env_file(path)
    url = os.environ.get("LABEL_STUDIO_URL") or saved.get("LABEL_STUDIO_URL")
    token = os.environ.get("LABEL_STUDIO_API_KEY") or saved.get("LABEL_STUDIO_API_KEY")
    if not url or not token:
        raise StandoffError(
            "no Label Studio server configured",
            hint=f"run `standoff annotate serve`, or set LABEL_STUDIO_URL and "
                 f"LABEL_STUDIO_API_KEY (or write them to {path})")
    source = "environment" if os.environ.get("LABEL_STUDIO_API_KEY") else str(path)
    return Connection(url.rstrip("/"), token, source)


def _body(err: ApiError) -> str:
    body = err.body
    if isinstance(body, dict):
        body = body.get("validation_errors") or body.get("detail") or body
    return str(body)[:300]


@contextlib.contextmanager
def api_errors(conn: Connection, doing: str) -> Iterator[None]:
    """Turn transport and HTTP errors into StandoffErrors that name the server, not the token."""
    try:
        yield
    except httpx.TransportError as err:
        raise StandoffError(f"cannot reach Label Studio at {conn.url} while {doing}: "
                            f"{type(err).__name__}",
                            hint="start it with `standoff annotate serve` or check "
                                 "LABEL_STUDIO_URL") from None
    except ApiError as err:
        if err.status_code in (401, 403):
            raise StandoffError(f"Label Studio at {conn.url} rejected the API token "
                                f"(HTTP {err.status_code}) while {doing}",
                                hint=f"check LABEL_STUDIO_API_KEY (read from {conn.source}); "
                                     "the token itself is not shown") from None
        raise StandoffError(f"Label Studio answered HTTP {err.status_code} while {doing}: "
                            f"{_body(err)}") from None


class LabelStudioClient:
    """The few server operations standoff needs."""

    def __init__(self, conn: Connection, timeout: float = 120.0) -> None:
        self.conn = conn
        self.sdk = LabelStudio(base_url=conn.url, api_key=conn.token, timeout=timeout)

    def whoami(self) -> int:
        with api_errors(self.conn, "checking the token"):
            return int(self.sdk.users.whoami().id)

    def find_project(self, title: str) -> Any | None:
        with api_errors(self.conn, f"looking up project {title!r}"):
            matches = [p for p in self.sdk.projects.list(title=title) if p.title == title]
        if len(matches) > 1:
            raise StandoffError(f"{len(matches)} projects are named {title!r}",
                                hint="rename all but one in Label Studio")
        return matches[0] if matches else None

    def project_titles(self) -> list[str]:
        with api_errors(self.conn, "listing projects"):
            return [p.title for p in self.sdk.projects.list()]

    def get_project(self, title: str) -> Any:
        project = self.find_project(title)
        if project is None:
            known = ", ".join(repr(t) for t in self.project_titles()) or "none"
            raise StandoffError(f"no project named {title!r} on {self.conn.url}",
                                hint=f"projects there: {known}; push creates one")
        with api_errors(self.conn, f"reading project {title!r}"):
            return self.sdk.projects.get(project.id)

    def create_project(self, title: str, config: str) -> Any:
        with api_errors(self.conn, f"creating project {title!r}"):
            return self.sdk.projects.create(title=title, label_config=config)

    def update_project(self, project_id: int, **fields: Any) -> Any:
        with api_errors(self.conn, "updating the project settings"):
            return self.sdk.projects.update(project_id, **fields)

    def tasks(self, project_id: int) -> Iterator[Any]:
        """Every task with its annotations and predictions in full (paginated)."""
        with api_errors(self.conn, "listing tasks"):
            yield from self.sdk.tasks.list(project=project_id, fields="all", page_size=100)

    def import_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> list[int]:
        with api_errors(self.conn, f"importing {len(tasks)} task(s)"):
            response = self.sdk.projects.import_tasks(project_id, request=tasks,
                                                      return_task_ids=True)
        return list(response.task_ids or [])

    def create_annotation(self, task_id: int, result: list[dict[str, Any]]) -> None:
        with api_errors(self.conn, f"adding an annotation to task {task_id}"):
            self.sdk.annotations.create(task_id, result=result, ground_truth=True)

    def create_prediction(self, task_id: int, result: list[dict[str, Any]],
                          model_version: str, score: float | None) -> None:
        with api_errors(self.conn, f"adding a prediction to task {task_id}"):
            self.sdk.predictions.create(task=task_id, result=result, model_version=model_version,
                                        **({} if score is None else {"score": score}))

    def update_prediction(self, prediction_id: int, result: list[dict[str, Any]],
                          model_version: str, score: float | None) -> None:
        with api_errors(self.conn, f"updating prediction {prediction_id}"):
            self.sdk.predictions.update(prediction_id, result=result, model_version=model_version,
                                        **({} if score is None else {"score": score}))

    def users(self) -> dict[int, str]:
        """User id -> annotator name (a file-system-safe name derived from the account)."""
        with api_errors(self.conn, "listing users"):
            users = list(self.sdk.users.list())
        return annotator_names({int(u.id): (u.username or "", u.email or "") for u in users})


def annotator_names(users: dict[int, tuple[str, str]]) -> dict[int, str]:
    """Short names (username, else the e-mail's local part), made unique and path-safe."""
    def safe(name: str) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "user"

    short = {uid: safe(username or email.split("@")[0]) for uid, (username, email) in
             users.items()}
    counts: dict[str, int] = {}
    for name in short.values():
        counts[name] = counts.get(name, 0) + 1
    return {uid: (name if counts[name] == 1 else f"{name}-{uid}") for uid, name in short.items()}


def text_hash(text: str) -> str:
    """The key, with the document id, that ties a task to one exact text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
