"""The returns concepts page cannot drift from the lifecycle table it describes.

docs/concepts/returns.md shows the RMA lifecycle twice: the Mermaid diagram and a table of
every row of ``RETURN_LIFECYCLE`` in order, with its guard in words. Both are checked against
the table, and the table of order commands names every kind of return event.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from ecomkit.returns import RETURN_LIFECYCLE, ReturnEvent, return_lifecycle_mermaid
from markdown_pages import DOCS, MarkdownPage, code


PAGE = MarkdownPage(DOCS / "concepts" / "returns.md")

#: What the "Refused when" cell of an unguarded row starts with.
NO_GUARD = "—"

#: What a guard cell may say instead of repeating the words of an earlier row.
SAME_AS = re.compile(r"^as from `([a-z_]+)`$")

# ---------------------------------------------------------------- the diagram


def test_the_page_draws_the_diagram_return_lifecycle_mermaid_draws():
    diagrams = PAGE.fenced_blocks("mermaid")
    assert len(diagrams) == 1, f"expected one mermaid block, found {len(diagrams)}"
    assert "\n".join(diagrams[0]) + "\n" == return_lifecycle_mermaid()


# ---------------------------------------------------------------- the transitions table

#: Every row of RETURN_LIFECYCLE, in order: (source, command, target, guarded).
ROWS = [
    (row.source.value, row.command.__name__, row.target.value, row.guard is not None)
    for row in RETURN_LIFECYCLE.transitions
]


@pytest.fixture(scope="module")
def transitions() -> list[list[str]]:
    return PAGE.table("Transitions", ["From", "Command", "To", "Refused when"])


def test_the_lifecycle_has_enough_rows_to_check():
    # Guards the checks below against a table that lost its rows.
    assert len(ROWS) >= 20


def test_the_transitions_table_lists_every_row_once_in_the_lifecycles_order(transitions):
    listed = [(code(row[0]), code(row[1]), code(row[2])) for row in transitions]
    repeated = [row for row, count in Counter(listed).items() if count > 1]
    assert not repeated, f"listed twice: {repeated}"
    expected = [(source, command, target) for source, command, target, _ in ROWS]
    assert set(listed) - set(expected) == set(), "the page lists rows the lifecycle lacks"
    assert set(expected) - set(listed) == set(), "the page misses rows of the lifecycle"
    # The order matters: of the rows sharing a status and a command, the first allowed wins.
    assert listed == expected, "the page lists the rows in another order than the lifecycle"


def test_the_transitions_table_says_which_rows_are_guarded(transitions):
    guarded = {(source, command, target): flag for source, command, target, flag in ROWS}
    for row in transitions:
        key = (code(row[0]), code(row[1]), code(row[2]))
        refused_when = row[3]
        assert refused_when, f"{key}: the 'Refused when' cell is empty"
        if guarded[key]:
            assert not refused_when.startswith(NO_GUARD), f"{key} is guarded; say when it refuses"
        else:
            assert refused_when.startswith(NO_GUARD), f"{key} has no guard; start with {NO_GUARD}"


def test_a_guard_described_as_from_another_status_is_the_same_guard(transitions):
    guards = {
        (row.source.value, row.command.__name__, row.target.value): row.guard
        for row in RETURN_LIFECYCLE.transitions
    }
    for row in transitions:
        same = SAME_AS.match(row[3])
        if same is None:
            continue
        command, target = code(row[1]), code(row[2])
        other = (same[1], command, target)
        assert other in guards, f"{row}: there is no row {other} to refer to"
        assert guards[(code(row[0]), command, target)] is guards[other], (
            f"{row}: its guard is not the guard of {other}"
        )


# ---------------------------------------------------------------- the order's side


def test_the_ledger_table_names_every_return_event():
    body = PAGE.table("Keeping the order in step", ["Return event", "Order command", "Its key"])
    named = {name for row in body for name in re.findall(r"`([A-Za-z]+)`", row[0])}
    assert named == {kind.__name__ for kind in ReturnEvent.__subclasses__()}
