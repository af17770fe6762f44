"""The version of socialproj (read by the build backend)."""

__version__ = "0.1.0"
