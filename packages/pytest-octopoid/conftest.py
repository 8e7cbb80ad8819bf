import sys

# The tests load the plugin from src/ (see pythonpath in pyproject.toml); an installed copy
# has registered it already through its entry point, and registering it twice is an error.
pytest_plugins = [] if "pytest_octopoid.plugin" in sys.modules else ["pytest_octopoid.plugin"]
