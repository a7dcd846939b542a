"""What the repository promises its readers: the README's commands, runnable docs, a changelog.

The README tells a newcomer two commands; CI must run the second one verbatim, so the
instructions cannot rot without the build noticing. Every Python example in the README and the
documentation site runs as a doctest, unless it is explicitly marked as not run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import ecomkit.errors


ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CI_SCRIPT = ROOT / ".ci" / "run"
CHANGELOG = ROOT / "CHANGELOG.md"
DOCS = ROOT / "docs"

NOT_RUN_MARKER = "<!-- not run -->"
PYTHON_LANGUAGES = frozenset({"python", "py", "pycon", "python3", "py3"})

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_HEADING = re.compile(r"^(?P<level>#{1,6})[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$")


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block found in a Markdown file."""

    path: Path
    line: int  # 1-based line of the opening fence
    language: str
    body: tuple[str, ...]
    preceding_line: str  # the line right before the opening fence ("" at the top)

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def _language(info: str) -> str:
    """Return the language of a fence info string: ``python title="x"`` and ``{.python}``."""
    words = info.strip().strip("{}").split()
    return words[0].lstrip(".").lower() if words else ""


def code_blocks(path: Path) -> list[CodeBlock]:
    """Return every fenced code block of a Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[CodeBlock] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence = opening["fence"]
        start = index
        index += 1
        body: list[str] = []
        while index < len(lines):
            closing = _FENCE.match(lines[index])
            if (
                closing is not None
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            body.append(lines[index])
            index += 1
        blocks.append(
            CodeBlock(
                path=path,
                line=start + 1,
                language=_language(opening["info"]),
                body=tuple(body),
                preceding_line=lines[start - 1].strip() if start else "",
            )
        )
        index += 1
    return blocks


def section_range(path: Path, title: str) -> range | None:
    """Return the 1-based line numbers of the section headed *title* (heading excluded).

    The section ends at the next heading of the same or a higher level; ``#`` lines inside
    fenced code blocks are not headings.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    headings: list[tuple[int, int, str]] = []  # (line number, level, title)
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        if found := _FENCE.match(line):
            marker = found["fence"]
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is None and (heading := _HEADING.match(line)):
            headings.append((number, len(heading["level"]), heading["title"].strip()))
    for position, (number, level, text) in enumerate(headings):
        if text != title:
            continue
        end = next(
            (other for other, other_level, _ in headings[position + 1 :] if other_level <= level),
            len(lines) + 1,
        )
        return range(number + 1, end)
    return None


def markdown_files() -> list[Path]:
    """Return the README and every Markdown page of the documentation site."""
    return [README, *sorted(DOCS.rglob("*.md"))]


def python_blocks() -> list[CodeBlock]:
    return [
        block
        for path in markdown_files()
        for block in code_blocks(path)
        if block.language in PYTHON_LANGUAGES
    ]


# ---------------------------------------------------------------- README quickstart


@pytest.fixture(scope="module")
def quickstart_commands() -> list[CodeBlock]:
    lines = section_range(README, "Quickstart")
    assert lines is not None, "README.md has no section headed 'Quickstart'"
    shell = [
        block for block in code_blocks(README) if block.line in lines and block.language == "shell"
    ]
    assert len(shell) >= 2, "the Quickstart section needs two fenced ``shell`` blocks"
    return shell[:2]


def test_readme_has_a_quickstart_section():
    assert section_range(README, "Quickstart") is not None


def test_each_quickstart_command_is_exactly_one_line(quickstart_commands):
    for block in quickstart_commands:
        assert len(block.body) == 1, f"{block.where}: expected one line, got {len(block.body)}"
        assert block.body[0].strip(), f"{block.where}: the command is empty"


def test_the_first_quickstart_command_runs_the_demo(quickstart_commands):
    assert "python -m ecomkit demo" in quickstart_commands[0].body[0]


def test_the_second_quickstart_command_runs_the_test_suite(quickstart_commands):
    assert re.search(r"(^|[\s/])(python -m pytest|pytest)(\s|$)", quickstart_commands[1].body[0])


def test_ci_runs_the_readme_test_command_verbatim(quickstart_commands):
    command = quickstart_commands[1].body[0].strip()
    ci_lines = [line.strip() for line in CI_SCRIPT.read_text(encoding="utf-8").splitlines()]
    assert command in ci_lines, f".ci/run does not contain the README command:\n  {command}"


@pytest.mark.parametrize("gate", ["mypy --strict src", "mkdocs build --strict"])
def test_ci_runs_the_type_and_docs_gates(gate):
    commands = [
        line.strip()
        for line in CI_SCRIPT.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert any(gate in line for line in commands), f".ci/run does not run {gate!r}"


# ---------------------------------------------------------------- runnable examples


def test_the_markdown_parser_finds_the_readme_examples():
    # Guards the checks below against a parser that silently finds nothing.
    assert any(block.language == "pycon" for block in code_blocks(README))


def has_prompts(block: CodeBlock) -> bool:
    return any(line.lstrip().startswith(">>>") for line in block.body)


def is_accounted_for(block: CodeBlock) -> bool:
    """Return whether a Python block runs as a doctest or is explicitly marked as not run."""
    return has_prompts(block) or block.preceding_line == NOT_RUN_MARKER


@pytest.mark.parametrize("block", python_blocks(), ids=lambda block: block.where)
def test_every_python_example_is_a_doctest_or_marked_not_run(block):
    assert is_accounted_for(block), (
        f"{block.where}: a {block.language} block without '>>>' prompts runs nowhere; "
        f"make it a doctest or put {NOT_RUN_MARKER!r} on the line before the fence"
    )


def test_the_example_check_tells_the_three_kinds_of_block_apart(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n"
        "```pycon\n>>> 1 + 1\n2\n\n```\n\n"
        "<!-- not run -->\n```python\nconnect()\n```\n\n"
        "~~~py title='x'\nimport os\n~~~\n\n"
        "```shell\npython -m pytest\n```\n",
        encoding="utf-8",
    )
    blocks = code_blocks(page)
    assert [block.language for block in blocks] == ["pycon", "python", "py", "shell"]
    assert [is_accounted_for(block) for block in blocks[:3]] == [True, True, False]


@pytest.mark.parametrize("block", python_blocks(), ids=lambda block: block.where)
def test_every_doctest_block_ends_with_a_blank_line(block):
    # Without it, doctest reads the closing fence as part of the expected output.
    if has_prompts(block):
        assert block.body, block.where
        assert not block.body[-1].strip(), f"{block.where}: add a blank line before the fence"


def test_not_run_blocks_hold_no_doctest_prompts():
    # pytest collects '>>>' anywhere in a Markdown file, so a "not run" block must not have any.
    for path in markdown_files():
        for block in code_blocks(path):
            if block.preceding_line == NOT_RUN_MARKER:
                assert not has_prompts(block), (
                    f"{block.where}: a block marked not run contains '>>>' prompts"
                )


# ---------------------------------------------------------------- changelog and errors page


def test_changelog_has_an_unreleased_section():
    headings = [line.strip() for line in CHANGELOG.read_text(encoding="utf-8").splitlines()]
    assert "## [Unreleased]" in headings


def test_the_errors_page_shows_the_tree_of_the_errors_module():
    docstring = ecomkit.errors.__doc__ or ""
    module_trees = [
        block.strip("\n") for block in re.findall(r"```text\n(.*?)```", docstring, re.DOTALL)
    ]
    page_trees = [
        "\n".join(block.body).strip("\n")
        for block in code_blocks(DOCS / "errors.md")
        if block.language == "text"
    ]
    assert module_trees, "the ecomkit.errors docstring lost its tree"
    assert page_trees == module_trees[:1], "docs/errors.md shows a different tree"


def test_the_errors_tree_names_every_exported_error():
    docstring = ecomkit.errors.__doc__ or ""
    for name in ecomkit.errors.__all__:
        value = getattr(ecomkit.errors, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            assert re.search(rf"\b{name}\b", docstring), f"{name} is missing from the tree"
