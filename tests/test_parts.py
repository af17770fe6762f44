"""The tune/check split of the shared samples, written down (tools/score_parts.py).

The text importers and the linker are worked on with the *tune* part; the *check* part is
only measured. These names are the check part on the day the split was made
(2026-12-03); a change to the rule would move them and fail here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("score_parts", ROOT / "tools" / "score_parts.py")
assert _spec and _spec.loader
parts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(parts)

CHECK = {
    "robg-card": ["007", "011", "027", "r101", "r104", "r126"],
    "cbc-fiche": ["c108", "c109", "c116"],
    "bg-news": [
        "017", "b103", "b113", "b118", "b119", "b121", "b124",
        "b126", "b133", "c118", "c121", "r129", "seed-004",
    ],
}  # fmt: skip
#: linking: clusters by id (with all their texts), distractors by file name
CHECK_CLUSTERS = ["c06", "c18"]
CHECK_DISTRACTORS = ["061"]
TUNE_CLUSTERS = ["c02", "c09", "c12", "c15"]
TUNE_DISTRACTORS = ["009", "040", "045"]


def test_the_check_texts_are_the_ones_written_down():
    for names in CHECK.values():
        assert all(parts.part(f"{name}.txt") == "check" for name in names)
    tune = ["001", "003", "006", "013", "c101", "b101", "seed-001", "seed-003"]
    assert all(parts.part(f"{name}.txt") == "tune" for name in tune)


def test_the_linking_split_keeps_clusters_whole():
    truth = {
        "clusters": [{"id": c, "texts": []} for c in [*CHECK_CLUSTERS, *TUNE_CLUSTERS]],
        "distractors": [*CHECK_DISTRACTORS, *TUNE_DISTRACTORS],
    }
    check = parts.linking_truth(truth, "check")
    tune = parts.linking_truth(truth, "tune")
    assert [c["id"] for c in check["clusters"]] == CHECK_CLUSTERS
    assert check["distractors"] == CHECK_DISTRACTORS
    assert [c["id"] for c in tune["clusters"]] == TUNE_CLUSTERS
    assert tune["distractors"] == TUNE_DISTRACTORS
