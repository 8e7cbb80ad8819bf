"""Finding the ``octopoid-server`` CLI and running it for a test session."""

from __future__ import annotations

import atexit
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .http import send

BIN_NAME = "octopoid-server"
BIN_ENV = "OCTOPOID_SERVER_BIN"
START_TIMEOUT_S = 30.0
KEEP_ALIVE_MS = 60_000
STOP_TIMEOUT_S = 5.0
# The CLI logs this line (pino JSON on stdout) with the URL it listens on, `--port 0` included.
LISTENING_MESSAGE = "octopoid server listening"
# Servers still running, stopped at interpreter exit should the session end without teardown.
_running: set[subprocess.Popen[bytes]] = set()


class ServerNotFoundError(Exception):
    """No ``octopoid-server`` CLI where the plugin looks for one."""


class ServerStartError(Exception):
    """The CLI exited, or printed no URL, or answered no health check in time."""


def find_server_bin(explicit: str | None, rootdir: Path, path: str | None = None) -> Path:
    """The ``octopoid-server`` executable, looked for in this order:

    1. ``explicit`` (``--octopoid-server-bin`` or ``OCTOPOID_SERVER_BIN``), which must exist;
    2. ``node_modules/.bin/octopoid-server`` in ``rootdir`` or any folder above it;
    3. ``octopoid-server`` on ``path`` (default: the ``PATH`` variable).

    Raises :class:`ServerNotFoundError` naming all three when none is there.
    """
    if explicit:
        candidate = Path(explicit).expanduser()
        if not candidate.is_file():
            raise ServerNotFoundError(
                f"octopoid-server not found at {explicit} "
                f"(given by --octopoid-server-bin or {BIN_ENV})"
            )
        return candidate.resolve()
    for folder in (rootdir.resolve(), *rootdir.resolve().parents):
        candidate = folder / "node_modules" / ".bin" / BIN_NAME
        if candidate.is_file():
            return candidate
    on_path = shutil.which(BIN_NAME, path=path)
    if on_path:
        return Path(on_path)
    raise ServerNotFoundError(
        f"cannot find the {BIN_NAME} CLI to start a test server. Looked for: "
        f"--octopoid-server-bin=PATH or {BIN_ENV} (not set); "
        f"node_modules/.bin/{BIN_NAME} in {rootdir} and the folders above it; "
        f"{BIN_NAME} on PATH. The server packages are not published to a registry: install "
        "the packed tarballs into your project (`npm run pack` in a clone of the Octopoid "
        "server writes packed/*.tgz; see its README, \"Installing the packages elsewhere\"), "
        f"or point --octopoid-server-bin=PATH / {BIN_ENV} at a clone's "
        f"node_modules/.bin/{BIN_NAME} (after `npm install` there), or use a running server "
        "with --octopoid-url=URL."
    )


@dataclass(frozen=True)
class OctopoidServer:
    """The session's server: its base ``url``; ``pid`` and ``startup_ms`` (process start to
    first healthy answer) when the plugin started it, ``None`` for a server given by URL."""

    url: str
    pid: int | None = None
    startup_ms: float | None = None


@dataclass
class ServerProcess:
    """A running ``octopoid-server serve --test-mode`` child: its ``url``, ``pid``, where its
    log goes (``log_path``) and how long it took to answer its first health check
    (``startup_ms``)."""

    url: str
    pid: int
    log_path: Path
    startup_ms: float
    _process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """SIGTERM (the CLI then finishes in-flight requests and closes its database), SIGKILL
        after 5 s; waits for the exit so no process outlives the session."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        _running.discard(self._process)


def start_server(
    bin_path: Path,
    *,
    database: str = ":memory:",
    lease_sweep_seconds: int = 1,
    log_dir: Path | None = None,
) -> ServerProcess:
    """Start ``bin_path serve --port 0 --host 127.0.0.1 --test-mode --db DATABASE`` and wait
    until it answers ``GET /api/health``.

    The server applies the production migrations as it starts. Its log (pino JSON) goes to a
    file in ``log_dir`` (default: a new temporary folder), from which its URL is read. Raises
    :class:`ServerStartError` with the log's tail if it exits or is not healthy within 30 s.
    """
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="octopoid-server-"))
    log_path = log_dir / "octopoid-server.log"
    args = [
        str(bin_path),
        "serve",
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--test-mode",
        "--db",
        database,
        "--lease-sweep-seconds",
        str(lease_sweep_seconds),
        "--log-level",
        "info",
        # requests' pooled connections have no idle timeout of their own: a server closing idle
        # connections after the production default (5 s) can close one just as a test reuses it.
        "--keep-alive-timeout-ms",
        str(KEEP_ALIVE_MS),
    ]
    started = time.monotonic()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    _running.add(process)
    try:
        url = _await_healthy(process, log_path, started)
    except BaseException:
        ServerProcess("", process.pid, log_path, 0.0, process).stop()
        raise
    return ServerProcess(url, process.pid, log_path, (time.monotonic() - started) * 1000, process)


def _await_healthy(process: subprocess.Popen[bytes], log_path: Path, started: float) -> str:
    url: str | None = None
    while time.monotonic() - started < START_TIMEOUT_S:
        if process.poll() is not None:
            raise ServerStartError(
                f"octopoid-server exited ({process.returncode}) before listening; its log "
                f"{log_path}:\n{_tail(log_path)}"
            )
        url = url or _listening_url(log_path)
        if url:
            try:
                if send("GET", f"{url}/api/health", timeout_s=2).ok:
                    return url
            except OSError:
                pass
        time.sleep(0.02)
    raise ServerStartError(
        f"octopoid-server was not healthy within {START_TIMEOUT_S:.0f} s; its log {log_path}:\n"
        f"{_tail(log_path)}"
    )


def _listening_url(log_path: Path) -> str | None:
    for line in log_path.read_text("utf-8", "replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("msg") == LISTENING_MESSAGE:
            return str(entry["url"])
    return None


def _tail(log_path: Path, lines: int = 20) -> str:
    return "\n".join(log_path.read_text("utf-8", "replace").splitlines()[-lines:])


def _die_with_parent() -> None:
    # PR_SET_PDEATHSIG: the kernel sends the child SIGTERM when pytest dies, even by SIGKILL,
    # where no teardown or atexit handler runs.
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def _stop_all() -> None:
    for process in list(_running):
        if process.poll() is None:
            process.kill()
            process.wait()


atexit.register(_stop_all)
