"""The documentation is tested: every example runs, and every public thing is documented.

Each page of ``docs/`` (and the README) runs top to bottom like a script, in a scratch
folder that holds the repository's ``examples/``: ``pycon`` blocks are doctests,
``python`` blocks are executed, ``console`` blocks are run in a shell and their output
compared (``...`` matches anything), ``toml`` and ``json`` blocks must parse. A block in
any other language fails the test, so no example can escape being run.
"""

from __future__ import annotations

import argparse
import doctest
import json
import os
import re
import subprocess
import sys
import tomllib
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import socialproj
from socialproj.plugins import specs as hookspecs
from socialproj.validation import CODES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted([*DOCS.rglob("*.md"), ROOT / "README.md"])
PAGES = [page for page in PAGES if "_build" not in page.parts]
BIN = Path(sys.executable).parent

#: languages that are shown, not run: shell set-up commands (make, pip) and plain text
NOT_RUN = {"shell", "text"}
RUN = {"pycon", "python", "console", "toml", "json"}
DIRECTIVES = {
    "toctree",
    "literalinclude",
    "eval-rst",
    "code-block",  # with :caption: path — the runner writes the file where the page runs
    "note",
    "warning",
    "tip",
    "seealso",
}

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@dataclass
class Block:
    """A fenced block of a page: its language, first content line (1-based) and text."""

    page: Path
    language: str
    line: int
    text: str
    file: str | None = None  # a code-block's caption: the file it shows

    @property
    def where(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{page}:{self.line}"


_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")


def blocks(page: Path, text: str | None = None, first_line: int = 1) -> Iterator[Block]:
    """The fenced blocks of a Markdown page, those inside MyST directives included."""
    lines = (page.read_text(encoding="utf-8") if text is None else text).split("\n")
    i = 0
    while i < len(lines):
        opened = _FENCE.match(lines[i])
        if not opened:
            i += 1
            continue
        fence, info = opened["fence"], opened["info"].strip()
        end = i + 1
        while end < len(lines):
            closing = lines[end].strip()
            if closing.startswith(fence[0] * len(fence)) and not closing.strip(fence[0]):
                break
            end += 1
        body = "\n".join(lines[i + 1 : end])
        start = first_line + i + 1
        if info.startswith("{"):
            directive, _, argument = info[1:].partition("}")
            assert directive in DIRECTIVES, f"{page}:{start - 1}: unexpected directive {info!r}"
            if directive in ("note", "warning", "tip", "seealso"):
                yield from blocks(page, body, start)
            elif directive == "code-block":
                options = {}
                body_lines = body.split("\n")
                while body_lines and body_lines[0].startswith(":"):
                    key, _, value = body_lines.pop(0)[1:].partition(":")
                    options[key] = value.strip()
                assert "caption" in options, f"{page}:{start}: a code-block names its file"
                offset = start + len(options) + (1 if body_lines and not body_lines[0] else 0)
                text = "\n".join(body_lines).lstrip("\n")
                yield Block(page, argument.strip(), offset, text, file=options["caption"])
        else:
            yield Block(page, info.split()[0] if info else "", start, body)
        i = end + 1


def all_blocks() -> list[Block]:
    return [block for page in PAGES for block in blocks(page)]


# -- running a page ---------------------------------------------------------------------


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch folder with the repository's examples, as the current directory."""
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _console(block: Block, cwd: Path) -> list[str]:
    """Run a console block's commands; the differences from the shown output."""
    failures = []
    commands: list[tuple[int, str, list[str]]] = []
    lines = block.text.split("\n")
    k = 0
    while k < len(lines):
        line = lines[k]
        if line.startswith("$ "):
            command, number = line[2:], block.line + k
            while command.endswith("\\") and k + 1 < len(lines):
                k += 1
                command = command[:-1] + lines[k]
            commands.append((number, command, []))
        elif commands:
            commands[-1][2].append(line)
        else:
            failures.append(f"{block.where}: output before any command")
        k += 1
    environment = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": "100",
        "PYTHONIOENCODING": "utf-8",
    }
    checker = doctest.OutputChecker()
    for number, command, shown in commands:
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=cwd,
            env=environment,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )
        want = "\n".join(shown).strip() + "\n"
        got = (done.stdout + done.stderr).strip() + "\n"
        if want == "\n" and done.returncode != 0:
            failures.append(f"{block.page.name}:{number}: `{command}` failed:\n{got}")
        elif not checker.check_output(want, got, FLAGS):
            failures.append(
                f"{block.page.name}:{number}: `{command}` printed\n{got}\ninstead of\n{want}"
            )
    return failures


def run_page(page: Path, cwd: Path) -> list[str]:
    """Run every block of ``page`` in order, sharing one namespace; the failures."""
    # the page's namespace is a real module, as a script's or a notebook's is
    module = types.ModuleType(f"docs_{page.stem.replace('-', '_')}")
    sys.modules[module.__name__] = module
    try:
        return _run_blocks(page, cwd, module.__dict__)
    finally:
        del sys.modules[module.__name__]


def _run_blocks(page: Path, cwd: Path, namespace: dict[str, object]) -> list[str]:
    parser = doctest.DocTestParser()
    failures: list[str] = []
    for block in blocks(page):
        if block.file is not None:
            target = cwd / block.file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text + "\n", encoding="utf-8")
            if block.language == "python":
                try:
                    compile(block.text, str(target), "exec")
                except SyntaxError as exc:
                    failures.append(f"{block.where}: {exc}")
        elif block.language == "pycon":
            test = parser.get_doctest(block.text, namespace, page.name, str(page), block.line - 1)
            report: list[str] = []
            runner = doctest.DocTestRunner(optionflags=FLAGS)
            result = runner.run(test, out=report.append, clear_globs=False)
            namespace.update(test.globs)
            if result.failed:
                failures.append("".join(report))
        elif block.language == "python":
            code = compile("\n" * (block.line - 1) + block.text, str(page), "exec")
            try:
                exec(code, namespace)
            except Exception as exc:
                failures.append(f"{block.where}: {type(exc).__name__}: {exc}")
        elif block.language == "console":
            failures.extend(_console(block, cwd))
        elif block.language == "toml":
            try:
                tomllib.loads(block.text)
            except tomllib.TOMLDecodeError as exc:
                failures.append(f"{block.where}: not TOML: {exc}")
        elif block.language == "json":
            try:
                json.loads(block.text)
            except ValueError as exc:
                failures.append(f"{block.where}: not JSON: {exc}")
        elif block.language not in NOT_RUN:
            failures.append(f"{block.where}: a {block.language or 'plain'!r} block is never run")
    return failures


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_example_on_the_page_runs_as_shown(page: Path, sandbox: Path):
    socialproj.formats()  # load the installed plugins first: only the page's own are removed
    registered_before = set(socialproj.plugins.host()._pm.list_name_plugin())
    try:
        failures = run_page(page, sandbox)
    finally:  # a page that registers a plugin must not leak it into other tests
        for name, _ in set(socialproj.plugins.host()._pm.list_name_plugin()) - registered_before:
            socialproj.unregister(name)
    assert not failures, "\n\n".join(failures)


def test_every_block_is_in_a_language_that_is_run_or_plainly_shown():
    for block in all_blocks():
        assert block.language in RUN | NOT_RUN, f"{block.where}: {block.language!r}"
    shown = [b for b in all_blocks() if b.language in NOT_RUN]
    for block in shown:  # shell blocks only set things up; everything else is run
        if block.language == "shell":
            for line in block.text.splitlines():
                assert re.match(r"\s*(#|$|make |pip |python -m pip |git )", line), block.where


def test_the_runner_catches_a_wrong_output(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text(
        "```pycon\n>>> 1 + 1\n3\n```\n\n```console\n$ echo hello\ngoodbye\n```\n\n"
        "```python\nraise ValueError('boom')\n```\n\n```yaml\na: 1\n```\n",
        encoding="utf-8",
    )
    failures = run_page(page, tmp_path)
    assert len(failures) == 4
    assert "page.md" in failures[0] and "Expected:\n    3" in failures[0]
    assert "goodbye" in failures[1] and "boom" in failures[2] and "yaml" in failures[3]


# -- everything public is documented ----------------------------------------------------


def _text(*parts: str) -> str:
    return (DOCS.joinpath(*parts)).read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The text under a ``## heading`` (up to the next heading of that level or higher)."""
    match = re.search(rf"^(#+) {re.escape(heading)}\s*$", text, re.MULTILINE)
    assert match, f"no section {heading!r}"
    level = len(match[1])
    rest = text[match.end() :]
    following = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: following.start()] if following else rest


def test_every_public_name_is_in_the_api_reference_with_a_docstring():
    api = _text("reference", "api.rst")
    for name in socialproj.__all__:
        if name in ("__version__", "fast"):
            continue
        assert re.search(rf"^\.\. \w+:: {re.escape(name)}$", api, re.MULTILINE), name
        obj = getattr(socialproj, name)
        if callable(obj) and not isinstance(obj, dict):
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"
    assert ".. automodule:: socialproj.fast" in api


def test_every_validation_code_has_a_section_with_an_example_that_produces_it():
    page = _text("reference", "validation.md")
    for code in CODES:
        section = _section(page, f"`{code}`")
        examples = [b.text for b in blocks(DOCS / "reference" / "validation.md", section)]
        assert any(code in example and ">>>" in example for example in examples), code


def test_every_code_a_built_in_reader_records_is_documented():
    page = _text("reference", "validation.md")
    sources = [*(ROOT / "plugins").rglob("*.py"), *(ROOT / "src").rglob("*.py")]
    recorded = {
        code
        for path in sources
        if "testing" not in path.parts
        for code in re.findall(r'"(import\.[a-z_.]+)"', path.read_text(encoding="utf-8"))
    }
    assert recorded
    for code in recorded:
        assert f"`{code}`" in page, code


def test_every_format_and_option_is_documented():
    page = _text("reference", "formats.md")
    for fmt in socialproj.formats():
        if fmt.plugin.startswith("socialproj "):  # the built-ins
            section = _section(page, f"`{fmt.name}`")
            for alias in fmt.aliases:
                assert f"`{alias}`" in section, (fmt.name, alias)
            for option in fmt.options:
                assert f"`{option.name}`" in section, (fmt.name, option.name)


def test_every_hook_is_documented():
    page = _text("reference", "plugins.md")
    hooks = [name for name in dir(hookspecs) if name.startswith("socialproj_")]
    assert len(hooks) == 3
    for hook in hooks:
        assert f"autofunction:: socialproj.plugins.specs.{hook}" in page, hook


def test_every_command_and_option_of_the_command_line_is_documented():
    from socialproj.cli import _parser

    page = _text("reference", "cli.md")
    parser = _parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for option in parser._actions:
        for flag in option.option_strings:
            assert f"`{flag}" in page, flag
    for name, command in subparsers.choices.items():
        section = _section(page, f"`socialproj {name}`")
        for option in command._actions:
            for flag in option.option_strings:
                if flag not in ("-h", "--help"):
                    assert f"`{flag}" in section, (name, flag)


# -- the site builds --------------------------------------------------------------------


@pytest.mark.slow
def test_the_site_builds_without_warnings(tmp_path: Path):
    html = tmp_path / "html"
    built = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", DOCS, html],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    assert (html / "reference" / "validation.html").exists()


def test_the_json_examples_are_valid_by_the_schema_and_read_as_shown():
    from .test_schema import DOCUMENT, PROJECT

    [project] = [b for b in blocks(DOCS / "reference" / "canonical.md") if b.language == "json"]
    data = json.loads(project.text)
    PROJECT.validate(data)
    assert socialproj.to_dict(socialproj.from_dict(data)) == data
    [document] = [b for b in blocks(DOCS / "reference" / "formats.md") if b.language == "json"]
    DOCUMENT.validate(json.loads(document.text))
