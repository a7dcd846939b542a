"""Product groups (product models) and their variants: checks and cartesian generation.

A product type with variant levels describes products sold in several versions: a T-shirt in
colours and sizes. The shared data (title, description, brand ...) lives once on a
[`ProductGroup`][ecomkit.catalog.ProductGroup]; each variant is an ordinary
[`Product`][ecomkit.catalog.Product] whose ``group`` names the group and whose values are
those of the variant levels: the axes that tell siblings apart and the attributes set per
level (pictures per colour, an EAN per size).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import string
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from ecomkit.catalog._attributes import AnyValue, Value, check_code, code_field
from ecomkit.catalog._edit import (
    ProductChange,
    ProductEdit,
    ProductEvent,
    RemoveValue,
    SetCategories,
    SetMedia,
    SetValue,
    check_value,
    create_product,
)
from ecomkit.catalog._product import (
    Image,
    Product,
    _categories,
    _media,
    _product_type,
    _values,
    _version,
    tuple_of,
)
from ecomkit.catalog._schema import CatalogSchema, ProductType
from ecomkit.catalog._units import UNITS, Metric
from ecomkit.catalog._values import ValueKey, Values
from ecomkit.errors import (
    DataValidationError,
    InvalidTypeError,
    InvalidValueError,
    Problem,
    UnknownCodeError,
    VariantLimitError,
)
from ecomkit.orders._values import Sku, check_aware, check_quantity


__all__ = [
    "GroupChange",
    "GroupCreated",
    "GroupEdit",
    "GroupEdited",
    "ProductGroup",
    "SkuTemplate",
    "VariantProblem",
    "check_variants",
    "create_group",
    "edit_group",
    "generate_variants",
    "raise_for_variants",
    "variant_values",
]

GroupChange = SetValue | RemoveValue | SetCategories | SetMedia
"""The changes a product group accepts: its level-0 values, categories and images."""

SkuTemplate = str | Callable[[Mapping[str, Value]], str]
"""How `generate_variants` names a variant: a format string or a function of its axis values."""

_GROUP_CHANGES = (SetValue, RemoveValue, SetCategories, SetMedia)
_MISSING: Any = object()


@attrs.frozen(weakref_slot=False)
class ProductGroup:
    """A product model: what the variants of one product share.

    Build and change one with [`create_group`][ecomkit.catalog.create_group] and
    [`edit_group`][ecomkit.catalog.edit_group], which check values against the schema.

    Attributes:
        code: The group's code, unique in the catalog; feeds use it as the item group id.
        product_type: The code of its [`ProductType`][ecomkit.catalog.ProductType], which
            must have variant levels.
        values: The values of the type's level-0 attributes, shared by every variant.
        categories: The codes of the categories the group is classified in, first is main.
        media: Images shown for every variant that has none of its own.
        version: Incremented by each accepted edit (for optimistic concurrency).
    """

    code: str = attrs.field(validator=code_field)
    product_type: str = attrs.field(converter=_product_type)
    values: Values = attrs.field(factory=Values, kw_only=True, converter=_values)
    categories: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_categories)
    media: tuple[Image, ...] = attrs.field(default=(), kw_only=True, converter=_media)
    version: int = attrs.field(default=0, kw_only=True, converter=_version)

    def __attrs_post_init__(self) -> None:
        urls = [image.url for image in self.media]
        if len(set(urls)) != len(urls):
            raise InvalidValueError(field="media", value=urls, reason="an image twice")


@attrs.frozen(weakref_slot=False)
class GroupCreated(ProductEvent):
    """A product group was created.

    Attributes:
        code: The group's code.
        product_type: Its type.
        at: When.
        version: Its version after the event (1).
        changes: The changes it was created with (values in canonical form).
    """

    code: str
    product_type: str
    at: dt.datetime
    version: int
    changes: tuple[ProductChange, ...]


@attrs.frozen(weakref_slot=False)
class GroupEdited(ProductEvent):
    """A product group was changed.

    Attributes:
        code: The group's code.
        at: When.
        version: Its version after the event.
        changes: The changes that changed something (no-ops are left out).
    """

    code: str
    at: dt.datetime
    version: int
    changes: tuple[ProductChange, ...]


@attrs.frozen(weakref_slot=False)
class GroupEdit:
    """The result of [`create_group`][ecomkit.catalog.create_group] or `edit_group`.

    Attributes:
        group: The group after the change.
        event: The event to record, or ``None`` when nothing changed.
    """

    group: ProductGroup
    event: GroupCreated | GroupEdited | None


def _grouped_type(schema: CatalogSchema, code: str) -> ProductType:
    kind = schema.product_type(code)
    if not kind.variant_levels:
        raise InvalidValueError(
            field="product_type",
            value=code,
            reason="has no variant levels, so its products are not grouped",
        )
    return kind


def create_group(
    schema: CatalogSchema,
    *,
    code: str,
    product_type: str,
    changes: Iterable[GroupChange] = (),
    at: dt.datetime,
    categories: Container[str] | None = None,
) -> GroupEdit:
    """Create a product group of *product_type* with *changes* applied, all checked.

    Args:
        schema: The catalog schema.
        code: The new group's code.
        product_type: Its type's code; the type must have variant levels.
        changes: `SetValue`, `RemoveValue`, `SetCategories` and `SetMedia` changes; values
            must be of the type's level-0 attributes.
        at: When (timezone-aware); recorded in the event.
        categories: The known category codes; when given, `SetCategories` may only name
            these.

    Returns:
        The group (version 1) and a [`GroupCreated`][ecomkit.catalog.GroupCreated].

    Raises:
        UnknownCodeError: The type, an attribute, a channel or a category is unknown.
        InvalidValueError: The type has no variant levels, or a change breaks a rule (a
            variant-level attribute, a bad value); nothing is created.
        InvalidTypeError: A change is not one a group accepts.

    Examples:
        >>> import pendulum
        >>> from ecomkit.catalog import (AttributeDef, CatalogSchema, Channel, ProductType,
        ...                              SetValue, VariantLevel)
        >>> schema = CatalogSchema(
        ...     [AttributeDef("title", "text"), AttributeDef("size", "single_select",
        ...                                                   options=["S", "M"])],
        ...     [ProductType("tee", ["title", "size"], description_attribute=None,
        ...                  variant_levels=[VariantLevel(["size"])])],
        ...     [Channel("web", ["en"], ["EUR"])],
        ... )
        >>> at = pendulum.datetime(2026, 3, 1, tz="Europe/Berlin")
        >>> edit = create_group(schema, code="tee-1", product_type="tee",
        ...                     changes=[SetValue("title", "Tee")], at=at)
        >>> edit.group.values.get_value("title"), edit.event.version
        ('Tee', 1)
        >>> create_group(schema, code="tee-2", product_type="tee",
        ...              changes=[SetValue("size", "S")], at=at)
        Traceback (most recent call last):
        ...
        ecomkit.errors.InvalidValueError: attribute: is set on the variants (level 1), ...
    """
    moment = check_aware(at, field="at")
    kind = _grouped_type(schema, product_type)
    blank = ProductGroup(code, kind.code)
    applied, group = _apply_all(schema, kind, blank, changes, categories)
    group = attrs.evolve(group, version=1)
    return GroupEdit(group, GroupCreated(group.code, kind.code, moment, 1, applied))


def edit_group(
    schema: CatalogSchema,
    group: ProductGroup,
    changes: Iterable[GroupChange],
    *,
    at: dt.datetime,
    categories: Container[str] | None = None,
) -> GroupEdit:
    """Apply *changes* to *group*, all or nothing.

    Every change is checked first; if one is refused, the error is raised and nothing is
    applied. Changes that change nothing are left out of the event; when nothing changes,
    the same group comes back with no event.

    Args:
        schema: The catalog schema.
        group: The group as it is now.
        changes: `SetValue`, `RemoveValue`, `SetCategories` and `SetMedia` changes.
        at: When (timezone-aware).
        categories: The known category codes, as for `create_group`.

    Returns:
        The new group (version + 1) and a [`GroupEdited`][ecomkit.catalog.GroupEdited], or
        the same group and ``None``.

    Raises:
        UnknownCodeError: An attribute, a channel or a category is unknown.
        InvalidValueError: A change breaks a rule.
        InvalidTypeError: *group* is not a `ProductGroup`, or a change is not one a group
            accepts.
    """
    if not isinstance(group, ProductGroup):
        raise InvalidTypeError(field="group", value=group, expected="ProductGroup")
    moment = check_aware(at, field="at")
    kind = _grouped_type(schema, group.product_type)
    applied, changed = _apply_all(schema, kind, group, changes, categories)
    if not applied:
        return GroupEdit(group, None)
    version = group.version + 1
    changed = attrs.evolve(changed, version=version)
    return GroupEdit(changed, GroupEdited(group.code, moment, version, applied))


def _check_group_level(kind: ProductType, attribute: str) -> None:
    level = kind.level_of(attribute)
    if level:
        raise InvalidValueError(
            field="attribute",
            value=attribute,
            reason=f"is set on the variants (level {level}), not on the group",
        )


def _apply_all(
    schema: CatalogSchema,
    kind: ProductType,
    group: ProductGroup,
    changes: Iterable[GroupChange],
    categories: Container[str] | None,
) -> tuple[tuple[ProductChange, ...], ProductGroup]:
    if isinstance(changes, ProductChange) or not isinstance(changes, Iterable):
        raise InvalidTypeError(field="changes", value=changes, expected="a list of changes")
    applied: list[ProductChange] = []
    current = group
    for change in changes:
        if not isinstance(change, _GROUP_CHANGES):
            raise InvalidTypeError(
                field="changes",
                value=change,
                expected="SetValue, RemoveValue, SetCategories or SetMedia",
            )
        if isinstance(change, SetValue):
            _check_group_level(kind, change.attribute)
            key, value = check_value(
                schema,
                kind,
                change.attribute,
                change.value,
                channel=change.channel,
                locale=change.locale,
            )
            if current.values.get(key, _MISSING) != value:
                applied.append(attrs.evolve(change, value=value))
                current = attrs.evolve(current, values=current.values.with_value(key, value))
            continue
        updated = _apply(schema, kind, current, change, categories)
        if updated != current:
            applied.append(change)
            current = updated
    return tuple(applied), current


def _apply(
    schema: CatalogSchema,
    kind: ProductType,
    group: ProductGroup,
    change: RemoveValue | SetCategories | SetMedia,
    categories: Container[str] | None,
) -> ProductGroup:
    if isinstance(change, RemoveValue):
        schema.attribute(change.attribute)
        _check_group_level(kind, change.attribute)
        key = ValueKey(change.attribute, change.channel, change.locale)
        return attrs.evolve(group, values=group.values.without(key))
    if isinstance(change, SetCategories):
        if categories is not None:
            for code in change.categories:
                if code not in categories:
                    raise UnknownCodeError(kind="category", code=code, field="categories")
        return attrs.evolve(group, categories=change.categories)
    return attrs.evolve(group, media=change.media)


def _check_variant_of(group: ProductGroup, variant: object) -> Product:
    if not isinstance(variant, Product):
        raise InvalidTypeError(field="variant", value=variant, expected="Product")
    if variant.group != group.code:
        raise InvalidValueError(
            field="variant", value=variant.sku, reason=f"is not a variant of group {group.code!r}"
        )
    return variant


def variant_values(group: ProductGroup, variant: Product) -> Values:
    """Return a variant's values over its group's: everything the variant shows.

    Raises:
        InvalidTypeError: *group* or *variant* has the wrong type.
        InvalidValueError: *variant* is not a variant of *group*.

    Examples:
        >>> from ecomkit.catalog import Product, ValueKey, Values
        >>> group = ProductGroup("tee-1", "tee", values=Values({ValueKey("title"): "Tee"}))
        >>> variant = Product("TEE-1-S", "tee", group="tee-1",
        ...                   values=Values({ValueKey("size"): "S"}))
        >>> variant_values(group, variant)
        Values({size[*/*]: 'S', title[*/*]: 'Tee'})
    """
    if not isinstance(group, ProductGroup):
        raise InvalidTypeError(field="group", value=group, expected="ProductGroup")
    return _check_variant_of(group, variant).values.merged_over(group.values)


@attrs.frozen(weakref_slot=False)
class VariantProblem:
    """Something wrong with a variant of a product group, found by `check_variants`.

    Attributes:
        sku: The variant's SKU.
        attribute: The attribute concerned, or ``None`` for the variant as a whole.
        message: What is wrong, in a short lower-case phrase that names any other SKU
            involved.
    """

    sku: str
    attribute: str | None
    message: str

    def __str__(self) -> str:
        where = f".{self.attribute}" if self.attribute is not None else ""
        return f"{self.sku}{where}: {self.message}"

    def to_problem(self, index: int) -> Problem:
        """Return this problem as an `ecomkit.errors.Problem` at ``$[index]``."""
        return Problem(path=f"$[{index}]", message=str(self), field=self.attribute)


def _axis_key(value: Value) -> object:
    """Return what makes two axis values the same: ``1 kg`` and ``1000 g`` are."""
    if isinstance(value, Metric):
        return (value.family, Fraction(value.amount) * Fraction(UNITS[value.unit].factor))
    return value


def _show(value: Value) -> str:
    return str(value) if isinstance(value, Metric) else repr(value)


def _describe(axes: Sequence[str], values: Sequence[Value]) -> str:
    return ", ".join(f"{axis}={_show(value)}" for axis, value in zip(axes, values, strict=True))


def _axis_values(
    kind: ProductType, variant: Product, problems: list[VariantProblem]
) -> tuple[Value, ...] | None:
    """Return the variant's value of every axis, or ``None`` (and a problem) if one is off."""
    found: list[Value] = []
    for axis in kind.axes:
        keys = variant.values.keys_of(axis)
        if keys != (ValueKey(axis),):
            if not keys:
                message = f"has no value for the axis {axis}"
            elif len(keys) > 1:
                message = f"has {len(keys)} values for the axis {axis}, not one"
            else:
                message = f"has its axis value under {keys[0]}, not for every channel and locale"
            problems.append(VariantProblem(variant.sku, axis, message))
            continue
        found.append(variant.values[keys[0]])
    return tuple(found) if len(found) == len(kind.axes) else None


def _check_one(
    kind: ProductType, group: ProductGroup, variant: Product, problems: list[VariantProblem]
) -> tuple[Value, ...] | None:
    if variant.group != group.code:
        where = f"group {variant.group!r}" if variant.group is not None else "no group"
        problems.append(
            VariantProblem(variant.sku, None, f"belongs to {where}, not to {group.code!r}")
        )
    if variant.product_type != group.product_type:
        problems.append(
            VariantProblem(
                variant.sku,
                None,
                f"is a {variant.product_type!r}, the group a {group.product_type!r}",
            )
        )
        return None
    for attribute in variant.values.attributes:
        if attribute not in kind.attributes:
            problems.append(
                VariantProblem(
                    variant.sku, attribute, f"is not an attribute of the type {kind.code!r}"
                )
            )
        elif kind.level_of(attribute) == 0:
            problems.append(
                VariantProblem(
                    variant.sku, attribute, f"is set on the group {group.code!r}, not on variants"
                )
            )
    return _axis_values(kind, variant, problems)


def check_variants(
    schema: CatalogSchema, group: ProductGroup, variants: Iterable[Product]
) -> tuple[VariantProblem, ...]:
    """Check a group's variants against its type's variant levels, and each other.

    A variant must belong to the group and have its type; hold exactly one value (for all
    channels and locales) for every axis of every level; and hold no level-0 attribute (those
    are the group's). No two variants may share the same combination of axis values
    (``1 kg`` and ``1000 g`` are the same). In a two-level type, variants with the same
    level-1 axis values must agree on the level-1 attributes: the red T-shirts in every size
    show the same red pictures.

    Args:
        schema: The catalog schema.
        group: The group.
        variants: Its variants, in any order; problems are reported in this order.

    Returns:
        Every problem found, in the order of *variants*; empty when all is well.

    Raises:
        InvalidTypeError: *group* is not a `ProductGroup` or a variant is not a `Product`.
        UnknownCodeError: The group's type is unknown.
        InvalidValueError: The group's type has no variant levels.

    Examples:
        >>> from ecomkit.catalog import (AttributeDef, CatalogSchema, Channel, Product,
        ...                              ProductType, ValueKey, Values, VariantLevel)
        >>> schema = CatalogSchema(
        ...     [AttributeDef("size", "single_select", options=["S", "M"])],
        ...     [ProductType("tee", ["size"], title_attribute="size",
        ...                  description_attribute=None, variant_levels=[VariantLevel(["size"])])],
        ...     [Channel("web", ["en"], ["EUR"])],
        ... )
        >>> group = ProductGroup("tee-1", "tee")
        >>> small = Values({ValueKey("size"): "S"})
        >>> for problem in check_variants(schema, group, [
        ...     Product("TEE-S", "tee", group="tee-1", values=small),
        ...     Product("TEE-S2", "tee", group="tee-1", values=small),
        ...     Product("TEE-X", "tee", group="tee-1"),
        ... ]):
        ...     print(problem)
        TEE-S2: has the same axis values as TEE-S (size='S')
        TEE-X.size: has no value for the axis size
    """
    return tuple(problem for _, problem in _find_problems(schema, group, variants))


def _find_problems(
    schema: CatalogSchema, group: ProductGroup, variants: Iterable[Product]
) -> list[tuple[int, VariantProblem]]:
    """Return every problem with the position of its variant in *variants*."""
    if not isinstance(group, ProductGroup):
        raise InvalidTypeError(field="group", value=group, expected="ProductGroup")
    kind = _grouped_type(schema, group.product_type)
    items: tuple[Product, ...] = tuple_of(variants, Product, field="variants")
    found: list[tuple[int, VariantProblem]] = []
    first_axes = kind.variant_levels[0].axes
    # What variants sharing their level-1 axis values must agree on (two-level types only).
    shared = kind.variant_levels[0].attributes if len(kind.variant_levels) > 1 else ()
    seen: dict[tuple[object, ...], Product] = {}
    leaders: dict[tuple[object, ...], Product] = {}
    for index, variant in enumerate(items):
        problems: list[VariantProblem] = []
        combination = _check_one(kind, group, variant, problems)
        if combination is not None:
            key = tuple(_axis_key(value) for value in combination)
            twin = seen.setdefault(key, variant)
            if twin is not variant:
                described = _describe(kind.axes, combination)
                problems.append(
                    VariantProblem(
                        variant.sku, None, f"has the same axis values as {twin.sku} ({described})"
                    )
                )
            elif shared:
                leader = leaders.setdefault(key[: len(first_axes)], variant)
                level_one = _describe(first_axes, combination[: len(first_axes)])
                problems.extend(
                    VariantProblem(
                        variant.sku,
                        attribute,
                        f"differs from {leader.sku}, which has the same {level_one}",
                    )
                    for attribute in shared
                    if _entries(leader, attribute) != _entries(variant, attribute)
                )
        found.extend((index, problem) for problem in problems)
    return found


def _entries(variant: Product, attribute: str) -> dict[ValueKey, Value]:
    return {key: variant.values[key] for key in variant.values.keys_of(attribute)}


def raise_for_variants(
    schema: CatalogSchema, group: ProductGroup, variants: Iterable[Product]
) -> None:
    """Run [`check_variants`][ecomkit.catalog.check_variants] and raise if it finds problems.

    Raises:
        DataValidationError: Every problem, each at ``$[i]`` (the variant's position in
            *variants*) with the attribute as its ``field``.
    """
    found = _find_problems(schema, group, variants)
    if found:
        raise DataValidationError(
            target=f"variants of {group.code}",
            problems=tuple(problem.to_problem(index) for index, problem in found),
        )


def _sku_part(value: Value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Metric):
        return f"{value.amount}{value.unit}"
    return str(value)


def _sku_function(
    group: ProductGroup, axes: Sequence[str], sku: object
) -> Callable[[Mapping[str, Value]], str]:
    if callable(sku):
        function: Callable[[Mapping[str, Value]], str] = sku
        return function
    if not isinstance(sku, str):
        raise InvalidTypeError(
            field="sku",
            value=sku,
            expected="a format string ('{group}-{size}') or a function",
        )
    template: str = sku
    allowed = ("group", *axes)
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(sku) if name is not None]
    except ValueError as error:
        raise InvalidValueError(
            field="sku", value=sku, reason=f"not a format string ({error})"
        ) from None
    for name in fields:
        if name not in allowed:
            raise UnknownCodeError(
                kind="SKU template field", code=name, field="sku", known=tuple(allowed)
            )

    def render(combination: Mapping[str, Value]) -> str:
        parts = {axis: _sku_part(value) for axis, value in combination.items()}
        try:
            return template.format_map({"group": group.code, **parts})
        except (ValueError, TypeError) as error:
            raise InvalidValueError(field="sku", value=sku, reason=str(error)) from None

    return render


def _options(
    schema: CatalogSchema, kind: ProductType, options: object
) -> dict[str, tuple[Value, ...]]:
    if not isinstance(options, Mapping):
        raise InvalidTypeError(
            field="options", value=options, expected="a mapping of axis to a list of values"
        )
    for axis in options:
        if axis not in kind.axes:
            raise UnknownCodeError(kind="variant axis", code=axis, field="options", known=kind.axes)
    missing = [axis for axis in kind.axes if axis not in options]
    if missing:
        raise InvalidValueError(
            field="options", value=missing, reason=f"no values for the axis {missing[0]}"
        )
    checked: dict[str, tuple[Value, ...]] = {}
    for axis in kind.axes:
        given = options[axis]
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise InvalidTypeError(
                field=f"options.{axis}", value=given, expected="a list of values"
            )
        values = tuple(check_value(schema, kind, axis, item)[1] for item in given)
        if not values:
            raise InvalidValueError(field=f"options.{axis}", value=(), reason="needs a value")
        keys = [_axis_key(value) for value in values]
        if len(set(keys)) != len(keys):
            twice = next(v for v, k in zip(values, keys, strict=True) if keys.count(k) > 1)
            raise InvalidValueError(field=f"options.{axis}", value=twice, reason="listed twice")
        checked[axis] = values
    return checked


def generate_variants(
    schema: CatalogSchema,
    group: ProductGroup,
    options: Mapping[str, Iterable[AnyValue]],
    *,
    sku: SkuTemplate,
    at: dt.datetime,
    existing: Iterable[Product] = (),
    limit: int = 100,
) -> tuple[ProductEdit, ...]:
    """Create one variant per combination of axis values that does not exist yet.

    Every axis of every level needs its list of values; each value is checked by the
    axis' definition. The number of combinations is worked out first: above *limit*,
    nothing is built and a `VariantLimitError` says how the number came about. Combinations
    some variant in *existing* already has are skipped, so running the generator again after
    adding a size creates only the new sizes.

    Args:
        schema: The catalog schema.
        group: The group the variants belong to.
        options: For every axis, the values to combine, in the order to create them in.
        sku: A format string over ``group`` and the axis codes (``"{group}-{color}-{size}"``;
            booleans read ``yes``/``no``, measurements ``1.5kg``), or a function that takes
            the axis values by axis code and returns the SKU.
        at: When (timezone-aware).
        existing: The group's variants so far.
        limit: The most variants one call may create (the combinations before skipping).

    Returns:
        The [`ProductEdit`][ecomkit.catalog.ProductEdit] of each new variant, in the order of
        the combinations: the first axis varies slowest.

    Raises:
        UnknownCodeError: *options* or *sku* names something that is not an axis.
        InvalidValueError: An axis has no values or a value twice, a value breaks the axis'
            definition, a SKU is made twice or is already taken, or an existing product is not
            a variant of the group.
        VariantLimitError: More combinations than *limit*.
        InvalidTypeError: An argument has the wrong type.

    Examples:
        >>> import pendulum
        >>> from ecomkit.catalog import AttributeDef, CatalogSchema, Channel, ProductType
        >>> from ecomkit.catalog import VariantLevel
        >>> schema = CatalogSchema(
        ...     [AttributeDef("color", "single_select", options=["red", "blue"]),
        ...      AttributeDef("size", "single_select", options=["S", "M", "L"])],
        ...     [ProductType("tee", ["color", "size"], title_attribute="color",
        ...                  description_attribute=None,
        ...                  variant_levels=[VariantLevel(["color"]), VariantLevel(["size"])])],
        ...     [Channel("web", ["en"], ["EUR"])],
        ... )
        >>> at = pendulum.datetime(2026, 3, 1, tz="Europe/Berlin")
        >>> group = ProductGroup("tee", "tee")
        >>> edits = generate_variants(schema, group, {"color": ["red"], "size": ["S", "M"]},
        ...                           sku="{group}-{color}-{size}", at=at)
        >>> [edit.product.sku for edit in edits]
        ['tee-red-S', 'tee-red-M']
        >>> more = generate_variants(schema, group,
        ...                          {"color": ["red", "blue"], "size": ["S", "M", "L"]},
        ...                          sku="{group}-{color}-{size}", at=at,
        ...                          existing=[edit.product for edit in edits])
        >>> [edit.product.sku for edit in more]
        ['tee-red-L', 'tee-blue-S', 'tee-blue-M', 'tee-blue-L']
    """
    if not isinstance(group, ProductGroup):
        raise InvalidTypeError(field="group", value=group, expected="ProductGroup")
    moment = check_aware(at, field="at")
    most = check_quantity(limit, field="limit", minimum=1)
    kind = _grouped_type(schema, group.product_type)
    axes = kind.axes
    render = _sku_function(group, axes, sku)
    choices = _options(schema, kind, options)
    count = math.prod(len(choices[axis]) for axis in axes)
    if count > most:
        detail = " x ".join(f"{len(choices[axis])} {axis}" for axis in axes) + " options"
        raise VariantLimitError(count=count, limit=most, detail=detail)
    known = tuple_of(existing, Product, field="existing")
    taken: set[str] = set()
    have: set[tuple[object, ...]] = set()
    for variant in known:
        _check_variant_of(group, variant)
        taken.add(variant.sku)
        values = [variant.values.get(ValueKey(axis), _MISSING) for axis in axes]
        if all(value is not _MISSING for value in values):
            have.add(tuple(_axis_key(value) for value in values))
    planned: list[tuple[str, tuple[Value, ...]]] = []
    for combination in itertools.product(*(choices[axis] for axis in axes)):
        if tuple(_axis_key(value) for value in combination) in have:
            continue
        name = render(dict(zip(axes, combination, strict=True)))
        if not isinstance(name, str):
            raise InvalidTypeError(field="sku", value=name, expected="str")
        if name in taken:
            raise InvalidValueError(
                field="sku",
                value=name,
                reason=f"already taken ({_describe(axes, combination)} would reuse it)",
            )
        taken.add(name)
        planned.append((check_code(name, field="sku"), combination))
    return tuple(
        create_product(
            schema,
            sku=Sku(name),
            product_type=kind.code,
            changes=[SetValue(axis, value) for axis, value in zip(axes, combination, strict=True)],
            group=group.code,
            at=moment,
        )
        for name, combination in planned
    )
