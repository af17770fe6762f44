"""The benchmark suite, run on a few hundred rows so that it never rots (no timings asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_the_benchmark_suite_runs_and_writes_its_table(tmp_path):
    output = tmp_path / "latest.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--quick",
            "--data",
            str(tmp_path / "data"),
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(output.read_text(encoding="utf-8"))
    figures = {row["figure"].split(" (")[0].strip(): row for row in report["figures"]}
    for name in (
        "canonical CSV -> projects -> JSON Lines",
        "JSON Lines -> projects -> canonical CSV",
        "socialproj --help start-up, above python -c pass",
    ):
        assert name in figures, sorted(figures)
    assert any(f.startswith("layout import, bg-news") for f in figures)
    assert {"reading .xlsx", "reading .ods"} <= set(figures)
    assert any(f.startswith("peak memory converting") for f in figures)
    ratios = [row["ratio"] for row in report["figures"] if row["ratio"] is not None]
    assert ratios and all(r > 0 for r in ratios)  # measured, not asserted against targets


def test_the_synthetic_data_is_the_same_every_time():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    from socialproj import to_dict

    first = [to_dict(p) for p in generate.projects(50)]
    assert first == [to_dict(p) for p in generate.projects(50)]
    assert {len(p["partners"]) for p in first} <= set(range(1, 9))
    assert {p["funding"]["total"]["currency"] for p in first} == {"BGN", "EUR", "RON"}
    texts = generate.layout_texts("bg-news", 3)
    assert texts == generate.layout_texts("bg-news", 3)


def test_the_benchmark_spreadsheets_hold_the_same_projects_as_its_csv(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    import socialproj

    sheets = generate.write_spreadsheets(tmp_path, 40)
    projects = list(socialproj.read(tmp_path / "canonical-40.csv"))
    assert len(projects) == 40
    for kind in ("xlsx", "ods", "html"):
        assert list(socialproj.read(sheets[kind])) == projects, kind
