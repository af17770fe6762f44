"""``python -m socialproj``: the command line."""

from .cli import run

run()
