"""Money: exact amounts in ISO 4217 currencies, rounding, allocation, tax and formatting.

- [`Currency`][ecomkit.Currency] comes from the ISO 4217 table shipped with ecomkit, so minor
  units are ISO's (IQD 3, JPY 0, CLF 4), not CLDR's display digits.
- [`Money`][ecomkit.Money] is a frozen, hashable ``Decimal`` amount; floats are refused and
  every rounding names its mode ([`Rounding`][ecomkit.Rounding]).
- [`allocate`][ecomkit.money.allocate] and [`split`][ecomkit.money.split] never lose or
  invent a minor unit, and say who gets the leftovers
  ([`AllocationStrategy`][ecomkit.AllocationStrategy]).
- [`TaxedMoney`][ecomkit.TaxedMoney] keeps net, gross and tax consistent;
  [`MoneyRange`][ecomkit.MoneyRange] is a closed price range.
- [`format_money`][ecomkit.money.format_money] formats for any CLDR locale through babel.

Examples:
    >>> from ecomkit.money import Money, allocate
    >>> [str(part) for part in allocate(Money("100.00", "EUR"), [1, 1, 1])]
    ['33.34 EUR', '33.33 EUR', '33.33 EUR']
"""

from ecomkit.money._allocation import AllocationStrategy, allocate, split
from ecomkit.money._amount import Number, Rounding
from ecomkit.money._currency import Currency
from ecomkit.money._format import format_money
from ecomkit.money._money import Money
from ecomkit.money._ops import convert, sum_money
from ecomkit.money._taxed import MoneyRange, TaxedMoney


__all__ = [
    "AllocationStrategy",
    "Currency",
    "Money",
    "MoneyRange",
    "Number",
    "Rounding",
    "TaxedMoney",
    "allocate",
    "convert",
    "format_money",
    "split",
    "sum_money",
]
