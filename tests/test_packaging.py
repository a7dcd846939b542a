"""What the installed package promises: its public names, its metadata and a light import."""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import importlib.resources
import inspect
import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

import ecomkit
import ecomkit.errors
from ecomkit.errors import EcomkitError


SRC = Path(__file__).resolve().parent.parent / "src"

#: Every public module; each one curates its names in a sorted ``__all__``.
PUBLIC_MODULES = (
    "ecomkit",
    "ecomkit.adapters",
    "ecomkit.adapters.memory",
    "ecomkit.adapters.sqlite",
    "ecomkit.catalog",
    "ecomkit.errors",
    "ecomkit.i18n",
    "ecomkit.lifecycle",
    "ecomkit.money",
    "ecomkit.orders",
    "ecomkit.ports",
    "ecomkit.returns",
    "ecomkit.serialization",
    "ecomkit.services",
    "ecomkit.testing",
    "ecomkit.testing.contracts",
    "ecomkit.testing.strategies",
    "ecomkit.time",
)

#: Names whose value cannot carry a docstring of its own and that the reference does not list.
UNDOCUMENTED_BY_DESIGN = frozenset({"ecomkit.__version__"})

#: Heavy dependencies that ``import ecomkit`` must not load; the functions that need them
#: import them on first use.
LAZY_DEPENDENCIES = ("babel", "pendulum", "cattrs", "hypothesis")

BUILTIN_ERRORS = (ValueError, TypeError, LookupError, RuntimeError, ConnectionError)


def public_names() -> list[tuple[str, str]]:
    return [
        (module, name)
        for module in PUBLIC_MODULES
        for name in importlib.import_module(module).__all__
    ]


def _id(pair: tuple[str, str]) -> str:
    return ".".join(pair)


# ---------------------------------------------------------------- __all__


def _isort_key(name: str) -> tuple[int, str]:
    """Sort as ruff's RUF022 does: CONSTANTS, then Classes, then functions, each by name."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_all_is_a_sorted_list_of_unique_names(module_name):
    exported = importlib.import_module(module_name).__all__
    assert list(exported) == sorted(exported, key=_isort_key), (
        f"{module_name}.__all__ is not sorted"
    )
    assert len(set(exported)) == len(exported), f"{module_name}.__all__ repeats a name"


@pytest.mark.parametrize("pair", public_names(), ids=_id)
def test_every_exported_name_exists(pair):
    module_name, name = pair
    module = importlib.import_module(module_name)
    assert hasattr(module, name), f"{module_name}.__all__ names {name!r}, which does not exist"


def documentable_names() -> list[tuple[str, str]]:
    """Return the exported classes, functions and modules: the values that carry a __doc__."""
    kinds = (type, types.FunctionType, types.ModuleType)
    return [
        (module, name)
        for module, name in public_names()
        if isinstance(getattr(importlib.import_module(module), name), kinds)
    ]


@pytest.mark.parametrize("pair", documentable_names(), ids=_id)
def test_every_exported_class_function_and_module_has_a_docstring(pair):
    module_name, name = pair
    value = getattr(importlib.import_module(module_name), name)
    # A class's __doc__ is never inherited, so this is the class's own docstring.
    assert (value.__doc__ or "").strip(), f"{module_name}.{name} has no docstring"


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_module_has_a_docstring(module_name):
    assert (importlib.import_module(module_name).__doc__ or "").strip()


def _static_docstring_params() -> list[object]:
    return [
        pytest.param(pair, id=_id(pair))
        for pair in public_names()
        if _id(pair) not in UNDOCUMENTED_BY_DESIGN
    ]


@pytest.mark.parametrize("pair", _static_docstring_params())
def test_every_exported_name_is_documented_for_the_reference(pair):
    # The API reference is built from the source by griffe: a name without a docstring there
    # (for example a type alias documented only by a "#:" comment) is missing from the site.
    griffe = pytest.importorskip("griffe", reason="griffe comes with the docs extra")
    package = _griffe_package(griffe)
    module_name, name = pair
    target = package[f"{module_name}.{name}".removeprefix("ecomkit.")]
    if target.is_alias:
        target = target.final_target
    assert target.docstring is not None, f"{module_name}.{name} has no docstring in the source"
    assert target.docstring.value.strip(), f"{module_name}.{name} has an empty docstring"


@functools.cache
def _griffe_package(griffe: types.ModuleType) -> Any:
    """Load the package the way the documentation build does (from the source, statically)."""
    return griffe.load("ecomkit", search_paths=[str(SRC)])


# ---------------------------------------------------------------- metadata


def test_version_comes_from_the_package_metadata():
    assert ecomkit.__version__ == importlib.metadata.version("ecomkit")


def test_unknown_top_level_attributes_raise_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'Mony'"):
        _ = ecomkit.Mony  # type: ignore[attr-defined]


def test_the_package_ships_py_typed():
    assert importlib.resources.files("ecomkit").joinpath("py.typed").is_file()
    distribution = importlib.metadata.distribution("ecomkit")
    direct_url = distribution.read_text("direct_url.json")
    editable = bool(direct_url) and json.loads(direct_url).get("dir_info", {}).get("editable")
    if not editable:
        # Installed from a wheel: the file must be recorded as part of the distribution.
        shipped = {str(path).replace("\\", "/") for path in distribution.files or ()}
        assert "ecomkit/py.typed" in shipped


def test_the_package_declares_itself_typed():
    classifiers = importlib.metadata.metadata("ecomkit").get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers


def test_importing_ecomkit_loads_no_heavy_dependency():
    code = (
        "import json, sys\n"
        "import ecomkit\n"
        f"print(json.dumps([name for name in {LAZY_DEPENDENCIES!r} if name in sys.modules]))\n"
    )
    result = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed script
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == [], "import ecomkit loaded: " + result.stdout


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_module_imports_on_its_own(module_name):
    # Inside the test run other modules are already imported; a user's first import is not.
    result = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed script
        [sys.executable, "-c", f"import {module_name}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- errors


def _error_classes() -> list[type[BaseException]]:
    return [
        value
        for _name, value in inspect.getmembers(ecomkit.errors, inspect.isclass)
        if issubclass(value, BaseException) and value.__module__ == ecomkit.errors.__name__
    ]


def _leaves() -> list[type[BaseException]]:
    classes = _error_classes()
    return [cls for cls in classes if not any(o is not cls and issubclass(o, cls) for o in classes)]


def test_the_errors_module_defines_errors():
    assert len(_error_classes()) > 1
    assert set(_leaves()) < set(_error_classes())


@pytest.mark.parametrize("error", _error_classes(), ids=lambda cls: cls.__name__)
def test_every_error_derives_from_the_root(error):
    assert issubclass(error, EcomkitError)


@pytest.mark.parametrize("error", _error_classes(), ids=lambda cls: cls.__name__)
def test_every_error_is_exported(error):
    assert error.__name__ in ecomkit.errors.__all__


@pytest.mark.parametrize("error", _leaves(), ids=lambda cls: cls.__name__)
def test_every_leaf_error_is_also_a_builtin_error(error):
    assert issubclass(error, BUILTIN_ERRORS), (
        f"{error.__name__} should also subclass one of "
        + ", ".join(builtin.__name__ for builtin in BUILTIN_ERRORS)
    )
