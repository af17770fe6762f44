"""The example third-party plugin, installed as its author would, is found by socialproj."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS

PLUGIN = ROOT / "plugins" / "socialproj-markdown"


@pytest.mark.slow
def test_the_example_plugin_installs_into_a_fresh_environment_and_is_discovered(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    fresh_site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            text=True,
        ).strip()
    )
    # socialproj and its dependencies come from this environment (no download); the
    # plugin itself is installed into the fresh one, from its own pyproject.toml
    here = sysconfig.get_paths()["purelib"]
    (fresh_site / "socialproj-under-test.pth").write_text(
        f"import site; site.addsitedir({here!r})\n", encoding="utf-8"
    )
    installed = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            str(PLUGIN),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    listed = subprocess.run(
        [python, "-m", "socialproj", "formats"], capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if line.startswith("markdown "))
    assert "socialproj-markdown 0.1.0" in line
    table = tmp_path / "seeds.md"
    done = subprocess.run(
        [python, "-m", "socialproj", "convert", str(SEEDS), str(table)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = table.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("| Title |") and len(rows) == 2 + 5
    # and the environment this suite runs in does not have it
    import socialproj

    assert "markdown" not in [f.name for f in socialproj.formats()]
