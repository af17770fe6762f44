"""Test the plugin from a checkout, installed or not."""

import sys
from pathlib import Path

import pytest

import socialproj

# socialproj's fixtures for plugin authors: socialproj_plugin, check_format
pytest_plugins = ["socialproj.testing.pytest_plugin"]

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


@pytest.fixture
def markdown(socialproj_plugin):
    """The plugin, registered for the test unless it is installed already."""
    import socialproj_markdown

    if "markdown" not in [f.name for f in socialproj.formats()]:
        socialproj_plugin(socialproj_markdown, "markdown")
    return socialproj_markdown
