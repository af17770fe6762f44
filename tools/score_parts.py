"""Score the text importers and the linker on the *tune* and the *check* part of the samples.

The shared samples (``../shared/samples/layouts/FAMILY/NNN.txt`` and
``../shared/samples/linking/``) are split once, by name, so that what is tuned on one part
can be measured on the other:

* a layout text is in the check part when the CRC-32 of its file name (``017.txt``) is
  divisible by three — the rule ``tests/test_encodings.py`` uses for the same texts;
* a linking cluster is in the check part by the same rule over its id (``c06``), with all
  its texts; a distractor by its file name.

Work on tune; run check only to measure, and report both. ``tests/test_parts.py`` writes
the check names down, so the split cannot drift unnoticed. This script copies each part
into a temporary folder and runs the project's own scorers on it, as a user would::

    python tools/score_parts.py [--samples ../shared/samples] [--cmd .venv/bin/socialproj]
                                [--only layouts|linking] [--part tune|check] [-v]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
FAMILIES = ("robg-card", "cbc-fiche", "bg-news")
PARTS = ("tune", "check")


def part(name: str) -> str:
    """``"check"`` for every third name by its CRC-32, else ``"tune"``."""
    return "check" if zlib.crc32(name.encode()) % 3 == 0 else "tune"


def layout_texts(folder: Path, wanted: str) -> list[Path]:
    """The texts of one family's folder in part ``wanted``."""
    return sorted(path for path in folder.glob("*.txt") if part(path.name) == wanted)


def linking_truth(truth: dict[str, list], wanted: str) -> dict[str, list]:
    """``truth.json`` cut to the clusters and distractors of part ``wanted``."""
    return {
        "clusters": [c for c in truth["clusters"] if part(c["id"]) == wanted],
        "distractors": [d for d in truth["distractors"] if part(f"{d}.txt") == wanted],
    }


def _copy(paths: list[Path], into: Path) -> None:
    into.mkdir(parents=True)
    for path in paths:
        for twin in (path, path.with_suffix(".json")):
            if twin.exists():
                shutil.copy(twin, into / twin.name)


def _score(args: list[str], verbose: bool) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if verbose:
        print("\n".join(lines[:-1]))
    return lines[-1] if lines else f"(no output; exit {done.returncode}: {done.stderr[-300:]})"


def main() -> int:
    """Print, per family and part, the scorers' last line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=SAMPLES)
    parser.add_argument("--cmd", default=str(ROOT / ".venv" / "bin" / "socialproj"))
    parser.add_argument("--only", choices=("layouts", "linking"))
    parser.add_argument("--part", choices=PARTS)
    parser.add_argument("-v", "--verbose", action="store_true")
    options = parser.parse_args()
    tools = options.samples.parent / "tools"
    parts = [options.part] if options.part else list(PARTS)
    with tempfile.TemporaryDirectory(prefix="sp-parts-") as work:
        for wanted in parts:
            if options.only in (None, "layouts"):
                for family in FAMILIES:
                    folder = Path(work, wanted, family)
                    _copy(layout_texts(options.samples / "layouts" / family, wanted), folder)
                    for detect in ([], ["--detect"]):
                        line = _score(
                            [
                                sys.executable,
                                str(tools / "score_layouts.py"),
                                family,
                                str(folder),
                                "--cmd",
                                options.cmd,
                                *detect,
                                *(["-v"] if options.verbose else []),
                            ],
                            options.verbose,
                        )
                        print(f"{wanted:5} {'detect ' if detect else ''}{line}")
            if options.only in (None, "linking"):
                source = options.samples / "linking"
                truth = linking_truth(json.loads((source / "truth.json").read_text()), wanted)
                names = {n for c in truth["clusters"] for n in c["texts"]}
                names.update(truth["distractors"])
                folder = Path(work, wanted, "linking")
                _copy([source / "texts" / f"{n}.txt" for n in sorted(names)], folder / "texts")
                (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False))
                for masked in ([], ["--masked"]):
                    line = _score(
                        [
                            sys.executable,
                            str(tools / "score_linking.py"),
                            str(folder),
                            "--cmd",
                            options.cmd,
                            *masked,
                            *(["-v"] if options.verbose else []),
                        ],
                        options.verbose,
                    )
                    print(f"{wanted:5} {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
