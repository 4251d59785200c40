"""The docs are tested: every command shown in README.md and docs/*.md runs as written.

Commands are read from the ```sh blocks of the markdown, not listed here, so a new example is
tested as soon as it is written. They run with the repository root as the working directory,
after the README's fixture scan, each against its own copy of that database; outputs (`-o`,
`--html`) go to a temporary folder. `provenance` commands run through typer's CliRunner,
`sqlite3` commands through Python's sqlite3 module on the same SQL, and a pipe into another
program (`dot`, `datasette`) runs only its `provenance` part.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from provenance.cli import app

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = [README, *sorted((REPO / "docs").glob("*.md"))]
# Markdown whose file paths must exist (relative to the repository or to the file itself).
PATH_DOCS = [*DOCS, REPO / "CONTRIBUTING.md", REPO / "fixtures" / "README.md"]
RUNNABLE = ("provenance", "sqlite3")
# Options whose value is a file the command writes: redirected into the test's folder.
OUTPUT_OPTIONS = ("-o", "--output", "--html", "--out")
FAIL_UNDER_EXIT = 3  # docs/check.md: originality below --fail-under
# The README's sample scan output was printed in a terminal this wide; rich wraps to the width.
DEMO_COLUMNS = "100"
FENCE_RE = re.compile(r"^```(\w*)\s*$")
INLINE_CODE_RE = re.compile(r"`([^`\n]+)`")
OPTION_RE = re.compile(r"(?<![\w-])(--?[a-z][a-z-]*)")
REPO_PATH_RE = re.compile(
    r"^(?:provenance|docs|fixtures|tests|benchmarks|examples|\.ci)/[\w.*/-]*$")


@dataclass(frozen=True)
class Shown:
    """A command as shown in a markdown code block: where, and the line as written."""

    doc: str  # path relative to the repository
    line: int
    text: str

    @property
    def id(self) -> str:
        """A readable test id: the file and line."""
        return f"{self.doc}:{self.line}"


def fenced_blocks(markdown: str) -> list[tuple[str, int, list[str]]]:
    """Every fenced code block of a markdown text: (language, first line number, lines)."""
    blocks: list[tuple[str, int, list[str]]] = []
    current: tuple[str, int, list[str]] | None = None
    for number, line in enumerate(markdown.splitlines(), 1):
        fence = FENCE_RE.match(line)
        if current is None and fence:
            current = (fence.group(1), number + 1, [])
        elif current is not None and line.startswith("```"):
            blocks.append(current)
            current = None
        elif current is not None:
            current[2].append(line)
    return blocks


def code_blocks(path: Path) -> list[tuple[str, int, list[str]]]:
    """Every fenced code block of a markdown file."""
    return fenced_blocks(path.read_text(encoding="utf-8"))


def shown_commands(paths: list[Path] = DOCS, programs: tuple[str, ...] = RUNNABLE) -> list[Shown]:
    """The lines of ```sh blocks that start with one of `programs`."""
    found = []
    for path in paths:
        for language, first, lines in code_blocks(path):
            if language != "sh":
                continue
            for offset, line in enumerate(lines):
                if line.split(" ", 1)[0] in programs:
                    found.append(Shown(str(path.relative_to(REPO)), first + offset, line))
    return found


def shell_words(text: str) -> tuple[list[str], str | None]:
    """The words of a shell line up to a pipe, without comments, and the file fed on stdin."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words: list[str] = []
    stdin = None
    tokens = iter(lexer)
    for token in tokens:
        if token == "|":  # only the provenance side of a pipe runs
            break
        if token == "<":
            stdin = next(tokens)
        elif token == ">":
            next(tokens)  # the output is captured instead
        else:
            words.append(token)
    return words, stdin


def redirect(words: list[str], db: Path, out_dir: Path) -> tuple[list[str], list[Path]]:
    """`words` with `--db` pointing at `db` and written files moved into `out_dir`."""
    args, outputs = list(words), []
    for i, word in enumerate(args[:-1]):
        if word == "--db":
            args[i + 1] = str(db)
        elif word in OUTPUT_OPTIONS:
            args[i + 1] = str(out_dir / Path(args[i + 1]).name)
            outputs.append(Path(args[i + 1]))
    return args, outputs


def option_value(words: list[str], option: str) -> str | None:
    """The value given to `option` in `words`, if any."""
    for i, word in enumerate(words[:-1]):
        if word == option:
            return words[i + 1]
    return None


def readme_scan() -> Shown:
    """The README's scan of the bundled fixtures: the command every other one builds on."""
    return next(c for c in shown_commands([README]) if c.text.startswith("provenance scan "))


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite database (WAL included) at `target`."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


@dataclass(frozen=True)
class ScanOutput:
    """The README's fixture scan, run once: its database and what it printed."""

    db: Path
    exit_code: int
    stdout: str


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> ScanOutput:
    """The README's scan command run from the repository root into a temporary database."""
    db = tmp_path_factory.mktemp("docs") / "fixtures.db"
    words, _ = shell_words(readme_scan().text)
    args, _ = redirect(words, db, db.parent)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        result = CliRunner(env={"COLUMNS": DEMO_COLUMNS}).invoke(app, args[1:])
    assert result.exit_code == 0, result.output
    return ScanOutput(db, result.exit_code, result.stdout)


def run_provenance(args: list[str], stdin: str | None) -> Result:
    """Invoke the CLI with `args` (without the program name), feeding the file `stdin`."""
    if stdin:
        assert (REPO / stdin).is_file(), f"{stdin} (given on stdin) does not exist"
    data = (REPO / stdin).read_bytes() if stdin else None
    return CliRunner().invoke(app, args, input=data)


def expected_exit(args: list[str], stdin: str | None) -> int:
    """0, or the documented code 3 when a check's originality is below its --fail-under."""
    threshold = option_value(args, "--fail-under")
    if args[0] != "check" or threshold is None:
        return 0
    probe = [args[0], args[1], "--db", option_value(args, "--db") or "", "--format", "json"]
    result = run_provenance(probe, stdin)
    assert result.exit_code == 0, result.output
    originality = json.loads(result.stdout)["originality"]
    return FAIL_UNDER_EXIT if originality < float(threshold) else 0


COMMANDS = shown_commands()


def test_the_docs_show_commands_to_run() -> None:
    programs = {c.text.split()[0] for c in COMMANDS}
    assert programs == set(RUNNABLE), COMMANDS
    assert readme_scan() in COMMANDS


@pytest.mark.parametrize("shown", COMMANDS, ids=[c.id for c in COMMANDS])
def test_shown_command_runs_as_written(shown: Shown, scanned: ScanOutput, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    if shown == readme_scan():
        assert scanned.exit_code == 0 and scanned.stdout.strip()
        return
    monkeypatch.chdir(REPO)
    db = copy_database(scanned.db, tmp_path / "fixtures.db")
    words, stdin = shell_words(shown.text)
    args, outputs = redirect(words, db, tmp_path)
    if args[0] == "sqlite3":
        assert len(args) == 3, f"{shown.id}: expected `sqlite3 DB \"SQL\"`: {shown.text}"
        with sqlite3.connect(db) as conn:
            rows = conn.execute(args[2]).fetchall()
        conn.close()
        assert rows, f"{shown.id}: no rows from {args[2]}"
        return
    code = expected_exit(args[1:], stdin)
    result = run_provenance(args[1:], stdin)
    assert result.exit_code == code, f"{shown.id}: {shown.text}\n{result.output}"
    written = [p for p in outputs if (p.is_file() and p.stat().st_size)
               or (p.is_dir() and any(p.iterdir()))]  # a file, or a folder (the report site)
    assert result.stdout.strip() or written, f"{shown.id}: no output from {shown.text}"


def test_every_command_is_in_the_readme_and_has_help() -> None:
    readme = {c.text.split()[1] for c in shown_commands([README], ("provenance",))}
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert set(commands) <= readme, f"not shown in README.md: {sorted(set(commands) - readme)}"
    runner = CliRunner()
    for name in commands:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, result.output


def test_readme_sample_output_is_what_the_scan_prints(scanned: ScanOutput) -> None:
    sample = next(lines for language, first, lines in code_blocks(README)
                  if language == "text" and first > readme_scan().line)
    assert table_rows(sample) == table_rows(scanned.stdout.splitlines()), scanned.stdout


def table_rows(lines: list[str]) -> list[tuple[str, ...]]:
    """The header and body rows of the rich tables in `lines`, cell by cell."""
    return [tuple(cell.strip() for cell in line.strip()[1:-1].split(line.strip()[0]))
            for line in lines if line.strip()[:1] in ("┃", "│")]


def test_sql_examples_run_on_the_fixture_database(scanned: ScanOutput, tmp_path: Path) -> None:
    db = copy_database(scanned.db, tmp_path / "fixtures.db")
    statements = [(path, first, sql) for path in DOCS
                  for language, first, lines in code_blocks(path) if language == "sql"
                  for sql in split_sql(lines)]
    assert statements
    with sqlite3.connect(db) as conn:
        for path, first, sql in statements:
            try:
                conn.execute(sql).fetchall()
            except sqlite3.Error as exc:
                pytest.fail(f"{path.name} (block at line {first}): {exc}\n{sql}")
    conn.close()


def split_sql(lines: list[str]) -> list[str]:
    """The complete statements of a SQL block, comments left in place."""
    statements, pending = [], ""
    for line in lines:
        pending += line + "\n"
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return statements


def all_options() -> set[str]:
    """Every option of the CLI and of its commands."""
    group = typer.main.get_command(app)
    params = list(group.params)
    for command in group.commands.values():  # type: ignore[attr-defined]
        params += command.params
    return {opt for param in params for opt in (*param.opts, *param.secondary_opts)}


def short_option(option: str) -> str:
    """A repeated short flag as the option it repeats (`-vv` is `-v` twice)."""
    return option[:2] if re.fullmatch(r"-([a-z])\1+", option) else option


def test_options_named_in_the_docs_exist() -> None:
    known = all_options()
    named = set()
    for path in [*DOCS, REPO / "CONTRIBUTING.md"]:
        text = path.read_text(encoding="utf-8")
        spans = [s for s in INLINE_CODE_RE.findall(text)
                 if s.startswith(("-", "provenance "))]
        spans += [c.text.split("#", 1)[0] for c in shown_commands([path], ("provenance",))]
        named |= {(path.name, short_option(opt)) for span in spans
                  for opt in OPTION_RE.findall(span)}
    missing = sorted(f"{doc}: {opt}" for doc, opt in named if opt not in known)
    assert not missing, missing


def test_files_named_in_the_docs_exist() -> None:
    missing = []
    for path in PATH_DOCS:
        text = path.read_text(encoding="utf-8")
        words = INLINE_CODE_RE.findall(text)
        programs = ("provenance", "sqlite3", "python", "datasette")
        words += [w for c in shown_commands([path], programs) for w in shell_words(c.text)[0]]
        for word in words:
            if REPO_PATH_RE.match(word) and not (
                    any(REPO.glob(word)) or any(path.parent.glob(word))):
                missing.append(f"{path.relative_to(REPO)}: {word}")
    assert not missing, missing


def test_ci_runs_the_documented_test_and_lint_commands() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    documented = [line for path in (README, REPO / "CONTRIBUTING.md")
                  for language, _, lines in code_blocks(path) if language == "sh"
                  for line in lines if line.startswith(("python -m pytest", "ruff "))]
    assert "python -m pytest" in documented
    assert "ruff check provenance tests benchmarks fixtures" in documented
    for command in documented:
        assert command in ci, f".ci/run does not run {command!r}"
    assert any("chromium" in line and "graphviz" in line for line in ci)


def test_licence_matches_the_package_metadata() -> None:
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert 'license = { text = "MIT" }' in (REPO / "pyproject.toml").read_text(encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    assert "## Licence" in readme, "README.md has no Licence section"
    assert "MIT" in readme.split("## Licence", 1)[1]


def test_fixture_warc_rebuilds_byte_for_byte(tmp_path: Path) -> None:
    """fixtures/README.md: `python fixtures/build_warc.py` rebuilds the WARC deterministically."""
    copy = tmp_path / "fixtures"
    shutil.copytree(REPO / "fixtures" / "warc" / "src", copy / "warc" / "src")
    shutil.copy(REPO / "fixtures" / "build_warc.py", copy)
    done = subprocess.run([sys.executable, str(copy / "build_warc.py")], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    rebuilt = (copy / "warc" / "news.warc.gz").read_bytes()
    assert rebuilt == (REPO / "fixtures" / "warc" / "news.warc.gz").read_bytes()
