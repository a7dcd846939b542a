"""Bulk import of products from CSV or JSON rows, checked as a whole before anything changes.

Rows follow Akeneo's column convention (see [`import_products`][ecomkit.catalog.import_products]).
Every row goes through [`create_product`][ecomkit.catalog.create_product] or
[`edit_product`][ecomkit.catalog.edit_product], so an import accepts exactly what a single edit
accepts; on top of that the batch is checked for what no single edit can see: a SKU twice,
two products sharing a GTIN or the value of a unique attribute, columns nobody knows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Container, Iterable, Mapping
from typing import Any, Final

import attrs

from ecomkit.catalog._attributes import AttributeDef, AttributeType, check_code
from ecomkit.catalog._edit import (
    ProductChange,
    ProductCreated,
    ProductEdited,
    SetAvailability,
    SetBrand,
    SetCategories,
    SetCondition,
    SetEnabled,
    SetGtin,
    SetMedia,
    SetMpn,
    SetPrice,
    SetStock,
    SetValue,
    create_product,
    edit_product,
)
from ecomkit.catalog._product import Image, Price, Product, tuple_of
from ecomkit.catalog._schema import CatalogSchema
from ecomkit.catalog._units import Metric
from ecomkit.errors import (
    DataValidationError,
    EcomkitError,
    InvalidTypeError,
    InvalidValueError,
    Problem,
    UnknownCodeError,
)
from ecomkit.i18n import normalize_locale
from ecomkit.money import Money
from ecomkit.orders._values import check_aware


__all__ = ["ImportResult", "import_products", "read_csv"]

_TARGET: Final = "product import"
_TRUE: Final = frozenset({"1", "true", "yes"})
_FALSE: Final = frozenset({"0", "false", "no"})
_DIGITS: Final = re.compile(r"[0-9]+")
_SHOWN_ROWS: Final = 5
_PLAIN: Final = frozenset(
    {
        "sku",
        "product_type",
        "group",
        "gtin",
        "mpn",
        "brand",
        "categories",
        "images",
        "availability",
        "availability_date",
        "condition",
        "enabled",
    }
)
_PRICED: Final = ("price", "sale_price", "sale_price_effective_date")


# ---------------------------------------------------------------------------- reading CSV


def read_csv(source: str | Iterable[str], *, delimiter: str = ",") -> list[dict[str, str]]:
    r"""Read CSV text (a string or an open text file) into rows for `import_products`.

    The first line names the columns. A byte order mark before it is dropped. A row with
    fewer cells than columns has empty cells at its end; a row with more cells is refused.
    Open files with ``newline=""`` so line breaks inside quoted cells survive.

    Args:
        source: The CSV text, or a text file object (any iterable of lines).
        delimiter: The one-character cell separator (``";"`` for spreadsheets in many
            European locales, ``"\t"`` for TSV).

    Returns:
        One dict per data row, column name to cell text (``""`` for an empty cell).

    Raises:
        InvalidTypeError: *source* is neither a string nor an iterable of lines.
        InvalidValueError: *delimiter* is not one character, or the header is empty, has a
            blank column name or a column twice.
        DataValidationError: Rows with more cells than the header has columns, or text the
            CSV reader cannot parse; every such row is listed.

    Examples:
        >>> read_csv("sku;title-en\nA-1;Mug\n", delimiter=";")
        [{'sku': 'A-1', 'title-en': 'Mug'}]
    """
    if not isinstance(delimiter, str):
        raise InvalidTypeError(field="delimiter", value=delimiter, expected="str")
    if len(delimiter) != 1:
        raise InvalidValueError(field="delimiter", value=delimiter, reason="must be one character")
    if isinstance(source, str):
        lines: Iterable[str] = io.StringIO(source, newline="")
    elif isinstance(source, Iterable):
        lines = source
    else:
        raise InvalidTypeError(
            field="source", value=source, expected="CSV text or a text file object"
        )
    rows: list[dict[str, str]] = []
    problems: list[Problem] = []
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = _header(next(reader, None))
        for cells in reader:
            if cells:  # blank lines are skipped
                rows.append(_cells(header, cells, len(rows), problems))
    except csv.Error as error:
        at = len(rows)
        problem = Problem(f"$[{at}]", f"not valid CSV: {error}", row=at + 1)
        raise DataValidationError(target="CSV", problems=(problem,)) from None
    if problems:
        raise DataValidationError(target="CSV", problems=tuple(problems))
    return rows


def _cells(
    header: list[str], cells: list[str], index: int, problems: list[Problem]
) -> dict[str, str]:
    if len(cells) > len(header):
        message = f"{len(cells)} cells but {len(header)} columns"
        problems.append(Problem(f"$[{index}]", message, cells[len(header) :], row=index + 1))
    padded = cells + [""] * (len(header) - len(cells))
    return dict(zip(header, padded, strict=False))


def _header(names: list[str] | None) -> list[str]:
    if not names:
        raise InvalidValueError(field="header", value="", reason="the CSV text has no header")
    names[0] = names[0].removeprefix("\ufeff")
    cleaned = [name.strip() for name in names]
    seen: set[str] = set()
    for name in cleaned:
        if not name:
            raise InvalidValueError(field="header", value=names, reason="a column has no name")
        if name in seen:
            raise InvalidValueError(field="header", value=name, reason="a column twice")
        seen.add(name)
    return cleaned


# ---------------------------------------------------------------------------- the result


@attrs.frozen(weakref_slot=False)
class ImportResult:
    """What an import did, and with ``keep_valid=True``, what it refused.

    Attributes:
        products: The product of every imported row, in row order (created, updated or
            unchanged).
        events: One event per row that created or changed a product, in row order.
        problems: Every problem found (empty unless ``keep_valid=True`` was asked for).
        rejected_rows: The numbers (1 for the first data row) of the rows not imported.
    """

    products: tuple[Product, ...]
    events: tuple[ProductCreated | ProductEdited, ...]
    problems: tuple[Problem, ...] = ()
    rejected_rows: tuple[int, ...] = ()


# ---------------------------------------------------------------------------- columns


@attrs.frozen(weakref_slot=False)
class _Column:
    """What a column name means: its kind and the channel, locale, attribute or location."""

    name: str
    kind: str
    channel: str | None = None
    locale: str | None = None
    definition: AttributeDef | None = None
    location: str | None = None


def _classify(name: str, schema: CatalogSchema) -> _Column:
    """Read a column name (see `import_products` for the convention).

    Raises:
        EcomkitError: The name fits no column of the convention and no attribute.
    """
    if name in _PLAIN:
        return _Column(name, name)
    base, dash, suffix = name.partition("-")
    if base in _PRICED:
        channel = schema.channel(suffix, field=name).code if dash else None
        return _Column(name, base, channel=channel)
    if base == "stock":
        if not dash:
            raise InvalidValueError(
                field=name, value=name, reason="write stock columns as 'stock-<location>'"
            )
        return _Column(name, "stock", location=check_code(suffix, field=name))
    return _attribute_column(name, schema)


def _attribute_column(name: str, schema: CatalogSchema) -> _Column:
    parts = name.split("-")
    for cut in range(len(parts), 0, -1):
        definition = schema.attributes.get("-".join(parts[:cut]))
        if definition is not None:
            channel, locale = _scope(name, parts[cut:], schema)
            return _attribute_scope(name, definition, channel, locale, schema)
    raise UnknownCodeError(
        kind="column (no attribute, channel column or stock column has that name)",
        code=name,
        field=name,
        known=tuple(schema.attributes),
    )


def _scope(name: str, rest: list[str], schema: CatalogSchema) -> tuple[str | None, str | None]:
    """Split the suffix of an attribute column into a channel and a locale.

    A last part that is a channel code of the schema is the channel; what is left before it
    is the locale (so ``title-de-AT-web`` and ``title-de_AT`` both work).
    """
    if not rest:
        return None, None
    channel = rest[-1] if rest[-1] in schema.channels else None
    locale_parts = rest[:-1] if channel is not None else rest
    locale = normalize_locale("-".join(locale_parts), field=name) if locale_parts else None
    return channel, locale


def _attribute_scope(
    name: str,
    definition: AttributeDef,
    channel: str | None,
    locale: str | None,
    schema: CatalogSchema,
) -> _Column:
    code = definition.code
    if channel is not None and not definition.scopable:
        raise InvalidValueError(field=name, value=channel, reason=f"{code} is not scopable")
    if locale is not None:
        if not definition.localizable:
            raise InvalidValueError(field=name, value=locale, reason=f"{code} is not localizable")
        offered = schema.channels[channel].locales if channel is not None else schema.locales
        if locale not in offered:
            where = f"channel {channel!r}" if channel is not None else "any channel"
            raise InvalidValueError(field=name, value=locale, reason=f"not a locale of {where}")
    return _Column(name, "value", channel=channel, locale=locale, definition=definition)


# ---------------------------------------------------------------------------- cells


def _is_empty(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, list | tuple) and not raw


def _boolean(raw: object, *, field: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise InvalidValueError(
            field=field, value=raw, reason="not a boolean (1, 0, true, false, yes or no)"
        )
    raise InvalidTypeError(field=field, value=raw, expected="bool or 1/0/true/false/yes/no")


def _money(item: object, *, field: str) -> Money:
    if isinstance(item, Money):
        return item
    if isinstance(item, Mapping) and set(item) == {"amount", "currency"}:
        return Money(item["amount"], item["currency"])
    if isinstance(item, str):
        parts = item.split()
        if len(parts) != 2:  # noqa: PLR2004 - an amount and a currency
            raise InvalidValueError(
                field=field, value=item, reason="write a price as '<amount> <currency>'"
            )
        return Money(parts[0], parts[1])
    raise InvalidTypeError(
        field=field, value=item, expected="Money, {'amount', 'currency'} or '19.99 EUR'"
    )


def _moneys(raw: object, *, field: str) -> tuple[Money, ...]:
    """Read ``"10.00 EUR;45.00 PLN"``, a `Money`, or a list of them; one per currency."""
    if isinstance(raw, str):
        items: Iterable[object] = [part for part in raw.split(";") if part.strip()]
    elif isinstance(raw, list | tuple):
        items = raw
    else:
        items = [raw]
    found: dict[str, Money] = {}
    for item in items:
        money = _money(item, field=field)
        code = money.currency.code
        if code in found:
            raise InvalidValueError(field=field, value=raw, reason=f"two prices in {code}")
        found[code] = money
    return tuple(found.values())


def _moment(raw: object, *, field: str) -> dt.datetime:
    if isinstance(raw, str):
        try:
            raw = dt.datetime.fromisoformat(raw.strip())
        except ValueError:
            raise InvalidValueError(
                field=field,
                value=raw,
                reason="not an ISO 8601 date and time with an offset (2026-03-01T09:00:00+01:00)",
            ) from None
    return check_aware(raw, field=field)


def _window(raw: object, *, field: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Read a sale window ``"<start>/<end>"`` (either side may be empty: open-ended)."""
    if not isinstance(raw, str):
        raise InvalidTypeError(field=field, value=raw, expected="'<start>/<end>' in ISO 8601")
    start, slash, end = raw.partition("/")
    if not slash:
        raise InvalidValueError(
            field=field, value=raw, reason="write a sale window as '<start>/<end>' in ISO 8601"
        )
    return (
        _moment(start, field=field) if start.strip() else None,
        _moment(end, field=field) if end.strip() else None,
    )


def _stock(raw: object, *, field: str) -> object:
    if isinstance(raw, str):
        text = raw.strip()
        if _DIGITS.fullmatch(text) is None:
            raise InvalidValueError(field=field, value=raw, reason="not a whole number of units")
        return int(text)
    return raw  # SetStock checks the type (an int, never a float or a bool)


def _value(  # noqa: PLR0911 - one branch per way a cell is written
    definition: AttributeDef, raw: object, *, field: str
) -> object:
    """Turn a cell into what `AttributeDef.check` reads, by the attribute's type."""
    kind = definition.type
    if kind is AttributeType.PRICES:
        return _moneys(raw, field=field)
    if kind is AttributeType.BOOLEAN:
        return _boolean(raw, field=field)
    if kind is AttributeType.METRIC and isinstance(raw, Mapping):
        if set(raw) != {"amount", "unit"}:
            raise InvalidTypeError(field=field, value=raw, expected="{'amount', 'unit'}")
        return Metric(raw["amount"], raw["unit"])
    if not isinstance(raw, str):
        return tuple(raw) if isinstance(raw, list) else raw
    if kind is AttributeType.MULTI_SELECT:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if kind in {AttributeType.TEXT, AttributeType.LONG_TEXT, AttributeType.MEDIA}:
        return raw
    return raw.strip()


def _codes(raw: object, *, separator: str) -> object:
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(separator) if part.strip()]
    return raw


def _images(raw: object) -> tuple[Image, ...]:
    items = _codes(raw, separator="|")
    if not isinstance(items, list | tuple):
        raise InvalidTypeError(field="images", value=raw, expected="'|'-separated URLs or a list")
    return tuple(item if isinstance(item, Image) else Image(item) for item in items)


def _text(raw: object) -> object:
    return raw.strip() if isinstance(raw, str) else raw


# ---------------------------------------------------------------------------- rows


@attrs.frozen(weakref_slot=False)
class _Cell:
    """The changes one column of a row asks for."""

    column: str
    raw: object
    changes: tuple[ProductChange, ...]


@attrs.define(weakref_slot=False)
class _Row:
    """One row while it is checked."""

    index: int
    raw: Mapping[Any, Any]  # empty for a row that is not a mapping
    sku: str | None = None
    product_type: str | None = None
    group: str | None = None
    cells: list[_Cell] = attrs.field(factory=list)
    problems: list[Problem] = attrs.field(factory=list)
    columns: list[Problem] = attrs.field(factory=list)  # unknown columns, first row only
    rejected: bool = False
    product: Product | None = None
    event: ProductCreated | ProductEdited | None = None

    @property
    def number(self) -> int:
        return self.index + 1

    def problem(self, column: str | None, message: str, value: object = None) -> None:
        self.problems.append(self._problem(column, message, value))

    def column_problem(self, column: str, message: str) -> None:
        """Report a column that fits nothing; it refuses only rows with a value in it."""
        self.columns.append(self._problem(column, message, column))

    def _problem(self, column: str | None, message: str, value: object) -> Problem:
        path = f"$[{self.index}]" if column is None else f"$[{self.index}].{column}"
        return Problem(path, message, value, row=self.number, field=column)


@attrs.define(weakref_slot=False)
class _Batch:
    """The state shared by the rows of one import."""

    schema: CatalogSchema
    at: dt.datetime
    existing: dict[str, Product]
    categories: Container[str] | None
    columns: dict[str, _Column | EcomkitError] = attrs.field(factory=dict)
    reported: set[str] = attrs.field(factory=set)

    def column(self, name: str) -> _Column | EcomkitError:
        found = self.columns.get(name)
        if found is None:
            try:
                found = _classify(name, self.schema)
            except EcomkitError as error:
                found = error
            self.columns[name] = found
        return found


def import_products(
    rows: Iterable[Mapping[str, Any]],
    schema: CatalogSchema,
    *,
    at: dt.datetime,
    existing: Iterable[Product] = (),
    categories: Container[str] | None = None,
    keep_valid: bool = False,
) -> ImportResult:
    r"""Create and update products from rows, all or nothing, reporting every problem.

    Each row is a mapping of column to cell: what [`read_csv`][ecomkit.catalog.read_csv]
    (or ``csv.DictReader``) returns, or JSON objects. The columns follow Akeneo's
    convention:

    | Column | Cell |
    | --- | --- |
    | `sku` | required; the product's SKU; a SKU in *existing* updates that product |
    | `product_type` | required for a new product; must match for an existing one |
    | `group` | the product group a new product is a variant of |
    | `gtin`, `mpn`, `brand` | identifiers (a GTIN's check digit is checked) |
    | `categories` | category codes separated by commas; first is main |
    | `images` | image URLs separated by ``|``; first is the main image |
    | `availability` | `in_stock`, `out_of_stock`, `preorder`, `backorder` |
    | `availability_date` | ISO 8601 with an offset, ``2026-05-01T00:00:00+02:00`` |
    | `condition` | `new`, `refurbished`, `used` |
    | `enabled` | `1`, `0`, `true`, `false`, `yes`, `no` (any case) |
    | `price`, `price-<channel>` | ``19.99 EUR``, several currencies separated by ``;`` |
    | `sale_price`, `sale_price-<channel>` | likewise; lower than the price |
    | `sale_price_effective_date[-<channel>]` | the sale window, ``<start>/<end>`` in ISO 8601 |
    | `stock-<location>` | units on hand, a whole number |
    | `<attribute>` | the value for every channel and locale |
    | `<attribute>-<locale>` | the value in a locale (``title-en_US``) |
    | `<attribute>-<channel>` | the value in a channel (``title-amazon``) |
    | `<attribute>-<locale>-<channel>` | both (``title-de_DE-web``) |

    How an attribute column is read: the longest prefix of the name (split at ``-``) that
    is an attribute code names the attribute; of the rest, a last part that is one of the
    schema's channel codes is the channel, and anything before it is a locale, read with
    [`normalize_locale`][ecomkit.i18n.normalize_locale] (``en_US``, ``en-US`` and ``en``
    all work). So a channel code shadows a locale of the same spelling; name channels
    unlike locales. The fixed columns above are read before attributes.

    Cells are read by the attribute's type: numbers as decimals (``"12.5"``), metrics as
    ``"1.5 kg"``, booleans as for `enabled`, dates as ``YYYY-MM-DD``, multi-selects as
    option codes separated by commas, price collections as ``"10.00 EUR;45.00 PLN"``, text
    as given. JSON rows may carry typed values instead: numbers (never floats: a float is
    refused as everywhere in ecomkit), booleans, lists, `Money`, `Metric`,
    ``{"amount": "1.5", "unit": "kg"}``, ``{"amount": "9.99", "currency": "EUR"}``.

    An empty cell (or ``None``) means "no value": nothing is set, and for an existing
    product the field is left as it is. An import never removes values, prices or images;
    use `edit_product` with `RemoveValue` or `RemovePrice` for that. For the same reason a
    `price` cell keeps an existing sale of that price, and a `sale_price` cell without a
    `price` cell needs an existing price in that currency and channel.

    Every row is checked, and each bad cell is reported with its row and column, together
    with what only the batch shows: a SKU in two rows, a GTIN or a unique attribute's value
    shared by two rows or by a row and an existing product, a column that fits nothing
    (reported once, at the first row that has it), a missing `sku` or `product_type`.

    Args:
        rows: The rows.
        schema: The catalog schema.
        at: When (timezone-aware); recorded in the events and the price history.
        existing: The catalog's current products; rows with their SKU update them.
        categories: The known category codes (a `CategoryTree` or any container); when
            given, `categories` cells may only name these.
        keep_valid: Import the good rows and return the problems of the others instead of
            raising. A row is refused when it has a problem of its own or a value in a
            column that fits nothing (that column's problem is listed once, at its first
            row, which is not refused for it when its cell there is empty).

    Returns:
        The products and events of the imported rows, and with *keep_valid* the problems
        and the numbers of the rejected rows.

    Raises:
        DataValidationError: Some row has a problem and *keep_valid* is false; every
            problem is listed (``Problem.row`` and ``Problem.field`` say where) and
            nothing is imported.
        InvalidTypeError: *schema*, *at*, *rows* or *existing* has the wrong type.
        InvalidValueError: *existing* holds a SKU twice.

    Examples:
        >>> import pendulum
        >>> from ecomkit.catalog import AttributeDef, CatalogSchema, Channel, ProductType
        >>> schema = CatalogSchema(
        ...     [AttributeDef("title", "text", localizable=True),
        ...      AttributeDef("weight", "metric", unit_family="weight", default_unit="kg")],
        ...     [ProductType("mug", ["title", "weight"], description_attribute=None)],
        ...     [Channel("web", ["en"], ["EUR"])],
        ... )
        >>> at = pendulum.datetime(2026, 3, 1, tz="Europe/Berlin")
        >>> rows = read_csv("sku,product_type,title-en,weight,price\n"
        ...                 "M-1,mug,Blue mug,0.4 kg,12.00 EUR\n"
        ...                 "M-2,mug,Red mug,heavy,9.99\n")
        >>> import_products(rows, schema, at=at)
        Traceback (most recent call last):
        ...
        ecomkit.errors.DataValidationError: product import: 2 problems
          weight: write a measurement as '<amount> <unit>' (got 'heavy') @ $[1].weight
          price: write a price as '<amount> <currency>' (got '9.99') @ $[1].price
        >>> result = import_products(rows[:1], schema, at=at)
        >>> result.products[0].value("weight"), result.products[0].price("EUR").regular
        (Metric(amount=Decimal('0.4'), unit='kg'), Money('12.00', 'EUR'))
    """
    if not isinstance(schema, CatalogSchema):
        raise InvalidTypeError(field="schema", value=schema, expected="CatalogSchema")
    moment = check_aware(at, field="at")
    if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
        raise InvalidTypeError(field="rows", value=rows, expected="an iterable of mappings")
    batch = _Batch(schema, moment, _existing(existing), categories)
    checked = [_check_row(batch, index, row) for index, row in enumerate(rows)]
    _check_duplicate_skus(checked)
    _check_unique_values(batch, checked)
    problems = tuple(problem for row in checked for problem in _in_column_order(row))
    if problems and not keep_valid:
        raise DataValidationError(target=_TARGET, problems=problems)
    kept = [row for row in checked if not row.problems and not row.rejected]
    return ImportResult(
        products=tuple(row.product for row in kept if row.product is not None),
        events=tuple(row.event for row in kept if row.event is not None),
        problems=problems,
        rejected_rows=tuple(row.number for row in checked if row.problems or row.rejected),
    )


def _in_column_order(row: _Row) -> list[Problem]:
    """The row's problems in the order of its columns; problems of the whole row last."""
    order = {name: position for position, name in enumerate(row.raw)}
    found = row.columns + row.problems
    return sorted(found, key=lambda problem: order.get(problem.field, len(order)))


def _existing(existing: Iterable[Product]) -> dict[str, Product]:
    found: dict[str, Product] = {}
    for product in tuple_of(existing, Product, field="existing"):
        if product.sku in found:
            raise InvalidValueError(field="existing", value=product.sku, reason="a SKU twice")
        found[product.sku] = product
    return found


def _check_row(batch: _Batch, index: int, raw: object) -> _Row:
    if not isinstance(raw, Mapping):
        row = _Row(index, {})
        row.problem(None, f"expected a mapping of column to cell, got {type(raw).__name__}", raw)
        return row
    row = _Row(index, raw)
    _read_identity(batch, row)
    if row.sku is None or row.product_type is None:
        _read_cells(batch, row, None)  # still report the cells' own problems
        return row
    base = batch.existing.get(row.sku)
    _read_cells(batch, row, base)
    _apply(batch, row, base)
    return row


def _read_identity(batch: _Batch, row: _Row) -> None:
    """Read the row's SKU, type and group, and check them against the existing product."""
    for column in ("sku", "product_type", "group"):
        raw = row.raw.get(column)
        if not _is_empty(raw):
            try:
                setattr(row, column, check_code(_text(raw), field=column))
            except EcomkitError as error:
                row.problem(column, str(error), raw)
    bad = {problem.field for problem in row.problems}
    if row.sku is None:
        if "sku" not in bad:
            row.problem("sku", "sku: required (every row needs one)")
        return
    base = batch.existing.get(row.sku)
    if base is not None:
        _check_fixed(row, base)
    elif row.product_type is None:
        if "product_type" not in bad:
            row.problem("product_type", "product_type: required for a new product")
    else:
        _check_type(batch, row, row.product_type)


def _check_type(batch: _Batch, row: _Row, code: str) -> None:
    try:
        batch.schema.product_type(code)
    except EcomkitError as error:
        row.problem("product_type", str(error), code)
        row.product_type = None


def _check_fixed(row: _Row, base: Product) -> None:
    """An import does not move an existing product to another type or group."""
    for column, current in (("product_type", base.product_type), ("group", base.group)):
        given = getattr(row, column)
        if given is not None and given != current:
            row.problem(
                column,
                f"{column}: an import does not change the {column} of an existing product "
                f"(it is {current!r})",
                given,
            )
    row.product_type, row.group = base.product_type, base.group


def _read_cells(batch: _Batch, row: _Row, base: Product | None) -> None:
    """Turn the row's cells into changes, reporting bad cells and unknown columns."""
    prices: dict[str | None, dict[str, tuple[str, object]]] = {}
    availability: dict[str, object] = {}
    for name, raw in row.raw.items():
        if not isinstance(name, str):
            row.problem(None, f"a column without a name ({name!r})", raw)
            continue
        column = batch.column(name)
        if isinstance(column, EcomkitError):
            _unknown_column(batch, row, name, column, raw)
            continue
        if column.kind in {"sku", "product_type", "group"} or _is_empty(raw):
            continue
        if column.kind in _PRICED:
            prices.setdefault(column.channel, {})[column.kind] = (name, raw)
            continue
        if column.kind in {"availability", "availability_date"}:
            availability[column.kind] = (name, raw)
            continue
        try:
            changes = _changes(column, raw)
        except EcomkitError as error:
            row.problem(name, str(error), raw)
            continue
        row.cells.append(_Cell(name, raw, changes))
    if availability:
        _read_availability(row, base, availability)
    for channel, cells in prices.items():
        _read_prices(row, base, channel, cells)


def _unknown_column(batch: _Batch, row: _Row, name: str, error: EcomkitError, raw: object) -> None:
    """Report a column once, at the first row; every row with a value in it is refused."""
    if not _is_empty(raw):
        row.rejected = True
    if name not in batch.reported:
        batch.reported.add(name)
        row.column_problem(name, str(error))


def _changes(  # noqa: PLR0911 - one branch per kind of column
    column: _Column, raw: object
) -> tuple[ProductChange, ...]:
    name, kind, definition = column.name, column.kind, column.definition
    if definition is not None:  # an attribute column
        value = _value(definition, raw, field=name)
        return (SetValue(definition.code, value, column.channel, column.locale),)
    if kind == "gtin":
        return (SetGtin(_text(raw)),)
    if kind == "mpn":
        return (SetMpn(_text(raw)),)
    if kind == "brand":
        return (SetBrand(_text(raw)),)
    if kind == "categories":
        return (SetCategories(_codes(raw, separator=",")),)
    if kind == "images":
        return (SetMedia(_images(raw)),)
    if kind == "condition":
        return (SetCondition(_text(raw)),)
    if kind == "enabled":
        return (SetEnabled(_boolean(raw, field=name)),)
    return (SetStock(column.location, _stock(raw, field=name)),)  # the only kind left


def _read_availability(row: _Row, base: Product | None, cells: dict[str, Any]) -> None:
    parsed: dict[str, object] = {}
    for kind, (name, raw) in cells.items():
        try:
            parsed[kind] = (
                _moment(raw, field=name)
                if kind == "availability_date"
                else SetAvailability(_text(raw)).availability
            )
        except EcomkitError as error:
            row.problem(name, str(error), raw)
    if len(parsed) != len(cells):
        return
    availability = parsed.get(
        "availability", base.availability if base is not None else "out_of_stock"
    )
    date = parsed.get("availability_date", base.availability_date if base is not None else None)
    name, raw = cells.get("availability") or cells["availability_date"]
    row.cells.append(_Cell(name, raw, (SetAvailability(availability, date),)))


def _read_prices(
    row: _Row, base: Product | None, channel: str | None, cells: dict[str, tuple[str, object]]
) -> None:
    """Combine a channel's price, sale price and sale window cells into `SetPrice` changes."""
    regular: dict[str, Money] = {}
    sale: dict[str, Money] = {}
    window: tuple[dt.datetime | None, dt.datetime | None] | None = None
    failed = False
    for kind, (name, raw) in cells.items():
        try:
            if kind == "sale_price_effective_date":
                window = _window(raw, field=name)
            else:
                found = _moneys(raw, field=name)
                (regular if kind == "price" else sale).update(
                    (money.currency.code, money) for money in found
                )
        except EcomkitError as error:
            row.problem(name, str(error), raw)
            failed = True
    if failed:
        return
    if window is not None and not sale:
        name, raw = cells["sale_price_effective_date"]
        row.problem(name, f"{name}: a sale window needs a sale_price in the same row", raw)
        return
    for currency in sorted(regular.keys() | sale.keys()):
        kind = "sale_price" if currency in sale else "price"
        name, raw = cells[kind]
        old = base.price(currency, channel=channel) if base is not None else None
        if old is not None and old.channel != channel:
            old = None  # the all-channels price is not this channel's own
        try:
            price = _price(currency, regular, sale, window, old, channel=channel, field=name)
        except EcomkitError as error:
            row.problem(name, str(error), raw)
            continue
        row.cells.append(_Cell(name, raw, (SetPrice(price),)))


def _price(
    currency: str,
    regular: dict[str, Money],
    sale: dict[str, Money],
    window: tuple[dt.datetime | None, dt.datetime | None] | None,
    old: Price | None,
    *,
    channel: str | None,
    field: str,
) -> Price:
    amount = regular.get(currency) or (old.regular if old is not None else None)
    if amount is None:
        raise InvalidValueError(
            field=field, value=sale[currency], reason=f"a sale price needs a price in {currency}"
        )
    if currency in sale:
        reduced: Money | None = sale[currency]
        start, end = window if window is not None else _old_window(old)
    else:  # a new regular price keeps the sale there is
        reduced = old.sale if old is not None else None
        start, end = _old_window(old)
    return Price(amount, sale=reduced, sale_from=start, sale_until=end, channel=channel)


def _old_window(old: Price | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    if old is None or old.sale is None:
        return None, None
    return old.sale_from, old.sale_until


def _apply(batch: _Batch, row: _Row, base: Product | None) -> None:
    """Apply the row as a whole; when that fails, check each cell alone to name them all."""
    whole: EcomkitError | None = None
    if not row.problems:
        try:
            row.product, row.event = _apply_row(batch, row, base)
        except EcomkitError as error:
            whole = error
        else:
            return
    before = len(row.problems)
    blank = base if base is not None else _blank(row)
    for cell in row.cells:
        try:
            edit_product(
                batch.schema, blank, cell.changes, at=batch.at, categories=batch.categories
            )
        except EcomkitError as error:
            row.problem(cell.column, str(error), cell.raw)
    if whole is not None and len(row.problems) == before:
        # Each cell passes alone (a group for a type without variants): name the column the
        # error names when the row has it, else the row.
        field = getattr(whole, "field", None)
        column = field if isinstance(field, str) and field in row.raw else None
        row.problem(column, str(whole), row.raw.get(column))


def _apply_row(
    batch: _Batch, row: _Row, base: Product | None
) -> tuple[Product, ProductCreated | ProductEdited | None]:
    changes = [change for cell in row.cells for change in cell.changes]
    if base is not None:
        edit = edit_product(batch.schema, base, changes, at=batch.at, categories=batch.categories)
    else:
        edit = create_product(
            batch.schema,
            sku=_known(row.sku),
            product_type=_known(row.product_type),
            changes=changes,
            group=row.group,
            at=batch.at,
            categories=batch.categories,
        )
    return edit.product, edit.event


def _known(code: str | None) -> str:
    if code is None:  # pragma: no cover - rows without a SKU or a type are never applied
        raise InvalidValueError(field="row", value=code, reason="needs a sku and a product_type")
    return code


def _blank(row: _Row) -> Product:
    return Product(_known(row.sku), _known(row.product_type), group=row.group)


# ---------------------------------------------------------------------------- batch checks


def _shown(numbers: list[int]) -> str:
    listed = ", ".join(str(number) for number in numbers[:_SHOWN_ROWS])
    return listed + (", ..." if len(numbers) > _SHOWN_ROWS else "")


def _check_duplicate_skus(rows: list[_Row]) -> None:
    by_sku: dict[str, list[_Row]] = {}
    for row in rows:
        if row.sku is not None:
            by_sku.setdefault(row.sku, []).append(row)
    for sku, same in by_sku.items():
        if len(same) < 2:  # noqa: PLR2004 - once is fine
            continue
        numbers = [row.number for row in same]
        for row in same:
            others = [number for number in numbers if number != row.number]
            row.problem("sku", f"sku: {sku!r} is also in row {_shown(others)}", sku)


def _check_unique_values(batch: _Batch, rows: list[_Row]) -> None:
    """A GTIN or a unique attribute's value held by two products of the resulting catalog."""
    for (column, value), holders in _holders(batch, rows).items():
        clashing = [holder for holder in holders if isinstance(holder, _Row)]
        if len(holders) < 2 or not clashing:  # noqa: PLR2004 - one holder is fine
            continue
        for row in clashing:
            _report_clash(row, column, value, [other for other in holders if other is not row])


def _holders(batch: _Batch, rows: list[_Row]) -> dict[tuple[str, object], list[str | _Row]]:
    """Who holds each GTIN and unique value: existing products (by SKU) and rows."""
    unique = [code for code, definition in batch.schema.attributes.items() if definition.unique]
    in_batch = {row.sku for row in rows if row.sku is not None}
    holders: dict[tuple[str, object], list[str | _Row]] = {}
    for sku, product in batch.existing.items():
        if sku not in in_batch:
            for key in _unique_keys(product, unique):
                holders.setdefault(key, []).append(sku)
    for row in rows:
        result = row.product
        if result is None and row.sku is not None:
            result = batch.existing.get(row.sku)  # a refused row leaves the product as it is
        if result is not None:
            for key in _unique_keys(result, unique):
                holders.setdefault(key, []).append(row)
    return holders


def _unique_keys(product: Product, unique: list[str]) -> set[tuple[str, object]]:
    keys: set[tuple[str, object]] = set()
    if product.gtin is not None:
        keys.add(("gtin", product.gtin))
    for code in unique:
        for key in product.values.keys_of(code):
            keys.add((code, product.values[key]))
    return keys


def _report_clash(row: _Row, column: str, value: object, others: list[str | _Row]) -> None:
    numbers = [other.number for other in others if isinstance(other, _Row)]
    skus = sorted(other for other in others if isinstance(other, str))
    where = []
    if numbers:
        where.append(f"row {_shown(numbers)}")
    if skus:
        where.append(f"existing product {', '.join(repr(sku) for sku in skus[:_SHOWN_ROWS])}")
    name = next(
        (cell.column for cell in row.cells if _names(cell, column)),
        column,
    )
    row.problem(
        name,
        f"{column}: {value!s} is unique but also held by {' and '.join(where)}",
        row.raw.get(name),
    )


def _names(cell: _Cell, column: str) -> bool:
    """Whether *cell* sets the GTIN or the attribute *column*."""
    for change in cell.changes:
        if column == "gtin" and isinstance(change, SetGtin):
            return True
        if isinstance(change, SetValue) and change.attribute == column:
            return True
    return False
