"""A local Label Studio: its own virtualenv, a known admin user and token, start and stop.

Label Studio pins many packages, so it lives in `.venv-labelstudio` (created once, marked
by a stamp file that `make` shares). The server binds 127.0.0.1 only, never phones home
(version check, analytics and Sentry are switched off) and is stopped by its pid.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from standoff.core.errors import StandoffError
from standoff.core.io import write_text_atomic

LS_VERSION = "1.23.2"
ADMIN_USER = "admin@standoff.local"
DB_FILE = "label_studio.sqlite3"
# Label Studio reads these plain names too; they must not leak into its environment.
DROP_ENV = {"HOST", "PORT", "USERNAME", "PASSWORD", "LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"}
QUIET_ENV = {"LATEST_VERSION_CHECK": "false", "COLLECT_ANALYTICS": "false", "SENTRY_DSN": "",
             "FRONTEND_SENTRY_DSN": ""}


@dataclass(frozen=True)
class Credentials:
    """The admin login and API token of a local server (kept in a 0600 file, never printed)."""

    username: str
    password: str
    token: str

    @classmethod
    def generate(cls) -> Credentials:
        # A legacy token is a 40-character key; the password only guards a loopback server.
        return cls(ADMIN_USER, secrets.token_urlsafe(12), secrets.token_hex(20))

    def save(self, path: Path, url: str) -> None:
        lines = [f"LABEL_STUDIO_URL={url}", f"LABEL_STUDIO_API_KEY={self.token}",
                 f"LABEL_STUDIO_USERNAME={self.username}",
                 f"LABEL_STUDIO_PASSWORD={self.password}"]
        write_text_atomic(path, "\n".join(lines) + "\n")
        os.chmod(path, 0o600)

    @classmethod
    def load(cls, path: Path) -> Credentials | None:
        values = read_env_file(path)
        if not {"LABEL_STUDIO_API_KEY", "LABEL_STUDIO_PASSWORD"} <= set(values):
            return None
        return cls(values.get("LABEL_STUDIO_USERNAME", ADMIN_USER),
                   values["LABEL_STUDIO_PASSWORD"], values["LABEL_STUDIO_API_KEY"])


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (the format `set -a; . FILE` understands)."""
    if not Path(path).is_file():
        return {}
    out = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and not key.startswith("#"):
            out[key.strip()] = value.strip()
    return out


# -- the virtualenv ----------------------------------------------------------------------

def stamp_path(venv: Path) -> Path:
    return Path(venv) / f".installed-{LS_VERSION}"


def ensure_server_env(venv: Path, log: Path | None = None) -> Path:
    """The `label-studio` executable, installing label-studio into `venv` the first time."""
    venv = Path(venv)
    exe = venv / "bin" / "label-studio"
    if stamp_path(venv).exists() and exe.exists():
        return exe
    log = log or venv.with_name(venv.name + "-install.log")
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--upgrade", "pip"],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
         f"label-studio=={LS_VERSION}"],
    ]
    if (venv / "bin" / "python").exists():
        steps = steps[1:]
    with open(log, "w", encoding="utf-8") as out:
        for cmd in steps:
            if subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT).returncode != 0:
                raise StandoffError(f"installing label-studio {LS_VERSION} failed", file=str(log),
                                    hint="read the log; `make labelstudio` retries")
    stamp_path(venv).touch()
    return exe


# -- data dirs and processes -------------------------------------------------------------

def server_environment(data_dir: Path, creds: Credentials) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROP_ENV}
    env.update(QUIET_ENV)
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": creds.username,
        "LABEL_STUDIO_PASSWORD": creds.password,
        "LABEL_STUDIO_USER_TOKEN": creds.token,
        # Legacy tokens are off by default since 1.14; this only works at first creation.
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
    })
    return env


def _flags(port: int, data_dir: Path) -> list[str]:
    return ["--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
            "--data-dir", str(data_dir)]


def init_data_dir(exe: Path, data_dir: Path, creds: Credentials, log: Path) -> None:
    """Migrate a fresh data dir and create the admin user and token (about 30-40 s)."""
    data_dir = Path(data_dir).resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as out:
        code = subprocess.run([str(exe), "init", *_flags(free_port(), data_dir)],
                              env=server_environment(data_dir, creds), stdout=out,
                              stderr=subprocess.STDOUT, cwd=data_dir.parent).returncode
    if code != 0 or not (data_dir / DB_FILE).exists():
        raise StandoffError("label-studio init failed", file=str(log), hint="read the log")


def copy_data_dir(template: Path, target: Path) -> None:
    """A pre-migrated data dir starts in seconds instead of migrating for 40 s."""
    shutil.copytree(template, target)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class ServerProcess:
    pid: int
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_server(exe: Path, data_dir: Path, creds: Credentials, port: int | None = None,
                 log: Path | None = None, timeout: float = 180.0) -> ServerProcess:
    """Start Label Studio on 127.0.0.1 and wait until it answers on the port it was given."""
    port = port or free_port()
    data_dir = Path(data_dir).resolve()
    if not port_is_free(port):
        raise StandoffError(f"port {port} is busy", hint="pick another with --port")
    log = log or Path(data_dir).with_name(Path(data_dir).name + "-server.log")
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([str(exe), "start", *_flags(port, data_dir)],
                                env=server_environment(data_dir, creds), stdout=out,
                                stderr=subprocess.STDOUT, cwd=Path(data_dir).parent,
                                start_new_session=True)
    server = ServerProcess(proc.pid, port, Path(log))
    try:
        _wait_until_up(proc, server, timeout)
    except BaseException:
        stop_server(server.pid)
        raise
    return server


def _wait_until_up(proc: subprocess.Popen, server: ServerProcess, timeout: float) -> None:
    expected = f"Starting development server at http://127.0.0.1:{server.port}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StandoffError(f"Label Studio exited with code {proc.returncode}",
                                file=str(server.log), hint="read the log")
        text = server.log.read_text(encoding="utf-8", errors="replace")
        if "Starting development server at" in text and expected not in text:
            # It silently moves to the next port when the one asked for is taken.
            raise StandoffError(f"Label Studio did not bind port {server.port}",
                                file=str(server.log), hint="pick a free port with --port")
        if expected in text and _answers(server.url):
            return
        time.sleep(0.5)
    raise StandoffError(f"Label Studio did not start within {timeout:.0f} s",
                        file=str(server.log), hint="read the log")


def _answers(url: str) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(f"{url}/health", timeout=5).status_code == 200
    return False


def stop_server(pid: int, timeout: float = 15.0) -> None:
    """Stop the server started with this pid (its own process group), politely first."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(pid, os.WNOHANG) != (0, 0):
                    return
            if not _alive(pid):
                return
            time.sleep(0.2)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
