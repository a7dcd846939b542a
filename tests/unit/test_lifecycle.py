"""ecomkit.lifecycle: checked transition tables, guard selection and Mermaid diagrams."""

from __future__ import annotations

import enum

import pytest

from ecomkit.errors import EcomkitError, LifecycleDefinitionError
from ecomkit.lifecycle import Lifecycle, Transition


class Ticket(enum.StrEnum):
    OPEN = "open"
    WORKING = "working"
    DONE = "done"
    DROPPED = "dropped"


class Stranger(enum.StrEnum):
    ELSEWHERE = "elsewhere"


class Start: ...


class Note: ...


class Finish: ...


class Drop: ...


def refuse(reason):
    def guard(_aggregate, _command):
        return reason

    return guard


def allow(_aggregate, _command):
    return None


def tickets(transitions=None, **overrides):
    """A ticket lifecycle; the default table passes every check."""
    if transitions is None:
        transitions = [
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING),
            Transition(source=Ticket.OPEN, command=Drop, target=Ticket.DROPPED),
            Transition(source=Ticket.WORKING, command=Note, target=Ticket.WORKING),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE),
            Transition(source=Ticket.WORKING, command=Drop, target=Ticket.DROPPED),
        ]
    arguments = {
        "name": "ticket",
        "states": Ticket,
        "initial": Ticket.OPEN,
        "terminal": [Ticket.DONE, Ticket.DROPPED],
        "transitions": transitions,
    }
    arguments.update(overrides)
    return Lifecycle(**arguments)


def problems_of(**arguments):
    with pytest.raises(LifecycleDefinitionError) as caught:
        tickets(**arguments)
    return list(caught.value.problems)


# ------------------------------------------------------------------ a valid table


def test_a_valid_table_keeps_its_parts():
    lifecycle = tickets()
    assert lifecycle.name == "ticket"
    assert lifecycle.states == tuple(Ticket)
    assert lifecycle.initial is Ticket.OPEN
    assert lifecycle.terminal == frozenset({Ticket.DONE, Ticket.DROPPED})
    assert len(lifecycle.transitions) == 5
    assert repr(lifecycle) == "Lifecycle('ticket', 4 states, 5 transitions)"


def test_a_transition_that_keeps_the_state_is_internal():
    assert Transition(source=Ticket.WORKING, command=Note, target=Ticket.WORKING).is_internal
    assert not Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING).is_internal


def test_transitions_compare_without_their_guards():
    guarded = Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING, guard=allow)
    plain = Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING)
    assert guarded == plain


def test_allowed_lists_each_command_of_a_state_once_in_table_order():
    lifecycle = tickets(
        transitions=[
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING, guard=allow),
            Transition(source=Ticket.OPEN, command=Drop, target=Ticket.DROPPED),
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.DONE),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE),
        ]
    )
    assert lifecycle.allowed(Ticket.OPEN) == (Start, Drop)
    assert lifecycle.allowed(Ticket.WORKING) == (Finish,)
    assert lifecycle.allowed(Ticket.DONE) == ()


def test_allowed_is_empty_for_a_value_that_is_not_a_state():
    assert tickets().allowed(Stranger.ELSEWHERE) == ()


def test_transitions_from_returns_the_rows_for_a_state_and_command_in_table_order():
    first = Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING, guard=allow)
    second = Transition(source=Ticket.OPEN, command=Start, target=Ticket.DONE)
    lifecycle = tickets(
        transitions=[
            first,
            Transition(source=Ticket.OPEN, command=Drop, target=Ticket.DROPPED),
            second,
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE),
        ]
    )
    rows = lifecycle.transitions_from(Ticket.OPEN, Start)
    assert rows == (first, second)
    assert rows[0].guard is allow
    assert rows[1].guard is None
    assert lifecycle.transitions_from(Ticket.WORKING, Start) == ()


def test_is_terminal_holds_for_the_terminal_states_only():
    lifecycle = tickets()
    assert [state for state in Ticket if lifecycle.is_terminal(state)] == [
        Ticket.DONE,
        Ticket.DROPPED,
    ]


# ------------------------------------------------------------------ definition problems


def test_an_initial_state_outside_the_enum_is_reported():
    problems = problems_of(initial=Stranger.ELSEWHERE)
    assert problems == [
        f"ticket: initial state {Stranger.ELSEWHERE!r} is not one of the states",
    ]


def test_a_table_without_terminal_states_is_reported():
    assert problems_of(terminal=[]) == ["ticket: no terminal state"]


def test_a_terminal_state_outside_the_enum_is_reported():
    problems = problems_of(terminal=[Ticket.DONE, Ticket.DROPPED, Stranger.ELSEWHERE])
    assert problems == [
        f"ticket: terminal state {Stranger.ELSEWHERE!r} is not one of the states",
    ]


def test_an_initial_state_that_is_terminal_is_reported():
    problems = problems_of(terminal=[Ticket.OPEN, Ticket.DONE, Ticket.DROPPED])
    assert "ticket: the initial state 'open' is terminal" in problems
    # Being terminal, the initial state's own rows are ways out as well.
    assert "ticket: terminal state 'open' has a way out (Start)" in problems


@pytest.mark.parametrize("role", ["source", "target"])
def test_a_transition_using_a_state_outside_the_enum_is_reported(role):
    ends = {"source": Ticket.WORKING, "target": Ticket.DONE, role: Stranger.ELSEWHERE}
    problems = problems_of(
        transitions=[
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING),
            Transition(command=Finish, **ends),
            Transition(source=Ticket.WORKING, command=Drop, target=Ticket.DROPPED),
        ]
    )
    assert problems == [
        f"ticket: {role} {Stranger.ELSEWHERE!r} of a transition is not a state",
    ]


def test_a_row_that_is_not_a_transition_is_reported():
    row = (Ticket.OPEN, Start, Ticket.WORKING)
    problems = problems_of(
        transitions=[
            row,
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE),
            Transition(source=Ticket.OPEN, command=Drop, target=Ticket.DROPPED),
        ]
    )
    assert problems == [f"ticket: {row!r} is not a Transition"]


def test_a_terminal_state_with_a_way_out_is_reported():
    problems = problems_of(
        transitions=[
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE),
            Transition(source=Ticket.WORKING, command=Drop, target=Ticket.DROPPED),
            Transition(source=Ticket.DONE, command=Start, target=Ticket.WORKING),
        ]
    )
    assert problems == ["ticket: terminal state 'done' has a way out (Start)"]


def test_an_unguarded_row_before_another_row_for_the_same_command_is_reported():
    problems = problems_of(
        transitions=[
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING),
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.DONE, guard=allow),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE),
            Transition(source=Ticket.OPEN, command=Drop, target=Ticket.DROPPED),
        ]
    )
    assert problems == [
        (
            "ticket: Start from 'open' has an unguarded transition before another one, "
            "which can never be chosen"
        )
    ]


def test_guarded_rows_before_a_final_unguarded_row_are_fine():
    lifecycle = tickets(
        transitions=[
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.DONE, guard=allow),
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.DROPPED, guard=allow),
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE),
        ]
    )
    assert len(lifecycle.transitions_from(Ticket.OPEN, Start)) == 3


def test_an_unreachable_state_is_reported():
    problems = problems_of(
        transitions=[
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE),
        ]
    )
    assert problems == ["ticket: state 'dropped' cannot be reached from 'open'"]


def test_a_trap_state_is_reported():
    problems = problems_of(
        transitions=[
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING),
            Transition(source=Ticket.WORKING, command=Note, target=Ticket.WORKING),
            Transition(source=Ticket.OPEN, command=Finish, target=Ticket.DONE),
            Transition(source=Ticket.OPEN, command=Drop, target=Ticket.DROPPED),
        ]
    )
    assert problems == ["ticket: trap state 'working': no terminal state can be reached from it"]


def test_every_state_and_row_problem_is_reported_at_once():
    row = "not a row"
    with pytest.raises(LifecycleDefinitionError) as caught:
        tickets(
            initial=Stranger.ELSEWHERE,
            terminal=[],
            transitions=[
                row,
                Transition(source=Stranger.ELSEWHERE, command=Start, target=Ticket.WORKING),
                Transition(source=Ticket.WORKING, command=Finish, target=Stranger.ELSEWHERE),
                Transition(source=Ticket.WORKING, command=Drop, target=Ticket.DONE),
                Transition(source=Ticket.WORKING, command=Drop, target=Ticket.DROPPED),
            ],
        )
    error = caught.value
    assert error.problems == (
        f"ticket: initial state {Stranger.ELSEWHERE!r} is not one of the states",
        "ticket: no terminal state",
        f"ticket: {row!r} is not a Transition",
        f"ticket: source {Stranger.ELSEWHERE!r} of a transition is not a state",
        f"ticket: target {Stranger.ELSEWHERE!r} of a transition is not a state",
        (
            "ticket: Drop from 'working' has an unguarded transition before another one, "
            "which can never be chosen"
        ),
    )
    assert str(error).startswith("invalid lifecycle: 6 problem(s)\n  ticket: initial state")
    assert isinstance(error, EcomkitError)
    assert isinstance(error, ValueError)


def test_every_graph_problem_is_reported_at_once():
    problems = problems_of(
        transitions=[
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING),
            Transition(source=Ticket.WORKING, command=Note, target=Ticket.OPEN),
        ]
    )
    assert problems == [
        "ticket: state 'done' cannot be reached from 'open'",
        "ticket: state 'dropped' cannot be reached from 'open'",
        "ticket: trap state 'open': no terminal state can be reached from it",
        "ticket: trap state 'working': no terminal state can be reached from it",
    ]


# ------------------------------------------------------------------ select


def test_select_takes_the_only_unguarded_row():
    lifecycle = tickets()
    chosen = lifecycle.select(object(), Ticket.OPEN, Start())
    assert chosen == Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING)


def test_select_takes_the_first_row_whose_guard_passes():
    seen = []

    def watching(aggregate, command):
        seen.append((aggregate, type(command)))

    lifecycle = tickets(
        transitions=[
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.DONE, guard=refuse("no")),
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING, guard=watching),
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.DROPPED),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE),
        ]
    )
    chosen = lifecycle.select("ticket-1", Ticket.OPEN, Start())
    assert not isinstance(chosen, str)
    assert chosen.target is Ticket.WORKING
    assert seen == [("ticket-1", Start)]


def test_select_falls_through_to_an_unguarded_last_row():
    lifecycle = tickets(
        transitions=[
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.DONE, guard=refuse("no")),
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DROPPED),
        ],
        terminal=[Ticket.DONE, Ticket.DROPPED],
    )
    chosen = lifecycle.select(None, Ticket.OPEN, Start())
    assert not isinstance(chosen, str)
    assert chosen.target is Ticket.WORKING


def test_select_returns_the_first_refusal_when_every_guard_refuses():
    lifecycle = tickets(
        transitions=[
            Transition(
                source=Ticket.OPEN, command=Start, target=Ticket.DONE, guard=refuse("too early")
            ),
            Transition(
                source=Ticket.OPEN, command=Start, target=Ticket.WORKING, guard=refuse("too late")
            ),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE),
            Transition(source=Ticket.OPEN, command=Drop, target=Ticket.DROPPED),
        ]
    )
    assert lifecycle.select(None, Ticket.OPEN, Start()) == "too early"


def test_select_names_the_allowed_commands_for_a_command_the_state_does_not_take():
    lifecycle = tickets()
    assert (
        lifecycle.select(None, Ticket.OPEN, Finish())
        == "not allowed while open (allowed: Start, Drop)"
    )
    assert (
        lifecycle.select(None, Ticket.WORKING, Start())
        == "not allowed while working (allowed: Note, Finish, Drop)"
    )


def test_select_in_a_terminal_state_says_no_command_is_allowed():
    assert tickets().select(None, Ticket.DONE, Start()) == "not allowed while done (no command is)"


# ------------------------------------------------------------------ Mermaid


def small_table():
    return tickets(
        transitions=[
            Transition(source=Ticket.OPEN, command=Start, target=Ticket.WORKING),
            Transition(source=Ticket.WORKING, command=Note, target=Ticket.WORKING),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE, guard=allow),
            Transition(source=Ticket.WORKING, command=Finish, target=Ticket.DONE, guard=allow),
            Transition(source=Ticket.WORKING, command=Drop, target=Ticket.DONE, guard=allow),
            Transition(source=Ticket.WORKING, command=Drop, target=Ticket.DROPPED),
            Transition(source=Ticket.OPEN, command=Drop, target=Ticket.DROPPED),
        ]
    )


def test_mermaid_draws_state_changes_and_leaves_out_internal_transitions():
    assert small_table().to_mermaid().splitlines() == [
        "stateDiagram-v2",
        "    [*] --> open",
        "    open --> working : Start",
        "    working --> done : Finish [guarded], Drop [guarded]",
        "    working --> dropped : Drop",
        "    open --> dropped : Drop",
        "    done --> [*]",
        "    dropped --> [*]",
    ]


def test_mermaid_draws_internal_transitions_as_loops_when_asked():
    text = small_table().to_mermaid(internal=True)
    assert text.endswith("\n")
    assert text.splitlines() == [
        "stateDiagram-v2",
        "    [*] --> open",
        "    open --> working : Start",
        "    working --> working : Note",
        "    working --> done : Finish [guarded], Drop [guarded]",
        "    working --> dropped : Drop",
        "    open --> dropped : Drop",
        "    done --> [*]",
        "    dropped --> [*]",
    ]
