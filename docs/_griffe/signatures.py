"""Signatures for the API reference that static analysis cannot see.

griffe, which reads the source for mkdocstrings, takes a class signature from its ``__init__``.
Two kinds of ecomkit classes have none in the source:

- attrs classes (``Money``, ``TaxedMoney``, ``Problem`` ...), whose ``__init__`` attrs writes
  at import time from the annotated fields;
- classes built in ``__new__`` (``Currency``, which interns one instance per code).

This extension gives both a synthetic ``__init__`` so the reference shows the real call
signature. For an attrs field with a converter, the parameter is annotated with what the
converter accepts (``Money(amount: Decimal | int | str, currency: str | Currency)``), which is
what attrs itself puts in the generated ``__init__``.

Fields inherited from attrs base classes come first, as attrs orders them (a field a subclass
redefines takes the subclass's place), and a class-wide ``kw_only=True`` makes every field of
the class keyword-only.

It is loaded by ``mkdocs.yml`` (``plugins.mkdocstrings.handlers.python.options.extensions``)
and is not part of the package.
"""

from __future__ import annotations

from typing import Any

import griffe


__all__ = ["Signatures"]

_ATTRS_DECORATORS = frozenset(
    f"{module}.{name}"
    for module in ("attrs", "attr")
    for name in ("define", "frozen", "mutable", "s", "attrs", "dataclass")
)
_FIELD_FACTORIES = frozenset({"attrs.field", "attr.ib", "attr.attrib", "attr.field"})


def _call_parts(expr: object) -> tuple[str | None, dict[str, Any]]:
    """Return the canonical path of a call's (or name's) target and its keyword arguments."""
    if isinstance(expr, griffe.ExprCall):
        keywords = {
            argument.name: argument.value
            for argument in expr.arguments
            if isinstance(argument, griffe.ExprKeyword)
        }
        return _path(expr.function), keywords
    return _path(expr), {}


def _path(expr: object) -> str | None:
    if isinstance(expr, griffe.Expr):
        try:
            return expr.canonical_path
        except AttributeError:
            return None
    return None


def _is_attrs_class(cls: griffe.Class) -> bool:
    return any(_call_parts(decorator.value)[0] in _ATTRS_DECORATORS for decorator in cls.decorators)


def _resolve(expr: object, cls: griffe.Class) -> griffe.Object | None:
    path = _path(expr)
    if path is None:
        return None
    try:
        found = cls.modules_collection[path]
    except (KeyError, ValueError):
        return None
    try:
        return found.final_target if found.is_alias else found
    except griffe.AliasResolutionError:
        return None


def _accepted(converter: object, cls: griffe.Class) -> str | griffe.Expr | None:
    """Return the annotation of the first argument *converter* takes, if it is known."""
    target = _resolve(converter, cls)
    if isinstance(target, griffe.Class):
        members = target.members
        function = members.get("__init__") or members.get("__new__")
    elif isinstance(target, griffe.Function):
        function = target
    else:
        return None
    if not isinstance(function, griffe.Function):
        return None
    arguments = [
        parameter
        for parameter in function.parameters
        if parameter.name not in {"self", "cls"}
        and parameter.kind is not griffe.ParameterKind.keyword_only
    ]
    return arguments[0].annotation if arguments else None


def _class_kw_only(cls: griffe.Class) -> bool:
    for decorator in cls.decorators:
        factory, options = _call_parts(decorator.value)
        if factory in _ATTRS_DECORATORS and str(options.get("kw_only", "False")) == "True":
            return True
    return False


def _inherited(cls: griffe.Class) -> list[griffe.Parameter]:
    parameters: list[griffe.Parameter] = []
    for base in cls.resolved_bases:
        if isinstance(base, griffe.Class) and _is_attrs_class(base):
            parameters += _attrs_parameters(base)
    return parameters


def _attrs_parameters(cls: griffe.Class) -> list[griffe.Parameter]:
    own = _own_parameters(cls)
    names = {parameter.name for parameter in own}
    inherited = [parameter for parameter in _inherited(cls) if parameter.name not in names]
    merged = inherited + own
    positional = [p for p in merged if p.kind is not griffe.ParameterKind.keyword_only]
    keyword_only = [p for p in merged if p.kind is griffe.ParameterKind.keyword_only]
    return positional + keyword_only


def _own_parameters(cls: griffe.Class) -> list[griffe.Parameter]:
    class_kw_only = _class_kw_only(cls)
    positional: list[griffe.Parameter] = []
    keyword_only: list[griffe.Parameter] = []
    for member in cls.members.values():
        if not isinstance(member, griffe.Attribute) or member.annotation is None:
            continue
        # Properties are not fields; griffe labels a ClassVar as a class attribute only.
        if "property" in member.labels or "instance-attribute" not in member.labels:
            continue
        factory, options = _call_parts(member.value)
        if factory not in _FIELD_FACTORIES:
            factory, options = None, {}
        if str(options.get("init", "True")) == "False":
            continue
        annotation = member.annotation
        if "converter" in options:
            annotation = _accepted(options["converter"], cls) or annotation
        if factory is None:
            default = member.value
        elif "default" in options:
            default = options["default"]
        elif "factory" in options:
            default = griffe.ExprCall(options["factory"], [])
        else:
            default = None
        kw_only = class_kw_only or str(options.get("kw_only", "False")) == "True"
        parameter = griffe.Parameter(
            str(options.get("alias", "")).strip("'\"") or member.name.lstrip("_"),
            annotation=annotation,
            kind=griffe.ParameterKind.keyword_only
            if kw_only
            else griffe.ParameterKind.positional_or_keyword,
            default=default,
        )
        (keyword_only if kw_only else positional).append(parameter)
    return positional + keyword_only


def _new_parameters(cls: griffe.Class) -> list[griffe.Parameter] | None:
    new = cls.members.get("__new__")
    if not isinstance(new, griffe.Function):
        return None
    return [parameter for parameter in new.parameters if parameter.name != "cls"]


def _add_init(cls: griffe.Class, parameters: list[griffe.Parameter]) -> None:
    init = griffe.Function(
        "__init__",
        lineno=cls.lineno,
        endlineno=cls.lineno,
        parent=cls,
        parameters=griffe.Parameters(
            griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword),
            *parameters,
        ),
        returns="None",
    )
    cls.set_member("__init__", init)


def _visit(obj: griffe.Module | griffe.Class, seen: set[str]) -> None:
    if obj.path in seen:
        return
    seen.add(obj.path)
    if isinstance(obj, griffe.Class) and "__init__" not in obj.members:
        if _is_attrs_class(obj):
            _add_init(obj, _attrs_parameters(obj))
        elif (parameters := _new_parameters(obj)) is not None:
            _add_init(obj, parameters)
    for member in list(obj.members.values()):
        if not member.is_alias and isinstance(member, (griffe.Module, griffe.Class)):
            _visit(member, seen)


class Signatures(griffe.Extension):
    """Give attrs classes and ``__new__``-built classes an ``__init__`` signature."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:  # noqa: ARG002
        """Add the synthetic ``__init__`` methods once the package is loaded."""
        _visit(pkg, set())
