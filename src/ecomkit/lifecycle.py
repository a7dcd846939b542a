"""Lifecycles as data: a transition table that is checked when it is defined.

A [`Lifecycle`][ecomkit.lifecycle.Lifecycle] is a table of frozen
[`Transition`][ecomkit.lifecycle.Transition] records: in state *source*, command type
*command* moves the aggregate to *target* if the optional *guard* allows it. The table is
shared by every aggregate (nothing is built per order), it can be printed as a Mermaid
diagram, and it is checked on construction:

- the initial state, the terminal states and every transition use states of the enum;
- every state can be reached from the initial state;
- from every non-terminal state a terminal state can be reached (no trap states);
- terminal states have no way out (they absorb);
- when several transitions share a source and a command, all but the last are guarded, so
  the first whose guard passes is chosen and the choice is never ambiguous.

Examples:
    >>> import enum
    >>> class Door(enum.StrEnum):
    ...     OPEN = "open"
    ...     SHUT = "shut"
    ...     GONE = "gone"
    >>> class Close: ...
    >>> class Demolish: ...
    >>> doors = Lifecycle(
    ...     name="door",
    ...     states=Door,
    ...     initial=Door.OPEN,
    ...     terminal=[Door.GONE],
    ...     transitions=[
    ...         Transition(source=Door.OPEN, command=Close, target=Door.SHUT),
    ...         Transition(source=Door.SHUT, command=Demolish, target=Door.GONE),
    ...     ],
    ... )
    >>> [t.target for t in doors.transitions_from(Door.OPEN, Close)]
    [<Door.SHUT: 'shut'>]
    >>> Lifecycle(name="broken", states=Door, initial=Door.OPEN, terminal=[Door.GONE],
    ...           transitions=[Transition(source=Door.OPEN, command=Close, target=Door.SHUT)])
    Traceback (most recent call last):
    ...
    ecomkit.errors.LifecycleDefinitionError: invalid lifecycle: 3 problem(s)
      broken: state 'gone' cannot be reached from 'open'
      broken: trap state 'open': no terminal state can be reached from it
      broken: trap state 'shut': no terminal state can be reached from it
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

import attrs

from ecomkit.errors import LifecycleDefinitionError


__all__ = ["Guard", "Lifecycle", "Transition"]

_S = TypeVar("_S", bound=enum.Enum)
_A = TypeVar("_A")
_C = TypeVar("_C")

Guard = Callable[[_A, _C], "str | None"]
"""A guard reads the aggregate and the command; it returns ``None`` to allow the transition
or a short lower-case reason to refuse it (``"2 units already shipped"``)."""


@attrs.frozen(kw_only=True)
class Transition(Generic[_S, _A, _C]):
    """One row of a lifecycle table.

    Attributes:
        source: The state the aggregate must be in.
        command: The command type that triggers it.
        target: The state afterwards (the same as *source* for a command that only
            changes the ledgers).
        guard: Reads the aggregate and the command and returns ``None`` to allow the
            transition or the reason it is refused.
        description: One line for the docs.
    """

    source: _S
    command: type[_C]
    target: _S
    guard: Callable[[_A, _C], str | None] | None = attrs.field(default=None, eq=False)
    description: str = ""

    @property
    def is_internal(self) -> bool:
        """True when the transition keeps the state (a ledger-only command)."""
        return self.source is self.target


class Lifecycle(Generic[_S, _A, _C]):
    """A checked, immutable transition table shared by every aggregate of a kind.

    Args:
        name: Names the lifecycle in error messages and diagrams.
        states: The enum of states.
        initial: The one state new aggregates start in.
        terminal: The states nothing leaves.
        transitions: The table.

    Raises:
        LifecycleDefinitionError: The table breaks one of the rules in the module
            documentation; every problem is listed.
    """

    __slots__ = ("_allowed", "_index", "initial", "name", "states", "terminal", "transitions")

    def __init__(
        self,
        *,
        name: str,
        states: type[_S],
        initial: _S,
        terminal: Iterable[_S],
        transitions: Iterable[Transition[_S, _A, _C]],
    ) -> None:
        self.name = name
        self.states: tuple[_S, ...] = tuple(states)
        self.initial = initial
        self.terminal = frozenset(terminal)
        self.transitions = tuple(transitions)
        problems = _problems(name, self.states, initial, self.terminal, self.transitions)
        if problems:
            raise LifecycleDefinitionError(problems=tuple(problems))
        index: dict[tuple[_S, type[_C]], list[Transition[_S, _A, _C]]] = defaultdict(list)
        for transition in self.transitions:
            index[transition.source, transition.command].append(transition)
        self._index = {key: tuple(rows) for key, rows in index.items()}
        allowed: dict[_S, list[type[_C]]] = {state: [] for state in self.states}
        for transition in self.transitions:
            if transition.command not in allowed[transition.source]:
                allowed[transition.source].append(transition.command)
        self._allowed = {state: tuple(commands) for state, commands in allowed.items()}

    def transitions_from(self, state: _S, command: type[_C]) -> tuple[Transition[_S, _A, _C], ...]:
        """Return the transitions *command* may take from *state*, in table order."""
        return self._index.get((state, command), ())

    def allowed(self, state: _S) -> tuple[type[_C], ...]:
        """Return the command types the table accepts in *state*, in table order."""
        return self._allowed.get(state, ())

    def select(self, aggregate: _A, state: _S, command: _C) -> Transition[_S, _A, _C] | str:
        """Return the transition *command* takes, or the reason none applies.

        The first transition whose guard allows it is chosen; when every guard refuses,
        the first refusal is the reason.
        """
        rows = self._index.get((state, type(command)))
        if not rows:
            allowed = ", ".join(kind.__name__ for kind in self._allowed.get(state, ()))
            return f"not allowed while {_label(state)}" + (
                f" (allowed: {allowed})" if allowed else " (no command is)"
            )
        refusal = ""
        for transition in rows:
            guard = transition.guard
            if guard is None:
                return transition
            reason = guard(aggregate, command)
            if reason is None:
                return transition
            refusal = refusal or reason
        return refusal

    def is_terminal(self, state: _S) -> bool:
        """True if *state* is terminal."""
        return state in self.terminal

    def to_mermaid(self, *, internal: bool = False) -> str:
        """Return the table as a Mermaid ``stateDiagram-v2``.

        Args:
            internal: Also draw transitions that keep the state (ledger-only commands).
        """
        lines = ["stateDiagram-v2", f"    [*] --> {_label(self.initial)}"]
        edges: dict[tuple[str, str], list[str]] = defaultdict(list)
        for transition in self.transitions:
            if transition.is_internal and not internal:
                continue
            label = transition.command.__name__
            if transition.guard is not None:
                label += " [guarded]"
            key = (_label(transition.source), _label(transition.target))
            if label not in edges[key]:
                edges[key].append(label)
        for (source, target), labels in edges.items():
            lines.append(f"    {source} --> {target} : {', '.join(labels)}")
        lines.extend(
            f"    {_label(state)} --> [*]" for state in self.states if state in self.terminal
        )
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        size = f"{len(self.states)} states, {len(self.transitions)} transitions"
        return f"Lifecycle({self.name!r}, {size})"


def _label(state: enum.Enum) -> str:
    return str(state.value)


def _problems(
    name: str,
    states: tuple[_S, ...],
    initial: _S,
    terminal: frozenset[_S],
    transitions: tuple[Transition[_S, _A, _C], ...],
) -> list[str]:
    known = set(states)
    problems = _state_problems(name, known, initial, terminal)
    problems.extend(_row_problems(name, known, terminal, transitions))
    if problems:
        return problems
    return _graph_problems(name, states, initial, terminal, transitions)


def _state_problems(name: str, known: set[_S], initial: _S, terminal: frozenset[_S]) -> list[str]:
    problems: list[str] = []
    if initial not in known:
        problems.append(f"{name}: initial state {initial!r} is not one of the states")
    if not terminal:
        problems.append(f"{name}: no terminal state")
    problems.extend(
        f"{name}: terminal state {state!r} is not one of the states"
        for state in terminal
        if state not in known
    )
    if initial in terminal:
        problems.append(f"{name}: the initial state {_label(initial)!r} is terminal")
    return problems


def _row_problems(
    name: str,
    known: set[_S],
    terminal: frozenset[_S],
    transitions: tuple[Transition[_S, _A, _C], ...],
) -> list[str]:
    problems: list[str] = []
    groups: dict[tuple[_S, type[_C]], list[Transition[_S, _A, _C]]] = defaultdict(list)
    for transition in transitions:
        row: object = transition
        if not isinstance(row, Transition):
            problems.append(f"{name}: {row!r} is not a Transition")
            continue
        problems.extend(
            f"{name}: {role} {state!r} of a transition is not a state"
            for role, state in (("source", transition.source), ("target", transition.target))
            if state not in known
        )
        if transition.source in terminal:
            problems.append(
                f"{name}: terminal state {_label(transition.source)!r} has a way out "
                f"({transition.command.__name__})"
            )
        groups[transition.source, transition.command].append(transition)
    problems.extend(
        f"{name}: {command.__name__} from {_label(source)!r} has an unguarded "
        "transition before another one, which can never be chosen"
        for (source, command), rows in groups.items()
        if any(row.guard is None for row in rows[:-1])
    )
    return problems


def _graph_problems(
    name: str,
    states: tuple[_S, ...],
    initial: _S,
    terminal: frozenset[_S],
    transitions: tuple[Transition[_S, _A, _C], ...],
) -> list[str]:
    problems: list[str] = []
    following: dict[_S, set[_S]] = {state: set() for state in states}
    leading: dict[_S, set[_S]] = {state: set() for state in states}
    for transition in transitions:
        following[transition.source].add(transition.target)
        leading[transition.target].add(transition.source)
    reached = _closure([initial], following)
    problems.extend(
        f"{name}: state {_label(state)!r} cannot be reached from {_label(initial)!r}"
        for state in states
        if state not in reached
    )
    finishing = _closure(terminal, leading)
    problems.extend(
        f"{name}: trap state {_label(state)!r}: no terminal state can be reached from it"
        for state in states
        if state not in finishing and state in reached
    )
    return problems


def _closure(start: Iterable[_S], edges: dict[_S, set[_S]]) -> set[_S]:
    seen = set(start)
    pending = list(seen)
    while pending:
        for neighbour in edges[pending.pop()]:
            if neighbour not in seen:
                seen.add(neighbour)
                pending.append(neighbour)
    return seen
