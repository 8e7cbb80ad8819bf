"""Cost of the pytest plugin: the session server's start-up, and what ``scoped_sdk`` adds to
each test. Run from the repository root after ``npm install``: ``python3 bench/pytest-octopoid.py``.

Start-up is process start to first healthy answer of ``octopoid-server serve --test-mode`` on an
in-memory database (the production migrations included), median of 5. The per-test cost is
measured inside a real pytest session: setup + call + teardown of a test that creates one task
through ``scoped_sdk`` (new scope, factory, create, purge), against a test that sends the same
create request through a client made once for the module, median of 200 each, interleaved so
load from elsewhere on the machine weighs on both alike.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "packages" / "pytest-octopoid"
sys.path[:0] = [str(PACKAGE / "src"), str(PACKAGE / "tests")]

import pytest  # noqa: E402

from pytest_octopoid.server import find_server_bin, start_server  # noqa: E402

TESTS = 200
WARMUP = 20
SERVER_STARTS = 5

HEADER = """
import pytest

from octopoid_client import OctopoidClient


@pytest.fixture(scope="module")
def shared_client(octopoid_server):
    return OctopoidClient(octopoid_server.url, "bench-baseline")
"""

PAIR = """

def test_bare_{i}(shared_client):
    shared_client.create_task("t-{i}", "bench")


def test_scoped_{i}(scoped_sdk):
    scoped_sdk.create_task("t-1", "bench")
"""


class DurationRecorder:
    """Setup + call + teardown seconds of every test, by node id."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seconds[report.nodeid] += report.duration


def startup_ms() -> float:
    bin_path = find_server_bin(None, REPO)
    starts = []
    for _ in range(SERVER_STARTS):
        server = start_server(bin_path)
        starts.append(server.startup_ms)
        server.stop()
    return statistics.median(starts)


def per_test_ms() -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        (path / "pytest.ini").write_text(
            "[pytest]\noctopoid_sdk_factory = octopoid_client:OctopoidClient\n"
        )
        (path / "test_bench.py").write_text(
            HEADER + "".join(PAIR.format(i=i) for i in range(WARMUP + TESTS))
        )
        recorder = DurationRecorder()
        code = pytest.main(
            [
                str(path),
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "pytest_octopoid.plugin",
                f"--rootdir={REPO}",
            ],
            plugins=[recorder],
        )
        if code != 0:
            raise SystemExit(f"the benchmark session failed ({code})")

    def median_of(kind: str) -> float:
        samples = [
            seconds for nodeid, seconds in recorder.seconds.items() if f"::test_{kind}_" in nodeid
        ]
        return statistics.median(samples[WARMUP:]) * 1000

    return median_of("bare"), median_of("scoped")


def main() -> None:
    start = startup_ms()
    bare, scoped = per_test_ms()
    rows = [
        (
            "session server start-up (octopoid-server serve)",
            f"{start:.1f} ms",
            f"median of {SERVER_STARTS}",
        ),
        ("test with one create request, shared client", f"{bare:.2f} ms", f"median of {TESTS}"),
        ("test with one create through scoped_sdk", f"{scoped:.2f} ms", f"median of {TESTS}"),
        ("  per-test overhead of scoped_sdk", f"{scoped - bare:.2f} ms", "difference"),
    ]
    print()
    for label, value, note in rows:
        print(f"{label:<50} {value:>11}  {note}")


if __name__ == "__main__":
    main()
