"""Running pytest sessions of their own inside the plugin's tests, and waiting for state."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
REPOSITORY_ROOT = PACKAGE_ROOT.parents[1]
INNER_TIMEOUT_S = 120

T = TypeVar("T")


def inner_session(
    folder: Path,
    source: str,
    *args: str,
    ini: str = "octopoid_sdk_factory = octopoid_client:OctopoidClient",
    env: dict[str, str] | None = None,
    pythonpath: list[Path] | None = None,
    load_plugin: bool = True,
) -> subprocess.Popen[str]:
    """Start ``python -m pytest`` on a test file holding ``source`` in ``folder``, with the
    plugin loaded from ``src/`` (``load_plugin``) and the test client importable. Output goes
    to ``folder/output.txt``; the caller waits."""
    (folder / "test_inner.py").write_text(textwrap.dedent(source))
    (folder / "pytest.ini").write_text(f"[pytest]\n{ini}\n")
    paths = [
        *(pythonpath if pythonpath is not None else [PACKAGE_ROOT / "src"]),
        PACKAGE_ROOT / "tests",
    ]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    inner_env = session_env({"PYTHONPATH": os.pathsep.join(str(p) for p in paths), **(env or {})})
    if load_plugin:
        # Only what the test asks for: an installed copy must not register the plugin twice.
        inner_env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA"]
    if load_plugin:
        command += ["-p", "pytest_octopoid.plugin"]
    output = open(folder / "output.txt", "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [*command, *args, "test_inner.py"],
        cwd=folder,
        env=inner_env,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output.close()
    return process


def session_env(overrides: dict[str, str]) -> dict[str, str]:
    """The environment of a pytest run inside a test: this one's, less its ``OCTOPOID_*`` and
    ``PYTEST_*`` variables (the outer session's settings), plus ``overrides``."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("OCTOPOID_", "PYTEST_"))}
    return {**inherited, **overrides}


def collect(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """``python -m pytest --collect-only ARGS`` in ``cwd``: its exit code and output."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        env=session_env(env or {}),
        capture_output=True,
        text=True,
        timeout=INNER_TIMEOUT_S,
    )
    return run.returncode, run.stdout + run.stderr


def run_inner_session(folder: Path, source: str, *args: str, **kwargs) -> tuple[int, str]:
    """:func:`inner_session`, waited for: its exit code and its output."""
    process = inner_session(folder, source, *args, **kwargs)
    return process.wait(INNER_TIMEOUT_S), (folder / "output.txt").read_text()


def wait_until(description: str, probe: Callable[[], T | None], timeout_s: float = 60.0) -> T:
    """Call ``probe`` every 20 ms until it returns something other than ``None``/``False``, and
    return that; raise ``AssertionError`` naming ``description`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{description}: not within {timeout_s:.0f} s")
        time.sleep(0.02)


def process_exists(pid: int) -> bool:
    """True while a process with this pid exists (on Linux a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())
