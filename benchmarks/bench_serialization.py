"""JSON bytes to a typed order-like aggregate and back: ecomkit vs pydantic v2 and msgspec.

Each library gets the same documents (an order with 1 to 5 lines, money as
``{"amount": "12.30", "currency": "EUR"}``, an aware timestamp, an enum status) and builds
its own typed model with validation on: unknown keys refused, aware datetimes required,
amounts as exact decimals, currency codes checked against ISO 4217, quantities as integers.
Decoding is bytes -> typed objects; encoding is typed objects -> bytes.

Run: ``python benchmarks/bench_serialization.py`` (100,000 documents) or ``--quick``.
"""

import datetime as dt
import enum
import json
import random
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

import attrs
import pendulum

from _harness import (
    Timing,
    format_ops,
    format_ratio,
    machine_summary,
    measure,
    print_table,
    quick_parser,
    ratio,
)
from ecomkit import Currency, Money
from ecomkit.serialization import from_json, make_converter, to_json


ISO_CODES = frozenset(currency.code for currency in Currency.all())


class Status(enum.StrEnum):
    PLACED = "placed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"


# ------------------------------------------------------------------ ecomkit models


@attrs.frozen
class Line:
    sku: str
    quantity: int
    unit_price: Money
    discount: Money


@attrs.frozen
class Order:
    id: str
    customer_id: str
    status: Status
    placed_at: pendulum.DateTime
    lines: list[Line]
    shipping: Money


# ------------------------------------------------------------------ documents


def make_documents(count: int, *, seed: int = 7) -> list[bytes]:
    """Return *count* JSON documents with 1 to 5 lines each."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    documents = []
    for index in range(count):
        currency = rng.choice(("EUR", "PLN", "USD", "JPY", "KWD"))
        digits = Currency(currency).minor_units or 0

        def amount(low: int, high: int, digits: int = digits) -> str:
            return str(Decimal(rng.randint(low, high)).scaleb(-digits))

        def money(low: int, high: int, currency: str = currency) -> dict[str, str]:
            return {"amount": amount(low, high), "currency": currency}

        placed = start + dt.timedelta(seconds=rng.randint(0, 365 * 86400))
        document = {
            "id": f"ORD-{index:07d}",
            "customer_id": f"C-{rng.randint(1, 50_000):06d}",
            "status": rng.choice([status.value for status in Status]),
            "placed_at": placed.astimezone(dt.timezone(dt.timedelta(hours=1))).isoformat(),
            "lines": [
                {
                    "sku": f"SKU-{rng.randint(1, 9999):04d}",
                    "quantity": rng.randint(1, 4),
                    "unit_price": money(100, 50_000),
                    "discount": money(0, 99),
                }
                for _ in range(rng.randint(1, 5))
            ],
            "shipping": money(0, 1500),
        }
        documents.append(json.dumps(document).encode())
    return documents


# ------------------------------------------------------------------ peers


def pydantic_codec() -> tuple[Callable[[bytes], Any], Callable[[Any], bytes]] | None:
    """Build pydantic v2 models equivalent to the ecomkit ones."""
    try:
        import pydantic  # noqa: PLC0415 - optional peer
    except ImportError:
        return None

    strict = pydantic.ConfigDict(extra="forbid")

    class PMoney(pydantic.BaseModel):
        model_config = strict
        amount: Annotated[Decimal, pydantic.Field(allow_inf_nan=False)]
        currency: str

        @pydantic.field_validator("currency")
        @classmethod
        def _iso(cls, value: str) -> str:
            code = value.upper()
            if code not in ISO_CODES:
                msg = "not an ISO 4217 code"
                raise ValueError(msg)
            return code

    class PLine(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(extra="forbid", strict=False)
        sku: pydantic.StrictStr
        quantity: pydantic.StrictInt
        unit_price: PMoney
        discount: PMoney

    class POrder(pydantic.BaseModel):
        model_config = strict
        id: pydantic.StrictStr
        customer_id: pydantic.StrictStr
        status: Status
        placed_at: pydantic.AwareDatetime
        lines: list[PLine]
        shipping: PMoney

    return POrder.model_validate_json, lambda order: order.model_dump_json().encode()


def msgspec_codec() -> tuple[Callable[[bytes], Any], Callable[[Any], bytes]] | None:
    """Build msgspec structs equivalent to the ecomkit ones."""
    try:
        import msgspec  # noqa: PLC0415 - optional peer
    except ImportError:
        return None

    class MMoney(msgspec.Struct, forbid_unknown_fields=True):
        amount: Decimal
        currency: str

        def __post_init__(self) -> None:
            if not self.amount.is_finite():
                msg = "amount must be finite"
                raise ValueError(msg)
            if self.currency.upper() not in ISO_CODES:
                msg = "not an ISO 4217 code"
                raise ValueError(msg)

    class MLine(msgspec.Struct, forbid_unknown_fields=True):
        sku: str
        quantity: int
        unit_price: MMoney
        discount: MMoney

    class MOrder(msgspec.Struct, forbid_unknown_fields=True):
        id: str
        customer_id: str
        status: Status
        placed_at: Annotated[dt.datetime, msgspec.Meta(tz=True)]
        lines: list[MLine]
        shipping: MMoney

    decoder = msgspec.json.Decoder(MOrder)
    encoder = msgspec.json.Encoder()
    return decoder.decode, encoder.encode


def ecomkit_codec() -> tuple[Callable[[bytes], Any], Callable[[Any], bytes]]:
    """Decode and encode with ecomkit's converter."""
    converter = make_converter()

    def decode(data: bytes) -> Order:
        return from_json(data, Order, converter=converter)

    def encode(order: Order) -> bytes:
        return to_json(order, converter=converter).encode()

    return decode, encode


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print throughput and ratios."""
    parser = quick_parser(__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    args = parser.parse_args(argv)
    count = 200 if args.quick else args.documents
    repeat = 1 if args.quick else 3
    documents = make_documents(count)

    codecs: dict[str, tuple[Callable[[bytes], Any], Callable[[Any], bytes]] | None] = {
        "ecomkit": ecomkit_codec(),
        "pydantic v2": pydantic_codec(),
        "msgspec": msgspec_codec(),
    }
    decoded_by: dict[str, list[Any]] = {}
    decode_timing: dict[str, Timing | None] = {}
    encode_timing: dict[str, Timing | None] = {}
    for name, codec in codecs.items():
        if codec is None:
            decode_timing[name] = encode_timing[name] = None
            continue
        decode, encode = codec
        decoded_by[name] = [decode(document) for document in documents]
        objects = decoded_by[name]
        decode_timing[name] = measure(
            lambda decode=decode: [decode(document) for document in documents],
            repeat=repeat,
            number=1,
        )
        encode_timing[name] = measure(
            lambda encode=encode, objects=objects: [encode(obj) for obj in objects],
            repeat=repeat,
            number=1,
        )

    _check_same_result(decoded_by)
    print(f"JSON <-> order-like aggregate, {count:,} documents, 1-5 lines each")
    print(machine_summary())
    print("documents per second (best / median of repeats); ratio = ecomkit / peer, >1 = faster")
    ours = "ecomkit"
    rows = [
        [
            name,
            format_ops(_per_document(decode_timing[name], count)),
            format_ratio(ratio(decode_timing[ours], decode_timing[name])),
            format_ops(_per_document(encode_timing[name], count)),
            format_ratio(ratio(encode_timing[ours], encode_timing[name])),
        ]
        for name in codecs
    ]
    print_table(
        ["library", "decode docs/s", "ecomkit ratio", "encode docs/s", "ecomkit ratio"], rows
    )
    return 0


def _per_document(timing: Timing | None, count: int) -> Timing | None:
    if timing is None:
        return None
    return Timing(timing.best * count, timing.median * count, timing.number, timing.repeat)


def _check_same_result(decoded_by: dict[str, list[Any]]) -> None:
    """Make sure every library decoded the same totals, so the race is a fair one."""
    totals = {}
    for name, orders in decoded_by.items():
        total = Decimal(0)
        for order in orders:
            for line in order.lines:
                price = line.unit_price.amount
                total += price * line.quantity
        totals[name] = total
    if len(set(totals.values())) != 1:
        msg = f"libraries disagree on the decoded data: {totals}"
        raise SystemExit(msg)


if __name__ == "__main__":
    sys.exit(main())
