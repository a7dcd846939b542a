"""The orders concepts page cannot drift from the lifecycle table it describes.

docs/concepts/orders.md shows the lifecycle three ways: the Mermaid diagram, a table of the
transitions that change the status (with their guards in words), and a table of the commands
each status accepts without changing. All three are checked against ``ORDER_LIFECYCLE``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ecomkit.orders import ORDER_LIFECYCLE, OrderStatus, lifecycle_mermaid


PAGE = Path(__file__).resolve().parent.parent / "docs" / "concepts" / "orders.md"

#: What the "Refused when" cell of an unguarded transition starts with.
NO_GUARD = "—"

_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
_CODE = re.compile(r"^`([^`]+)`$")


def page_lines() -> list[str]:
    return PAGE.read_text(encoding="utf-8").splitlines()


def fenced_blocks(language: str) -> list[list[str]]:
    """Return the bodies of the page's fenced blocks in *language*."""
    lines = page_lines()
    blocks: list[list[str]] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        index += 1
        if opening is None:
            continue
        fence, info = opening[1], opening[2].strip()
        body: list[str] = []
        while index < len(lines):
            closing = _FENCE.match(lines[index])
            index += 1
            if closing is not None and closing[1].startswith(fence) and not closing[2].strip():
                break
            body.append(lines[index - 1])
        if info == language:
            blocks.append(body)
    return blocks


def section(title: str) -> list[str]:
    """Return the lines of the section headed *title*, up to the next heading of any level."""
    lines = page_lines()
    inside = False
    found: list[str] = []
    in_code = False
    for line in lines:
        if _FENCE.match(line):
            in_code = not in_code
        heading = None if in_code else _HEADING.match(line)
        if heading is not None:
            if inside:
                break
            inside = heading[2] == title
            continue
        if inside:
            found.append(line)
    assert inside, f"{PAGE.name} has no section headed {title!r}"
    return found


def tables(lines: list[str]) -> list[list[list[str]]]:
    """Return the Markdown tables in *lines*: header row first, cells stripped."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*lines, ""]:
        stripped = line.strip()
        if not stripped.startswith("|"):
            if current:
                found.append(current)
            current = []
            continue
        cells = [cell.strip() for cell in stripped.strip("|").split("|")]
        if not all(set(cell) <= {"-", ":"} for cell in cells):  # skip the delimiter row
            current.append(cells)
    return found


def table(title: str, header: list[str]) -> list[list[str]]:
    """Return the body rows of the table with *header* in the section headed *title*."""
    matching = [rows for rows in tables(section(title)) if rows[0] == header]
    assert len(matching) == 1, f"expected one table headed {header} under {title!r}"
    return matching[0][1:]


def code(cell: str) -> str:
    found = _CODE.match(cell)
    assert found is not None, f"expected one `code` span, got {cell!r}"
    return found[1]


# ---------------------------------------------------------------- the diagram


def test_the_page_draws_the_diagram_lifecycle_mermaid_draws():
    diagrams = fenced_blocks("mermaid")
    assert len(diagrams) == 1, f"expected one mermaid block, found {len(diagrams)}"
    assert "\n".join(diagrams[0]) + "\n" == lifecycle_mermaid()


# ---------------------------------------------------------------- the transitions table

#: The rows of ORDER_LIFECYCLE that change the status: (source, command, target) -> guarded.
STATUS_CHANGES = {
    (row.source.value, row.command.__name__, row.target.value): row.guard is not None
    for row in ORDER_LIFECYCLE.transitions
    if not row.is_internal
}


@pytest.fixture(scope="module")
def transitions() -> list[list[str]]:
    return table("Transitions", ["From", "Command", "To", "Refused when"])


def test_the_lifecycle_changes_status_through_several_rows():
    # Guards the checks below against a table that lost its rows.
    assert len(STATUS_CHANGES) >= 10


def test_the_transitions_table_lists_every_status_change_once(transitions):
    listed = Counter((code(row[0]), code(row[1]), code(row[2])) for row in transitions)
    repeated = [row for row, count in listed.items() if count > 1]
    assert not repeated, f"listed twice: {repeated}"
    assert set(listed) - set(STATUS_CHANGES) == set(), "the page lists rows the table lacks"
    assert set(STATUS_CHANGES) - set(listed) == set(), "the page misses rows of the table"


def test_the_transitions_table_says_which_rows_are_guarded(transitions):
    for row in transitions:
        key = (code(row[0]), code(row[1]), code(row[2]))
        refused_when = row[3]
        assert refused_when, f"{key}: the 'Refused when' cell is empty"
        if STATUS_CHANGES[key]:
            assert not refused_when.startswith(NO_GUARD), f"{key} is guarded; say when it refuses"
        else:
            assert refused_when.startswith(NO_GUARD), f"{key} has no guard; start with {NO_GUARD}"


# ---------------------------------------------------------------- the commands that keep the status


def test_the_table_of_status_keeping_commands_matches_the_lifecycle():
    body = table("Transitions", ["Status", "Accepts, keeping the status"])
    listed = {
        code(status): set()
        if accepts == "nothing"
        else {code(item.strip()) for item in accepts.split(",")}
        for status, accepts in body
    }
    expected = {
        status.value: {
            row.command.__name__
            for row in ORDER_LIFECYCLE.transitions
            if row.source is status and row.is_internal
        }
        for status in OrderStatus
    }
    assert listed == expected
