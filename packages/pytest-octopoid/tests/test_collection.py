import pytest

from support import PACKAGE_ROOT, REPOSITORY_ROOT, collect


@pytest.mark.parametrize(
    "cwd, args",
    [(REPOSITORY_ROOT, []), (REPOSITORY_ROOT, ["packages/pytest-octopoid"]), (PACKAGE_ROOT, [])],
    ids=["repository-root", "package-path-from-the-root", "package-folder"],
)
def test_pytest_finds_these_tests_and_their_settings_wherever_it_starts(cwd, args):
    # An --octopoid-* option is refused as unknown unless the plugin was loaded before parsing.
    code, output = collect(cwd, *args, "--octopoid-db=:memory:")

    assert code == 0, output
    assert f"rootdir: {REPOSITORY_ROOT}\nconfigfile: pytest.ini\n" in output
    assert (
        "<Function test_pytest_finds_these_tests_and_their_settings_wherever_it_starts"
        "[repository-root]>" in output
    )
