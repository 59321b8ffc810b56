"""The embedded default server of `standoff annotate serve`: where its files live.

State lives in `<project>/.labelstudio/` (git-ignored): `data/` (the Label Studio data
dir), `credentials.env` (0600: URL, admin user, password and API token), `server.pid`
and logs. The virtualenv is `.venv-labelstudio` in the project, or beside the standoff
sources, or wherever STANDOFF_LABEL_STUDIO_VENV points.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from standoff.annotation.labelstudio.client import credentials_file
from standoff.annotation.labelstudio.server import (
    DB_FILE,
    Credentials,
    ServerProcess,
    ensure_server_env,
    init_data_dir,
    port_is_free,
    start_server,
    stop_server,
)
from standoff.core.errors import StandoffError

VENV_NAME = ".venv-labelstudio"
SOURCE_ROOT = Path(__file__).resolve().parents[4]  # the checkout, for an editable install


def state_dir(root: Path) -> Path:
    return Path(root) / ".labelstudio"


def server_venv(root: Path) -> Path:
    if os.environ.get("STANDOFF_LABEL_STUDIO_VENV"):
        return Path(os.environ["STANDOFF_LABEL_STUDIO_VENV"])
    for base in (Path(root), SOURCE_ROOT):
        if (base / VENV_NAME / "bin" / "python").exists():
            return base / VENV_NAME
    return Path(root) / VENV_NAME


@dataclass
class LocalServer:
    root: Path
    data_dir: Path

    @classmethod
    def at(cls, root: Path, data_dir: Path | None = None) -> LocalServer:
        data = Path(data_dir) if data_dir else state_dir(root) / "data"
        return cls(Path(root).resolve(), data.resolve())  # the server runs in another cwd

    @property
    def state(self) -> Path:
        return state_dir(self.root)

    @property
    def credentials_path(self) -> Path:
        return credentials_file(self.state)

    @property
    def pid_path(self) -> Path:
        return self.state / "server.pid"

    def credentials(self) -> tuple[Credentials, bool]:
        """(credentials, whether the data dir still has to be initialised)."""
        creds = Credentials.load(self.credentials_path)
        fresh = not (self.data_dir / DB_FILE).exists()
        if creds is None and not fresh:
            raise StandoffError("this data dir has no saved credentials",
                                file=str(self.credentials_path),
                                hint=f"restore the file or remove {self.data_dir} to start over")
        return creds or Credentials.generate(), fresh

    def install(self) -> Path:
        return ensure_server_env(server_venv(self.root), self.state / "install.log")

    def start(self, port: int | None = None) -> ServerProcess:
        if port is not None and not port_is_free(port):  # before a 40 s init, not after
            raise StandoffError(f"port {port} is busy", hint="pick another with --port")
        self.state.mkdir(parents=True, exist_ok=True)
        exe = self.install()
        creds, fresh = self.credentials()
        if fresh:
            init_data_dir(exe, self.data_dir, creds, self.state / "init.log")
        server = start_server(exe, self.data_dir, creds, port, self.state / "server.log")
        creds.save(self.credentials_path, server.url)
        self.pid_path.write_text(f"{server.pid}\n", encoding="utf-8")
        return server

    def stop(self) -> int | None:
        """Stop the server recorded in server.pid; its pid, or None if none was running."""
        if not self.pid_path.exists():
            return None
        pid = int(self.pid_path.read_text(encoding="utf-8").strip() or 0)
        self.pid_path.unlink()
        if pid and _is_label_studio(pid):  # never signal a recycled pid
            stop_server(pid)
            return pid
        return None


def _is_label_studio(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"label-studio" in cmdline
