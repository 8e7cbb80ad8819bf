"""Loads the plugin from src/ for the package's own tests, unless an installed copy has already
been loaded by its entry point (registering it twice is an error). A hook does it rather than
``pytest_plugins``, which pytest refuses in a conftest below the rootdir (the repository root,
whose pytest.ini configures these tests)."""

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_addoption(pluginmanager: pytest.PytestPluginManager) -> None:
    # Called as this conftest is registered, before the options are parsed: the plugin's own
    # pytest_addoption then runs too, so its --octopoid-* options are known on the command line.
    from pytest_octopoid import plugin

    if pluginmanager.get_plugin("octopoid") is None and not pluginmanager.is_registered(plugin):
        pluginmanager.register(plugin, "octopoid")
