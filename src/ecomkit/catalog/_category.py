"""Category trees: taxonomies that classify products (Akeneo category trees, Sylius taxons)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Final, NoReturn

import attrs

from ecomkit.catalog._attributes import _label, check_code, code_field
from ecomkit.catalog._product import Product, tuple_of
from ecomkit.errors import CategoryCycleError, InvalidTypeError, InvalidValueError, UnknownCodeError
from ecomkit.i18n import LocalizedText


__all__ = ["Category", "CategoryTree"]

_EMPTY: Final = LocalizedText({})


def _optional_parent(value: object) -> str | None:
    return None if value is None else check_code(value, field="parent")


@attrs.frozen(weakref_slot=False)
class Category:
    """One node of a category tree: its code, its name per locale and its parent.

    Args:
        code: The category's stable code (``"running_shoes"``), stored on products.
        label: Its name per locale (a [`LocalizedText`][ecomkit.i18n.LocalizedText] or a
            mapping of locale to text).
        parent: The code of the category it sits under, or ``None`` for a root.

    Raises:
        InvalidTypeError: *code* or *parent* is not a string, or *label* is not a
            `LocalizedText` or a mapping.
        InvalidValueError: *code* or *parent* is not a code.
        CategoryCycleError: *parent* is the category itself.

    Examples:
        >>> Category("shoes", {"en": "Shoes", "de": "Schuhe"}, parent="clothing").label.get("de")
        'Schuhe'
    """

    code: str = attrs.field(validator=code_field)
    label: LocalizedText = attrs.field(default=_EMPTY, converter=_label)
    parent: str | None = attrs.field(default=None, kw_only=True, converter=_optional_parent)

    def __attrs_post_init__(self) -> None:
        if self.parent == self.code:
            raise CategoryCycleError(category=self.code, parent=self.code)

    def label_in(self, locale: str) -> str:
        """Return the category's name in *locale* (with fallback), or its code.

        Raises:
            InvalidLocaleError: *locale* is not a locale code.
        """
        return self.label.get(locale) or self.code


def _categories(value: object) -> tuple[Category, ...]:
    return tuple_of(value, Category, field="categories")


@attrs.frozen(weakref_slot=False)
class _Index:
    """What a tree precomputes: positions in depth-first order, subtree ends, depths, children."""

    ordered: tuple[Category, ...]
    position: dict[str, int]
    end: tuple[int, ...]
    depth: tuple[int, ...]
    children: dict[str | None, tuple[str, ...]]


def _build(categories: tuple[Category, ...]) -> _Index:
    """Index *categories* (any order); refuse duplicates, unknown parents and cycles."""
    by_code: dict[str, Category] = {}
    for category in categories:
        if category.code in by_code:
            raise InvalidValueError(
                field="categories", value=category.code, reason="declared twice"
            )
        by_code[category.code] = category
    kids: dict[str | None, list[str]] = {None: []}
    for category in categories:
        if category.parent is not None and category.parent not in by_code:
            raise UnknownCodeError(
                kind="category", code=category.parent, field="parent", known=tuple(by_code)
            )
        kids.setdefault(category.parent, []).append(category.code)
    ordered: list[Category] = []
    depth: list[int] = []
    stack = [(code, 0) for code in reversed(kids[None])]
    while stack:
        code, level = stack.pop()
        ordered.append(by_code[code])
        depth.append(level)
        stack.extend((child, level + 1) for child in reversed(kids.get(code, ())))
    if len(ordered) != len(categories):
        _raise_cycle(categories, by_code, {category.code for category in ordered})
    # A subtree ends at the next category that is no deeper than its root.
    end = [len(ordered)] * len(ordered)
    open_: list[int] = []
    for index, level in enumerate(depth):
        while open_ and depth[open_[-1]] >= level:
            end[open_.pop()] = index
        open_.append(index)
    return _Index(
        ordered=tuple(ordered),
        position={category.code: index for index, category in enumerate(ordered)},
        end=tuple(end),
        depth=tuple(depth),
        children={parent: tuple(codes) for parent, codes in kids.items()},
    )


def _raise_cycle(
    categories: tuple[Category, ...], by_code: dict[str, Category], reached: set[str]
) -> NoReturn:
    """Raise for a category on a cycle (what the roots never reach hangs on one)."""
    start = next(category for category in categories if category.code not in reached)
    seen: set[str] = set()
    code = start.code
    while code not in seen:
        seen.add(code)
        parent = by_code[code].parent
        code = code if parent is None else parent  # not None: every root was reached
    raise CategoryCycleError(category=code, parent=by_code[code].parent or code)


@attrs.frozen(weakref_slot=False)
class CategoryTree:
    """An immutable forest of categories: one or several taxonomies, each under a root.

    Build it from [`Category`][ecomkit.catalog.Category]s given in any order; it refuses
    duplicate codes, parents it does not hold and cycles. Changes (`add`, `move`, `remove`,
    `relabel`) return a new tree and leave this one as it is; a refused change raises and
    changes nothing.

    The tree is a container of category codes: ``code in tree`` is a constant-time lookup, so
    a tree can be passed as ``categories=`` to
    [`create_product`][ecomkit.catalog.create_product] and
    [`edit_product`][ecomkit.catalog.edit_product]. Iterating it yields the codes depth-first,
    siblings in the order they were added; `categories` holds the `Category` objects in that
    same order.

    Lookups are constant time or proportional to a category's depth; changes rebuild the
    indexes once, in time proportional to the size of the tree.

    Args:
        categories: The categories, parents before or after their children.

    Attributes:
        categories: The categories, depth-first, siblings in the order they were added.

    Raises:
        InvalidTypeError: *categories* is not a list of `Category`.
        InvalidValueError: A code is declared twice.
        UnknownCodeError: A category's parent is not in the tree (field ``"parent"``).
        CategoryCycleError: Categories are each other's ancestors.

    Examples:
        >>> tree = CategoryTree([
        ...     Category("clothing", {"en": "Clothing", "de": "Bekleidung"}),
        ...     Category("shoes", {"en": "Shoes", "de": "Schuhe"}, parent="clothing"),
        ...     Category("running", {"en": "Running shoes"}, parent="shoes"),
        ... ])
        >>> tree.path("running")
        ('clothing', 'shoes', 'running')
        >>> tree.breadcrumb("running", locale="de_AT")
        'Bekleidung > Schuhe > running'
        >>> tree = tree.add("sale", label={"en": "Sale"}).move("running", parent="sale")
        >>> list(tree), tree.depth("running")
        (['clothing', 'shoes', 'sale', 'running'], 1)
    """

    categories: tuple[Category, ...] = attrs.field(default=(), converter=_categories)
    _position: dict[str, int] = attrs.field(init=False, repr=False, eq=False)
    _end: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)
    _depth: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)
    _children: dict[str | None, tuple[str, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        index = _build(self.categories)
        object.__setattr__(self, "categories", index.ordered)
        object.__setattr__(self, "_position", index.position)
        object.__setattr__(self, "_end", index.end)
        object.__setattr__(self, "_depth", index.depth)
        object.__setattr__(self, "_children", index.children)

    # ------------------------------------------------------------ container

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._position

    def __len__(self) -> int:
        return len(self.categories)

    def __iter__(self) -> Iterator[str]:
        return (category.code for category in self.categories)

    # ------------------------------------------------------------ lookups

    def _at(self, code: object, *, field: str = "code") -> int:
        """Return the depth-first position of *code*, or raise a typed error."""
        if not isinstance(code, str):
            raise InvalidTypeError(field=field, value=code, expected="a category code")
        found = self._position.get(code)
        if found is None:
            raise UnknownCodeError(kind="category", code=code, field=field, known=tuple(self))
        return found

    def category(self, code: str) -> Category:
        """Return the category *code*.

        Raises:
            InvalidTypeError: *code* is not a string.
            UnknownCodeError: The tree has no category *code*.
        """
        return self.categories[self._at(code)]

    @property
    def roots(self) -> tuple[str, ...]:
        """The codes of the categories without a parent, in the order they were added."""
        return self._children[None]

    def children(self, code: str) -> tuple[str, ...]:
        """Return the codes of the categories directly under *code*, in the order added.

        Raises:
            InvalidTypeError: *code* is not a string.
            UnknownCodeError: The tree has no category *code*.
        """
        self._at(code)
        return self._children.get(code, ())

    def parent(self, code: str) -> str | None:
        """Return the code of *code*'s parent, or ``None`` for a root.

        Raises:
            InvalidTypeError: *code* is not a string.
            UnknownCodeError: The tree has no category *code*.
        """
        return self.category(code).parent

    def ancestors(self, code: str) -> tuple[str, ...]:
        """Return the codes above *code*, nearest first: its parent, its grandparent ... a root.

        Raises:
            InvalidTypeError: *code* is not a string.
            UnknownCodeError: The tree has no category *code*.
        """
        return tuple(reversed(self.path(code)[:-1]))

    def descendants(self, code: str) -> tuple[str, ...]:
        """Return the codes below *code* (not *code* itself), depth-first.

        Raises:
            InvalidTypeError: *code* is not a string.
            UnknownCodeError: The tree has no category *code*.
        """
        start = self._at(code)
        return tuple(category.code for category in self.categories[start + 1 : self._end[start]])

    def path(self, code: str) -> tuple[str, ...]:
        """Return the codes from *code*'s root down to *code* itself.

        Raises:
            InvalidTypeError: *code* is not a string.
            UnknownCodeError: The tree has no category *code*.
        """
        index = self._at(code)
        codes = [code]
        parent = self.categories[index].parent
        while parent is not None:
            codes.append(parent)
            parent = self.categories[self._position[parent]].parent
        return tuple(reversed(codes))

    def depth(self, code: str) -> int:
        """Return how many ancestors *code* has (0 for a root).

        Raises:
            InvalidTypeError: *code* is not a string.
            UnknownCodeError: The tree has no category *code*.
        """
        return self._depth[self._at(code)]

    def is_ancestor(self, ancestor: str, code: str) -> bool:
        """Whether *ancestor* is above *code* (a category is not its own ancestor).

        Raises:
            InvalidTypeError: A code is not a string.
            UnknownCodeError: The tree lacks one of the categories.
        """
        above = self._at(ancestor, field="ancestor")
        below = self._at(code)
        return above < below < self._end[above]

    def breadcrumb(self, code: str, *, locale: str, separator: str = " > ") -> str:
        """Return the names from *code*'s root down to it, joined by *separator*.

        Each name is the category's label in *locale*, following the locale's fallback
        chain, or the category's code when it has no label there. With the default
        separator this is the form of Google Merchant Center's ``product_type``
        (``Home > Women > Dresses``).

        Args:
            code: The category.
            locale: The locale to name the categories in.
            separator: What goes between two names.

        Raises:
            InvalidTypeError: *code* or *separator* is not a string.
            InvalidValueError: *separator* is empty.
            UnknownCodeError: The tree has no category *code*.
            InvalidLocaleError: *locale* is not a locale code.
        """
        if not isinstance(separator, str):
            raise InvalidTypeError(field="separator", value=separator, expected="str")
        if not separator:
            raise InvalidValueError(field="separator", value=separator, reason="must not be empty")
        names = (self.categories[self._position[step]].label_in(locale) for step in self.path(code))
        return separator.join(names)

    def in_subtree(self, categories: Iterable[str], code: str) -> bool:
        """Whether any of *categories* is *code* or a category below it.

        Codes the tree does not hold (a category removed since a product was classified)
        are in no subtree.

        Args:
            categories: Category codes, such as a product's ``categories``.
            code: The category whose subtree counts.

        Raises:
            InvalidTypeError: *categories* is not a list of codes, or *code* is not a string.
            UnknownCodeError: The tree has no category *code*.
        """
        start = self._at(code)
        return self._any_in(_codes(categories), start, self._end[start])

    def _any_in(self, codes: Iterable[str], start: int, stop: int) -> bool:
        for item in codes:
            found = self._position.get(item)
            if found is not None and start <= found < stop:
                return True
        return False

    def products_in(
        self, code: str, products: Iterable[Product], *, descendants: bool = True
    ) -> tuple[Product, ...]:
        """Return the products classified in *code* (or below it), in the order given.

        Args:
            code: The category.
            products: The products to select from.
            descendants: Count products classified in a category below *code* as well
                (the default); with ``False``, only those classified in *code* itself.

        Raises:
            InvalidTypeError: *products* is not a list of `Product`, *code* is not a string
                or *descendants* is not a bool.
            UnknownCodeError: The tree has no category *code*.
        """
        start = self._at(code)
        if not isinstance(descendants, bool):
            raise InvalidTypeError(field="descendants", value=descendants, expected="bool")
        items: tuple[Product, ...] = tuple_of(products, Product, field="products")
        stop = self._end[start] if descendants else start + 1
        return tuple(item for item in items if self._any_in(item.categories, start, stop))

    # ------------------------------------------------------------ changes

    def add(
        self,
        code: str,
        *,
        parent: str | None = None,
        label: LocalizedText | Mapping[str, str] | None = None,
    ) -> CategoryTree:
        """Return a tree with a new category, the last child of *parent* (or the last root).

        Raises:
            InvalidTypeError: *code* or *parent* is not a string, or *label* has the wrong type.
            InvalidValueError: *code* is not a code or is already in the tree.
            UnknownCodeError: *parent* is not in the tree.
        """
        category = Category(code, _EMPTY if label is None else label, parent=parent)
        if code in self._position:
            raise InvalidValueError(field="code", value=code, reason="is already in the tree")
        if parent is not None:
            self._at(parent, field="parent")
        return CategoryTree((*self.categories, category))

    def move(self, code: str, *, parent: str | None) -> CategoryTree:
        """Return a tree with *code* (and everything below it) moved under *parent*.

        The category becomes the last child of *parent*, or the last root when *parent* is
        ``None``. Moving a category under the parent it already has changes nothing.

        Raises:
            InvalidTypeError: *code* or *parent* is not a string.
            UnknownCodeError: *code* or *parent* is not in the tree.
            CategoryCycleError: *parent* is *code* itself or one of its descendants; the
                tree is left as it was.
        """
        index = self._at(code)
        if parent is not None:
            target = self._at(parent, field="parent")
            if index <= target < self._end[index]:
                raise CategoryCycleError(category=code, parent=parent)
        moved = self.categories[index]
        if moved.parent == parent:
            return self
        rest = (*self.categories[:index], *self.categories[index + 1 :])
        return CategoryTree((*rest, attrs.evolve(moved, parent=parent)))

    def remove(self, code: str, *, cascade: bool = False) -> CategoryTree:
        """Return a tree without *code*.

        Args:
            code: The category to remove.
            cascade: Remove the categories below it as well. Without it, a category that
                has children is refused.

        Raises:
            InvalidTypeError: *code* is not a string or *cascade* is not a bool.
            UnknownCodeError: The tree has no category *code*.
            InvalidValueError: *code* has children and *cascade* is not set.
        """
        index = self._at(code)
        if not isinstance(cascade, bool):
            raise InvalidTypeError(field="cascade", value=cascade, expected="bool")
        stop = self._end[index]
        below = stop - index - 1
        if below and not cascade:
            raise InvalidValueError(
                field="code",
                value=code,
                reason=f"has {below} categories below it; move them or pass cascade=True",
            )
        return CategoryTree((*self.categories[:index], *self.categories[stop:]))

    def relabel(self, code: str, label: LocalizedText | Mapping[str, str]) -> CategoryTree:
        """Return a tree where *code* has the name *label* (its place stays the same).

        Raises:
            InvalidTypeError: *code* is not a string, or *label* is neither a
                `LocalizedText` nor a mapping.
            UnknownCodeError: The tree has no category *code*.
        """
        index = self._at(code)
        renamed = attrs.evolve(self.categories[index], label=label)
        return CategoryTree((*self.categories[:index], renamed, *self.categories[index + 1 :]))


def _codes(value: object) -> tuple[str, ...]:
    codes: tuple[str, ...] = tuple_of(value, str, field="categories")
    return codes
