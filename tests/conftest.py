"""Shared test configuration: Hypothesis profiles and paths to the bundled documents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# the fixtures socialproj offers plugin authors, enabled the way they enable them
pytest_plugins = ["socialproj.testing.pytest_plugin"]

# "ci" (the default, used by `make test`) is derandomised and has no deadline, so a run is
# repeatable on a loaded machine; HYPOTHESIS_PROFILE=dev explores new examples each run.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=150,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=300)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SEEDS = ROOT / "examples" / "seeds"


@pytest.fixture
def seeds() -> dict[str, str]:
    """The five documents the project was created from, by number ("000" … "004")."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
