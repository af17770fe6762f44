"""Sphinx configuration: ``make docs`` builds the site into docs/_build/html (warnings fail)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the built-in plugins are documented from the working tree, like the package itself
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "plugins")]

import socialproj  # noqa: E402

project = "socialproj"
author = "socialproj developers"
copyright = "2026, socialproj developers"
release = socialproj.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "conftest.py"]
myst_enable_extensions = ["deflist", "colon_fence"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True}
# the readable name of an alias beats its expansion in signatures
autodoc_type_aliases = {"Source": "socialproj.readwrite.Source"}

html_theme = "furo"
html_title = f"socialproj {release}"
pygments_style = "friendly"
pygments_dark_style = "monokai"
