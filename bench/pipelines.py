"""The pipelines the benchmark times: socialproj, the plain-Python limit, and its peers.

Every pipeline reads a file and writes a file, so that their times compare. The
baselines are untyped (``csv.reader`` → ``dict`` → a JSON line); the peers build typed
pydantic v2 or msgspec models of the same canonical shape from the same rows.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

import socialproj

Pipeline = Callable[[Path, Path], int]


# -- socialproj ------------------------------------------------------------------------------


def socialproj_convert(source: Path, target: Path, **options: Any) -> int:
    """socialproj's own conversion: read typed projects, write them."""
    return socialproj.write(socialproj.read(source, **options), target)


def socialproj_batches(source: Path, target: Path, **options: Any) -> int:
    """The bulk path: Arrow record batches read and written, no record per row."""
    return socialproj.write_batches(socialproj.read_batches(source, **options), target)


# -- the plain-Python limit -----------------------------------------------------------------------


def baseline_csv_to_jsonl(source: Path, target: Path, delimiter: str = ",") -> int:
    """csv.reader -> dict -> orjson line, untyped."""
    count = 0
    dumps, option = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    with open(source, newline="", encoding="utf-8") as src, open(target, "wb") as out:
        reader = csv.reader(src, delimiter=delimiter)
        header = next(reader)
        write = out.write
        for row in reader:
            write(dumps(dict(zip(header, row, strict=True)), option=option))
            count += 1
    return count


def baseline_csv_to_jsonl_stdlib(source: Path, target: Path, delimiter: str = ",") -> int:
    """csv.reader -> dict -> json line, untyped, standard library only."""
    count = 0
    with (
        open(source, newline="", encoding="utf-8") as src,
        open(target, "w", encoding="utf-8") as out,
    ):
        reader = csv.reader(src, delimiter=delimiter)
        header = next(reader)
        dumps = json.dumps
        for row in reader:
            out.write(dumps(dict(zip(header, row, strict=True)), ensure_ascii=False))
            out.write("\n")
            count += 1
    return count


def _flatten(data: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            _flatten(value, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(data, list):
        for index, value in enumerate(data, 1):
            _flatten(value, f"{prefix}.{index}", out)
    elif data is not None:
        out[prefix] = str(data)


def baseline_jsonl_to_csv(source: Path, target: Path) -> int:
    """json -> flat dict -> csv.writer, untyped (rows kept to learn the header, as ours spools)."""
    rows: list[dict[str, str]] = []
    header: dict[str, None] = {}
    with open(source, encoding="utf-8") as src:
        for line in src:
            flat: dict[str, str] = {}
            _flatten(json.loads(line), "", flat)
            header.update(dict.fromkeys(flat))
            rows.append(flat)
    with open(target, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        columns = list(header)
        writer.writerow(columns)
        for flat in rows:
            writer.writerow([flat.get(c, "") for c in columns])
    return len(rows)


def baseline_jsonl_lines(source: Path, target: Path) -> int:
    """orjson.loads -> orjson.dumps a line at a time, untyped: the JSON Lines baseline."""
    count = 0
    loads, dumps, option = orjson.loads, orjson.dumps, orjson.OPT_APPEND_NEWLINE
    with open(source, "rb") as src, open(target, "wb") as out:
        write = out.write
        for line in src:
            if line.strip():
                write(dumps(loads(line), option=option))
                count += 1
    return count


# -- the peers: the same typed pipeline with pydantic v2 and msgspec models ------------------------


def _paths(header: list[str]) -> list[tuple[str | int, ...]]:
    return [tuple(int(p) - 1 if p.isdigit() else p for p in name.split(".")) for name in header]


def _nested(paths: list[tuple[str | int, ...]], row: list[str]) -> dict[str, Any]:
    """A canonical nested dict from a canonical CSV row (the step typed peers need)."""
    root: dict[str, Any] = {}
    for path, value in zip(paths, row, strict=True):
        if not value:
            continue
        node: Any = root
        for key, following in itertools.pairwise(path):
            if isinstance(key, int):
                while len(node) <= key:
                    node.append({} if not isinstance(following, int) else [])
                node = node[key]
            else:
                node = node.setdefault(key, [] if isinstance(following, int) else {})
        last = path[-1]
        if isinstance(last, int):
            while len(node) <= last:
                node.append(None)
            node[last] = value
        else:
            node[last] = int(value) if last in ("months", "days") else value
    return root


def pydantic_csv_to_jsonl(source: Path, target: Path) -> int:
    """Canonical CSV -> pydantic v2 models -> JSON Lines."""
    from peers_pydantic import Project

    count = 0
    with open(source, newline="", encoding="utf-8") as src, open(target, "wb") as out:
        reader = csv.reader(src)
        paths = _paths(next(reader))
        for row in reader:
            project = Project.model_validate(_nested(paths, row))
            out.write(project.model_dump_json(exclude_defaults=True).encode() + b"\n")
            count += 1
    return count


def msgspec_csv_to_jsonl(source: Path, target: Path) -> int:
    """Canonical CSV -> msgspec structs -> JSON Lines."""
    import msgspec
    from peers_msgspec import Project

    encode = msgspec.json.Encoder().encode
    convert = msgspec.convert
    count = 0
    with open(source, newline="", encoding="utf-8") as src, open(target, "wb") as out:
        reader = csv.reader(src)
        paths = _paths(next(reader))
        for row in reader:
            project = convert(_nested(paths, row), Project, strict=False)
            out.write(encode(project) + b"\n")
            count += 1
    return count
