"""The layers of the code hold (the import-linter contracts in pyproject.toml)."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import pytest
from importlinter import cli as importlinter_cli

import socialproj

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
# the modules of socialproj that plugins may import besides socialproj itself; the rest is
# reachable through `socialproj` (its __init__ re-exports what is public)
PUBLIC_SUBMODULES = {
    "socialproj.canonical",
    "socialproj.dask",
    "socialproj.fast",
    "socialproj.jsonmapping",
    "socialproj.mapping",
    "socialproj.testing",
    "socialproj.vocabulary",
}


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def submodules() -> set[str]:
    return {
        f"socialproj.{info.name}"
        for info in pkgutil.iter_modules(socialproj.__path__)
        if info.name != "__init__"
    }


def test_every_contract_is_kept(capsys: pytest.CaptureFixture[str]) -> None:
    code = importlinter_cli.lint_imports(config_filename=str(PYPROJECT), no_cache=True)
    report = capsys.readouterr().out
    assert code == 0, report
    assert f"Contracts: {len(contracts())} kept, 0 broken." in report


def test_plugins_are_forbidden_every_non_public_module() -> None:
    forbidden = set(contracts()["plugins-use-the-public-api"]["forbidden_modules"])
    assert forbidden == submodules() - PUBLIC_SUBMODULES


def test_the_layers_name_every_module() -> None:
    layers = contracts()["layers"]["layers"]
    named = {
        f"socialproj.{name.strip()}"
        for layer in layers
        for name in layer.replace("|", ":").split(":")
    }
    assert named == submodules()
