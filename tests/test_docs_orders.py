"""The orders concepts page cannot drift from the lifecycle table it describes.

docs/concepts/orders.md shows the lifecycle three ways: the Mermaid diagram, a table of the
transitions that change the status (with their guards in words), and a table of the commands
each status accepts without changing. All three are checked against ``ORDER_LIFECYCLE``.
"""

from __future__ import annotations

from collections import Counter

import pytest

from ecomkit.orders import ORDER_LIFECYCLE, OrderStatus, lifecycle_mermaid
from markdown_pages import DOCS, MarkdownPage, code


PAGE = MarkdownPage(DOCS / "concepts" / "orders.md")

#: What the "Refused when" cell of an unguarded transition starts with.
NO_GUARD = "—"

# ---------------------------------------------------------------- the diagram


def test_the_page_draws_the_diagram_lifecycle_mermaid_draws():
    diagrams = PAGE.fenced_blocks("mermaid")
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
    return PAGE.table("Transitions", ["From", "Command", "To", "Refused when"])


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
    body = PAGE.table("Transitions", ["Status", "Accepts, keeping the status"])
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
