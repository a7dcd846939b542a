"""Data quality: criteria that rate a product's content 0-100, and A-E grades.

The model is Akeneo's Data Quality Insights (a rate per criterion, penalties per fault,
letter grades) with Google Merchant Center's editorial rules as the default criteria: no
promotional text, no capitals, no gimmicky characters, a real brand.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Iterable
from typing import Any, ClassVar, Final

import attrs

from ecomkit.catalog._attributes import check_code
from ecomkit.catalog._product import Product
from ecomkit.catalog._schema import CatalogSchema, ProductType
from ecomkit.catalog._values import Values
from ecomkit.errors import InvalidTypeError, InvalidValueError
from ecomkit.orders._values import Sku, check_quantity


__all__ = [
    "CriterionResult",
    "Finding",
    "Grade",
    "QualityCriterion",
    "QualityReport",
    "QualitySubject",
    "SkippedCriterion",
    "grade_for",
]

_FULL: Final = 100


# ---------------------------------------------------------------------------- grades


class Grade(enum.StrEnum):
    """A letter for a rate, as Akeneo ranks products: A is 90 or more, E below 60."""

    A = "A"
    """90 to 100."""
    B = "B"
    """80 to 89."""
    C = "C"
    """70 to 79."""
    D = "D"
    """60 to 69."""
    E = "E"
    """0 to 59."""


_GRADE_FLOORS: Final = ((90, Grade.A), (80, Grade.B), (70, Grade.C), (60, Grade.D))


def _check_rate(value: object, *, field: str) -> int:
    if type(value) is int and 0 <= value <= _FULL:
        return value
    number = check_quantity(value, field=field, minimum=0)
    if number > _FULL:
        raise InvalidValueError(field=field, value=value, reason="must be at most 100")
    return number


def grade_for(rate: int) -> Grade:
    """Return the grade of *rate*: A from 90, B from 80, C from 70, D from 60, else E.

    Args:
        rate: An integer from 0 to 100.

    Returns:
        The [`Grade`][ecomkit.catalog.Grade].

    Raises:
        InvalidTypeError: *rate* is not an ``int`` (a float or a bool included).
        InvalidValueError: *rate* is outside 0-100.

    Examples:
        >>> grade_for(90), grade_for(89), grade_for(59)
        (<Grade.A: 'A'>, <Grade.B: 'B'>, <Grade.E: 'E'>)
    """
    number = _check_rate(rate, field="rate")
    for floor, grade in _GRADE_FLOORS:
        if number >= floor:
            return grade
    return Grade.E


# ---------------------------------------------------------------------------- results


def _penalty(value: object) -> int:
    return _check_rate(value, field="penalty")


def _optional_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidTypeError(field="observed/threshold", value=value, expected="str or None")


def _string(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not str:
        raise InvalidTypeError(field=attribute.name, value=value, expected="str")


@attrs.frozen(weakref_slot=False)
class Finding:
    """One thing a criterion found wrong, what to do about it, and what it cost.

    Attributes:
        code: What was found, for machines (``"title_too_long"``).
        message: What is wrong and how to fix it, in a sentence.
        field: Where: an attribute code, ``"brand"``, ``"media[2].alt"`` ...
        observed: The value that was judged, as text (``"163"``), or ``None``.
        threshold: The limit it was judged against, as text (``"150"``), or ``None``.
        penalty: The points this finding takes from the criterion's rate (0-100).
    """

    code: str = attrs.field(validator=_string)
    message: str = attrs.field(validator=_string)
    field: str = attrs.field(validator=_string)
    observed: str | None = attrs.field(default=None, kw_only=True, converter=_optional_text)
    threshold: str | None = attrs.field(default=None, kw_only=True, converter=_optional_text)
    penalty: int = attrs.field(default=0, kw_only=True, converter=_penalty)


def _findings(value: object) -> tuple[Finding, ...]:
    if value == ():
        return ()
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="findings", value=value, expected="a list of Finding")
    items = tuple(value)
    for item in items:
        if not isinstance(item, Finding):
            raise InvalidTypeError(field="findings", value=item, expected="Finding")
    return items


def _result_rate(value: object) -> int:
    return _check_rate(value, field="rate")


def _weight(value: object) -> int:
    if type(value) is int and value > 0:
        return value
    return check_quantity(value, field="weight", minimum=1)


@attrs.frozen(weakref_slot=False)
class CriterionResult:
    """How one criterion rated a product.

    Attributes:
        criterion: The criterion's id.
        rate: 0 to 100; 100 means nothing was found.
        weight: The criterion's weight in the overall rate.
        findings: What was found, each with its penalty.
    """

    criterion: str = attrs.field(validator=_string)
    rate: int = attrs.field(converter=_result_rate)
    weight: int = attrs.field(converter=_weight)
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=_findings)


@attrs.frozen(weakref_slot=False)
class SkippedCriterion:
    """A criterion that did not apply to a product, and why; it is not part of the rate.

    Attributes:
        criterion: The criterion's id.
        reason: Why it did not apply (``"the product has no images"``).
    """

    criterion: str = attrs.field(validator=_string)
    reason: str = attrs.field(validator=_string)


def _results(value: object) -> tuple[CriterionResult, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field="results", value=value, expected="a list of CriterionResult")
    items = tuple(value)
    for item in items:
        if not isinstance(item, CriterionResult):
            raise InvalidTypeError(field="results", value=item, expected="CriterionResult")
    return items


def _optional_rate(value: object) -> int | None:
    return None if value is None else _check_rate(value, field="rate")


@attrs.frozen(weakref_slot=False)
class QualityReport:
    """A product's data quality in one channel and locale.

    The overall `rate` is the mean of the applicable criteria's rates weighted by their
    weights, rounded down to an integer (so a grade is never reached by rounding: 89.9 is
    89, a B). Criteria that do not apply (no description attribute, no images to describe)
    are listed in `skipped` and left out of the mean, rather than counted as 100 or 0.
    When no criterion applies, `rate` and `grade` are ``None``: no data is not a score.

    Attributes:
        sku: The product's SKU.
        channel: The channel assessed.
        locale: The locale assessed.
        rate: The overall rate 0-100, or ``None`` when no criterion applied.
        grade: The rate's [`Grade`][ecomkit.catalog.Grade], or ``None``.
        results: One result per applicable criterion, in the order the criteria were given.
        skipped: The criteria that did not apply, with the reason.
    """

    sku: Sku
    channel: str
    locale: str
    rate: int | None = attrs.field(converter=_optional_rate)
    grade: Grade | None
    results: tuple[CriterionResult, ...] = attrs.field(converter=_results)
    skipped: tuple[SkippedCriterion, ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every criterion, in order."""
        return tuple(finding for result in self.results for finding in result.findings)

    def result(self, criterion: str) -> CriterionResult | None:
        """Return the result of the criterion with id *criterion*, or ``None``.

        Args:
            criterion: A criterion's id, such as ``"title_length"``.

        Returns:
            Its result, or ``None`` when it was skipped or not applied.
        """
        return next((item for item in self.results if item.criterion == criterion), None)


# ---------------------------------------------------------------------------- subject


@attrs.frozen(weakref_slot=False, eq=False)
class QualitySubject:
    """What a criterion looks at: a product in a channel and locale, its texts resolved.

    [`assess_quality`][ecomkit.catalog.assess_quality] builds one per product and hands it
    to every criterion, so texts are looked up once.

    Attributes:
        product: The product.
        product_type: Its type.
        schema: The catalog schema.
        channel: The channel code.
        locale: The normalized locale.
        values: The product's values, over its group's values for a variant.
        title: The title for the channel and locale, or ``None``.
        description: The description, or ``None`` (also when the type has none).
    """

    product: Product
    product_type: ProductType
    schema: CatalogSchema
    channel: str
    locale: str
    values: Values
    title: str | None
    description: str | None

    @property
    def language(self) -> str:
        """The locale's language (``"de"`` for ``"de_AT"``)."""
        return self.locale.partition("_")[0]

    def get(self, attribute: str) -> Any:
        """Return the value of *attribute* for the subject's channel and locale, or ``None``.

        Args:
            attribute: The attribute's code.

        Returns:
            The value found with locale and channel fallback, or ``None``.
        """
        return self.values.get_value(attribute, channel=self.channel, locale=self.locale)


# ---------------------------------------------------------------------------- criteria


def _criterion_id(self: QualityCriterion) -> str:
    return type(self).default_id


def _check_id(_instance: object, _attribute: object, value: object) -> None:
    check_code(value, field="id")


@attrs.frozen(kw_only=True, weakref_slot=False)
class QualityCriterion(abc.ABC):
    """Base of every quality criterion: an id, a weight and an `assess` method.

    A criterion is a frozen attrs class whose fields are its parameters. Build your own by
    subclassing this one, setting the class attribute ``default_id`` and implementing
    [`assess`][ecomkit.catalog.QualityCriterion.assess]; return
    [`rated`][ecomkit.catalog.QualityCriterion.rated] with your findings, or
    [`skip`][ecomkit.catalog.QualityCriterion.skip] when the criterion does not apply.

    Attributes:
        id: The criterion's id in reports; defaults to the class's ``default_id``. Give
            two criteria of one class different ids to use both.
        weight: Its weight in the overall rate (1 or more).
        default_id: Class attribute: the id used when none is given.

    Examples:
        >>> import attrs
        >>> @attrs.frozen(kw_only=True)
        ... class HasMpn(QualityCriterion):
        ...     default_id = "has_mpn"
        ...     def assess(self, subject):
        ...         if subject.product.mpn is not None:
        ...             return self.rated(())
        ...         return self.rated([Finding("mpn_missing", "add the MPN", "mpn", penalty=100)])
        >>> HasMpn(weight=3).id
        'has_mpn'
    """

    default_id: ClassVar[str] = "criterion"

    id: str = attrs.field(
        default=attrs.Factory(_criterion_id, takes_self=True), validator=_check_id
    )
    weight: int = attrs.field(default=1, converter=_weight)
    _perfect: CriterionResult | None = attrs.field(init=False, default=None, eq=False, repr=False)

    @abc.abstractmethod
    def assess(self, subject: QualitySubject) -> CriterionResult | SkippedCriterion:
        """Rate *subject*, or say why the criterion does not apply to it.

        Args:
            subject: The product in its channel and locale, texts resolved.

        Returns:
            A [`CriterionResult`][ecomkit.catalog.CriterionResult] (see
            [`rated`][ecomkit.catalog.QualityCriterion.rated]) or a
            [`SkippedCriterion`][ecomkit.catalog.SkippedCriterion] (see
            [`skip`][ecomkit.catalog.QualityCriterion.skip]).
        """

    def rated(self, findings: Iterable[Finding]) -> CriterionResult:
        """Return this criterion's result: 100 minus the findings' penalties, at least 0.

        Args:
            findings: What the criterion found; none gives a rate of 100.

        Returns:
            The result, with the criterion's id and weight.
        """
        items = tuple(findings)
        if not items:  # the usual case: one shared result, nothing to allocate
            perfect = self._perfect
            if perfect is None:
                perfect = CriterionResult(self.id, _FULL, self.weight)
                object.__setattr__(self, "_perfect", perfect)
            return perfect
        rate = max(0, _FULL - sum(finding.penalty for finding in items))
        return CriterionResult(self.id, rate, self.weight, items)

    def skip(self, reason: str) -> SkippedCriterion:
        """Return the note that this criterion does not apply, for *reason*.

        Args:
            reason: Why, in a phrase (``"the product has no images"``).

        Returns:
            The note; the criterion is then left out of the overall rate.
        """
        return SkippedCriterion(self.id, reason)
