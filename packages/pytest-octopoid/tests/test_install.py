import shutil
import subprocess
import sys

from support import PACKAGE_ROOT, REPOSITORY_ROOT, collect, run_inner_session


def test_pip_installs_the_plugin_from_the_repository_path_and_pytest_loads_it_by_its_entry_point(
    tmp_path, octopoid_server
):
    # A copy of what the package is made of, so the build leaves nothing in the repository.
    package = tmp_path / "pytest-octopoid"
    shutil.copytree(
        PACKAGE_ROOT / "src", package / "src", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PACKAGE_ROOT / name, package / name)
    target = tmp_path / "site"
    # --retries 0: an index this machine cannot reach is skipped at once; the build needs only
    # setuptools and wheel from whichever index or wheelhouse pip is configured with.
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--retries",
            "0",
            "--target",
            str(target),
            str(package),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    (entry_points,) = target.glob("pytest_octopoid-*.dist-info/entry_points.txt")
    assert "[pytest11]\noctopoid = pytest_octopoid.plugin" in entry_points.read_text()

    source = f"""
        import pytest_octopoid


        def test_runs_with_the_installed_plugin(octopoid_scope):
            assert pytest_octopoid.__file__.startswith({str(target)!r})
            assert octopoid_scope.request("GET", "/tasks").json()["tasks"] == []
    """
    code, output = run_inner_session(
        tmp_path,
        source,
        f"--octopoid-url={octopoid_server.url}",
        pythonpath=[target],
        load_plugin=False,
    )

    assert code == 0, output

    # The repository's own tests load with the plugin installed too: once, by its entry point.
    code, output = collect(REPOSITORY_ROOT, env={"PYTHONPATH": str(target)})

    assert code == 0, output
    assert "plugins: octopoid-0.1.0" in output  # the header lists entry-point plugins
    assert "<Function test_pip_installs_the_plugin_from_the_repository_path" in output
