"""Data quality: each criterion's findings and rates, the weighted rate and the grades."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from ecomkit.catalog import (
    DEFAULT_CRITERIA,
    AltTexts,
    AttributeConsistency,
    AttributeDef,
    BrandName,
    CapitalWords,
    CatalogSchema,
    Channel,
    CriterionResult,
    DescriptionLength,
    Finding,
    Grade,
    Image,
    ImageCount,
    Metric,
    Option,
    Product,
    ProductType,
    QualityCriterion,
    QualityReport,
    SkippedCriterion,
    TitleFormatting,
    TitleLength,
    ValueKey,
    Values,
    assess_quality,
    grade_for,
)
from ecomkit.errors import (
    FloatNotAllowedError,
    InvalidTypeError,
    InvalidValueError,
    UnknownCodeError,
)
from ecomkit.serialization import from_json, to_json


GOOD_TITLE = "Acme men's oxford shirt, navy, slim fit"
GOOD_DESCRIPTION = " ".join(["A soft cotton oxford shirt with a button-down collar."] * 4)


def schema() -> CatalogSchema:
    return CatalogSchema(
        [
            AttributeDef("title", "text", localizable=True),
            AttributeDef("description", "long_text", localizable=True),
            AttributeDef(
                "color",
                "single_select",
                label={"en": "Colour", "de": "Farbe"},
                options=[
                    Option("navy", {"en": "Navy", "de": "Marineblau"}),
                    Option("red", {"en": "Red", "de": "Rot"}),
                    Option("off_white", {"en": "Off-white"}),
                ],
            ),
            AttributeDef("size", "single_select", options=["S", "M", "XL"]),
            AttributeDef("fabrics", "multi_select", options=["cotton", "linen", "wool"]),
            AttributeDef("material", "text", label={"en": "Material"}),
            AttributeDef("width", "metric", unit_family="length", default_unit="cm"),
            AttributeDef("height", "metric", unit_family="length", default_unit="cm"),
            AttributeDef("weight", "metric", unit_family="weight", default_unit="g"),
        ],
        [
            ProductType(
                "shirt",
                [
                    "title",
                    "description",
                    "color",
                    "size",
                    "fabrics",
                    "material",
                    "width",
                    "height",
                    "weight",
                ],
            ),
            ProductType("mug", ["title"], description_attribute=None),
        ],
        [Channel("web", ["en", "de", "de_AT"], ["EUR"])],
    )


SCHEMA = schema()
IMAGES = tuple(Image(f"shirt-{n}.jpg", {"en": f"Shirt, view {n}"}) for n in range(3))


def shirt(
    title: str | None = GOOD_TITLE,
    *,
    description: str | None = GOOD_DESCRIPTION,
    locale: str = "en",
    media: tuple[Image, ...] = IMAGES,
    brand: str | None = "Acme",
    product_type: str = "shirt",
    **values: object,
) -> Product:
    data: dict[ValueKey, object] = {}
    if title is not None:
        data[ValueKey("title", locale=locale)] = title
    if description is not None:
        data[ValueKey("description", locale=locale)] = description
    for code, value in values.items():
        data[ValueKey(code)] = value
    return Product(
        "SHIRT-1",
        product_type,
        values=Values(data),
        media=media,
        brand=brand,
        categories=["shirts"],
    )


def rate(criterion: QualityCriterion, product: Product, locale: str = "en") -> QualityReport:
    return assess_quality(product, SCHEMA, channel="web", locale=locale, criteria=[criterion])


def codes(report: QualityReport) -> list[str]:
    return [finding.code for finding in report.findings]


# ---------------------------------------------------------------------------- grades


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (100, Grade.A),
        (90, Grade.A),
        (89, Grade.B),
        (80, Grade.B),
        (79, Grade.C),
        (70, Grade.C),
        (69, Grade.D),
        (60, Grade.D),
        (59, Grade.E),
        (0, Grade.E),
    ],
)
def test_grades_follow_akeneos_bands(value, grade):
    assert grade_for(value) is grade


@pytest.mark.parametrize("value", [89.5, True, "90", Decimal(90)])
def test_a_grade_needs_an_integer_rate(value):
    with pytest.raises(InvalidTypeError):
        grade_for(value)


@pytest.mark.parametrize("value", [-1, 101])
def test_a_rate_outside_0_to_100_has_no_grade(value):
    with pytest.raises(InvalidValueError, match="rate"):
        grade_for(value)


# ---------------------------------------------------------------------------- title length


def test_a_title_of_recommended_length_scores_full_marks():
    report = rate(TitleLength(), shirt())
    assert report.rate == 100
    assert report.findings == ()


def test_a_missing_title_scores_zero_and_says_what_to_write():
    report = rate(TitleLength(), shirt(None))
    (finding,) = report.findings
    assert report.rate == 0
    assert finding.code == "title_missing"
    assert finding.field == "title"
    assert "1-150 characters" in finding.message


def test_a_short_title_loses_30_points_and_names_the_length_and_threshold():
    report = rate(TitleLength(), shirt("Oxford shirt"))
    (finding,) = report.findings
    assert report.rate == 70
    assert (finding.code, finding.observed, finding.threshold) == ("title_short", "12", "25")
    assert "12 characters" in finding.message


def test_a_title_over_google_limit_scores_zero():
    report = rate(TitleLength(), shirt("x" * 151))
    (finding,) = report.findings
    assert report.rate == 0
    assert (finding.code, finding.observed, finding.threshold) == ("title_too_long", "151", "150")


def test_title_limits_are_parameters():
    strict = TitleLength(maximum=60, recommended_minimum=10, recommended_maximum=40)
    assert codes(rate(strict, shirt("x" * 50))) == ["title_long"]
    assert codes(rate(strict, shirt("x" * 61))) == ["title_too_long"]


def test_title_limits_out_of_order_are_refused():
    with pytest.raises(InvalidValueError, match="minimum <= recommended_minimum"):
        TitleLength(recommended_minimum=200)
    with pytest.raises(InvalidTypeError, match="maximum"):
        TitleLength(maximum="150")


# ---------------------------------------------------------------------------- formatting


def test_a_promotional_phrase_in_the_title_loses_40_points():
    report = rate(TitleFormatting(), shirt("Oxford shirt navy - FREE SHIPPING"))
    (finding,) = report.findings
    assert report.rate == 60
    assert finding.code == "title_promotional"
    assert finding.observed == "FREE SHIPPING"


def test_promotional_phrases_are_per_language():
    # "Rabatt" is a promotion in German only; "sale" means dirty in French, not checked here.
    title = "Oxford shirt navy mit Rabatt"
    assert codes(rate(TitleFormatting(), shirt(title, locale="de"), "de")) == ["title_promotional"]
    assert rate(TitleFormatting(), shirt(title)).findings == ()


def test_a_discount_counts_as_promotion_in_every_language_but_a_percentage_does_not():
    assert codes(rate(TitleFormatting(), shirt("Oxford shirt -30%"))) == ["title_promotional"]
    assert codes(rate(TitleFormatting(), shirt("Oxford shirt 30% off"))) == ["title_promotional"]
    assert rate(TitleFormatting(), shirt("Oxford shirt, 100% cotton")).rate == 100


def test_a_word_that_contains_a_promotional_word_is_not_promotional():
    assert rate(TitleFormatting(), shirt("Wholesale-grade salesman's shirt")).rate == 100


def test_emoji_and_stars_are_gimmicky_but_trade_marks_are_not():
    report = rate(TitleFormatting(), shirt("Oxford shirt ★ navy 🔥"))
    (finding,) = report.findings
    assert (finding.code, finding.observed, report.rate) == ("title_gimmicky_characters", "★🔥", 75)
    assert rate(TitleFormatting(), shirt("Acme® Oxford™ shirt")).rate == 100


def test_extra_gimmicky_symbols_can_be_added():
    criterion = TitleFormatting(extra_symbols="•")
    assert codes(rate(criterion, shirt("Oxford shirt • navy"))) == ["title_gimmicky_characters"]


def test_repeated_punctuation_and_spacing_are_found_and_their_penalties_add_up():
    report = rate(TitleFormatting(), shirt(" Oxford  shirt!!! "))
    assert codes(report) == [
        "title_repeated_punctuation",
        "title_untrimmed",
        "title_double_space",
    ]
    assert report.rate == 100 - 25 - 10 - 10


def test_penalties_never_take_a_rate_below_zero():
    report = rate(TitleFormatting(), shirt(" Sale ★ shirt??  "))
    assert sum(finding.penalty for finding in report.findings) == 110
    assert report.rate == 0


def test_formatting_skips_a_product_without_title():
    report = rate(TitleFormatting(), shirt(None))
    assert report.rate is None
    assert report.skipped == (SkippedCriterion("title_formatting", "the product has no title"),)


def test_promotional_words_must_be_keyed_by_language():
    with pytest.raises(InvalidValueError, match="language code"):
        TitleFormatting(promotional_words={"English": ("sale",)})
    with pytest.raises(InvalidTypeError):
        TitleFormatting(promotional_words=["sale"])


# ---------------------------------------------------------------------------- capitals


def test_acronyms_sizes_and_words_with_digits_are_not_shouting():
    report = rate(CapitalWords(), shirt("Acme USB LED lamp, XL, 4K HDMI H2O"))
    assert report.rate == 100


def test_each_word_in_capitals_costs_15_points():
    report = rate(CapitalWords(), shirt("Acme SUPER soft oxford shirt, GREAT for work"))
    (finding,) = report.findings
    assert report.rate == 70
    assert finding.code == "title_capital_words"
    assert finding.observed == "2"
    assert "SUPER, GREAT" in finding.message


def test_a_title_mostly_in_capitals_scores_zero():
    report = rate(CapitalWords(), shirt("ACME OXFORD SHIRT navy"))
    (finding,) = report.findings
    assert report.rate == 0
    assert (finding.code, finding.observed, finding.threshold) == (
        "title_in_capitals",
        "0.75",
        "0.5",
    )


def test_the_brand_may_be_written_in_capitals():
    assert rate(CapitalWords(), shirt("ASICS Gel running shoe", brand="ASICS")).rate == 100
    assert rate(CapitalWords(), shirt("ASICS Gel running shoe", brand="Acme")).rate == 85


def test_the_description_is_judged_on_its_own():
    report = rate(CapitalWords(), shirt(description=GOOD_DESCRIPTION + " WASH COLD."))
    assert codes(report) == ["description_capital_words"]
    assert report.findings[0].field == "description"


def test_capital_word_thresholds_are_checked():
    with pytest.raises(InvalidValueError, match="maximum_share"):
        CapitalWords(maximum_share="1.5")
    with pytest.raises(FloatNotAllowedError):
        CapitalWords(maximum_share=0.5)


# ---------------------------------------------------------------------------- description


def test_a_long_enough_description_scores_full_marks():
    assert rate(DescriptionLength(), shirt()).rate == 100


def test_a_missing_description_scores_zero():
    report = rate(DescriptionLength(), shirt(description=None))
    assert (report.rate, codes(report)) == (0, ["description_missing"])


def test_a_short_description_loses_points_for_characters_and_for_words():
    report = rate(DescriptionLength(), shirt(description="Soft cotton shirt."))
    assert codes(report) == ["description_short", "description_few_words"]
    assert [(f.observed, f.threshold) for f in report.findings] == [("18", "100"), ("3", "15")]
    assert report.rate == 30


def test_a_type_without_description_attribute_is_skipped_not_scored():
    mug = shirt(description=None, product_type="mug")
    report = rate(DescriptionLength(), mug)
    assert report.results == ()
    assert report.rate is None
    assert report.grade is None
    assert "has no description attribute" in report.skipped[0].reason


# ---------------------------------------------------------------------------- images


@pytest.mark.parametrize(("count", "expected"), [(0, 0), (1, 70), (2, 70), (3, 100), (4, 100)])
def test_image_count_rates_none_few_and_enough(count, expected):
    media = tuple(Image(f"shirt-{n}.jpg") for n in range(count))
    assert rate(ImageCount(), shirt(media=media)).rate == expected


def test_image_limits_are_checked():
    with pytest.raises(InvalidValueError, match="recommended"):
        ImageCount(minimum=3, recommended=2)


def test_each_image_without_alt_text_costs_its_share():
    media = (IMAGES[0], Image("bare.jpg"), IMAGES[2])
    report = rate(AltTexts(), shirt(media=media))
    (finding,) = report.findings
    assert report.rate == 67
    assert finding.field == "media[1].alt"
    assert finding.observed == "bare.jpg"
    assert "image 2 of 3" in finding.message


def test_alt_text_penalties_add_up_to_the_missing_share():
    media = tuple(Image(f"bare-{n}.jpg") for n in range(3))
    report = rate(AltTexts(), shirt(media=media))
    assert [finding.penalty for finding in report.findings] == [33, 33, 34]
    assert report.rate == 0


def test_alt_texts_are_read_in_the_locale_with_fallback():
    media = (Image("a.jpg", {"de": "Hemd von vorn"}),)
    assert rate(AltTexts(), shirt(media=media)).rate == 0
    assert rate(AltTexts(), shirt(media=media), "de").rate == 100
    assert rate(AltTexts(), shirt(media=media), "de_AT").rate == 100


def test_alt_texts_are_skipped_without_images():
    report = rate(AltTexts(), shirt(media=()))
    assert report.skipped == (SkippedCriterion("alt_texts", "the product has no images"),)


# ---------------------------------------------------------------------------- brand


@pytest.mark.parametrize("brand", ["N/A", " generic ", "No Brand"])
def test_a_placeholder_brand_scores_zero(brand):
    report = rate(BrandName(), shirt(brand=brand))
    assert (report.rate, codes(report)) == (0, ["brand_placeholder"])


def test_a_real_brand_scores_full_marks_and_no_brand_is_skipped():
    assert rate(BrandName(), shirt(brand="Acme")).rate == 100
    assert rate(BrandName(), shirt(brand=None)).skipped[0].criterion == "brand_name"


# ---------------------------------------------------------------------------- consistency


def test_a_title_naming_another_colour_than_the_value_is_inconsistent():
    report = rate(AttributeConsistency(), shirt("Acme oxford shirt, red", color="navy"))
    (finding,) = report.findings
    assert report.rate == 60
    assert (finding.code, finding.field) == ("title_contradicts_value", "color")
    assert (finding.observed, finding.threshold) == ("red", "Navy")
    assert "Colour is 'Navy'" in finding.message


def test_a_title_naming_the_products_own_colour_is_consistent():
    assert rate(AttributeConsistency(), shirt("Acme oxford shirt, NAVY", color="navy")).rate == 100


def test_option_labels_are_matched_in_the_locale():
    german = shirt("Acme Oxfordhemd, rot", locale="de", color="navy")
    assert codes(rate(AttributeConsistency(), german, "de")) == ["title_contradicts_value"]
    assert (
        rate(
            AttributeConsistency(),
            shirt("Acme Oxfordhemd, marineblau", locale="de", color="navy"),
            "de",
        ).rate
        == 100
    )


def test_option_codes_match_with_spaces_for_underscores():
    report = rate(AttributeConsistency(), shirt("Oxford shirt off white", color="navy"))
    assert codes(report) == ["title_contradicts_value"]


def test_single_letter_sizes_are_not_looked_for_in_titles():
    report = rate(AttributeConsistency(), shirt("Men's oxford shirt in M", size="XL"))
    assert report.findings == ()


def test_a_multi_select_is_inconsistent_only_when_the_title_names_none_of_its_values():
    both = ("cotton", "linen")
    assert rate(AttributeConsistency(), shirt("Linen shirt", fabrics=both)).rate == 100
    assert codes(rate(AttributeConsistency(), shirt("Wool shirt", fabrics=both))) == [
        "title_contradicts_value"
    ]


def test_a_text_value_that_is_only_a_number_is_flagged():
    report = rate(AttributeConsistency(), shirt(material="42"))
    (finding,) = report.findings
    assert (finding.code, finding.field, finding.observed) == ("text_is_a_number", "material", "42")
    assert rate(AttributeConsistency(), shirt(material="100% cotton")).rate == 100


def test_dimensions_in_several_units_are_flagged_once_per_family():
    product = shirt(width=Metric("10", "cm"), height=Metric("4", "in"), weight=Metric("1", "kg"))
    report = rate(AttributeConsistency(), product)
    (finding,) = report.findings
    assert (finding.code, finding.field, finding.observed) == (
        "mixed_units",
        "height, width",
        "cm, in",
    )
    assert report.rate == 80
    same = shirt(width=Metric("10", "cm"), height=Metric("4", "cm"), weight=Metric("1", "kg"))
    assert rate(AttributeConsistency(), same).rate == 100


def test_consistency_checks_can_be_turned_off():
    product = shirt("Acme oxford shirt, red", color="navy", material="42")
    quiet = AttributeConsistency(title_options=False, numeric_text=False)
    assert rate(quiet, product).skipped[0].criterion == "attribute_consistency"
    with pytest.raises(InvalidTypeError, match="mixed_units"):
        AttributeConsistency(mixed_units="yes")


# ---------------------------------------------------------------------------- the whole


def test_the_overall_rate_is_the_weighted_mean_rounded_down():
    criteria = [TitleLength(weight=3), ImageCount(weight=1)]
    report = assess_quality(
        shirt("Oxford shirt", media=()), SCHEMA, channel="web", locale="en", criteria=criteria
    )
    assert [(r.criterion, r.rate, r.weight) for r in report.results] == [
        ("title_length", 70, 3),
        ("image_count", 0, 1),
    ]
    assert report.rate == (70 * 3 + 0 * 1) // 4 == 52
    assert report.grade is Grade.E


def test_criteria_that_do_not_apply_are_left_out_of_the_weighting():
    mug = shirt(description=None, product_type="mug", brand=None)
    criteria = [DescriptionLength(weight=5), BrandName(weight=5), ImageCount()]
    report = assess_quality(mug, SCHEMA, channel="web", locale="en", criteria=criteria)
    assert report.rate == 100
    assert [item.criterion for item in report.skipped] == ["description_length", "brand_name"]


def test_a_good_product_gets_an_a_with_the_default_criteria():
    report = assess_quality(shirt(color="navy"), SCHEMA, channel="web", locale="en")
    assert report.findings == ()
    assert (report.rate, report.grade) == (100, Grade.A)
    assert len(report.results) + len(report.skipped) == len(DEFAULT_CRITERIA)


def test_a_variant_reads_its_groups_values_under_its_own():
    @attrs.frozen
    class Group:
        values: Values

    group = Group(Values({ValueKey("title", locale="en"): GOOD_TITLE, ValueKey("color"): "red"}))
    variant = shirt(None, description=None, color="navy")
    report = assess_quality(
        variant,
        SCHEMA,
        channel="web",
        locale="en",
        criteria=[TitleLength(), AttributeConsistency()],
        group=group,
    )
    assert report.rate == 100  # the group's title names navy, the variant's own colour
    alone = assess_quality(variant, SCHEMA, channel="web", locale="en", criteria=[TitleLength()])
    assert codes(alone) == ["title_missing"]
    with pytest.raises(InvalidTypeError, match="group"):
        assess_quality(variant, SCHEMA, channel="web", locale="en", group=object())


def test_a_host_can_add_its_own_criterion():
    @attrs.frozen(kw_only=True)
    class HasGtin(QualityCriterion):
        default_id = "has_gtin"

        def assess(self, subject):
            if subject.product.gtin is not None:
                return self.rated(())
            return self.rated([Finding("gtin_missing", "add the GTIN", "gtin", penalty=100)])

    report = assess_quality(
        shirt(),
        SCHEMA,
        channel="web",
        locale="en",
        criteria=[HasGtin(weight=2), TitleLength(weight=1)],
    )
    assert [(r.criterion, r.rate) for r in report.results] == [
        ("has_gtin", 0),
        ("title_length", 100),
    ]
    assert report.rate == (0 * 2 + 100 * 1) // 3 == 33
    assert report.result("has_gtin").findings[0].code == "gtin_missing"


def test_a_criterion_returning_something_else_is_refused():
    @attrs.frozen(kw_only=True)
    class Broken(QualityCriterion):
        default_id = "broken"

        def assess(self, _subject):
            return 100

    with pytest.raises(InvalidTypeError, match="broken"):
        assess_quality(shirt(), SCHEMA, channel="web", locale="en", criteria=[Broken()])


def test_two_criteria_of_one_class_need_their_own_ids():
    with pytest.raises(InvalidValueError, match="two criteria"):
        assess_quality(
            shirt(), SCHEMA, channel="web", locale="en", criteria=[TitleLength(), TitleLength()]
        )
    criteria = [TitleLength(), TitleLength(id="short_title", maximum=60, recommended_maximum=40)]
    report = assess_quality(shirt(), SCHEMA, channel="web", locale="en", criteria=criteria)
    assert [r.criterion for r in report.results] == ["title_length", "short_title"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"channel": "shop"}, UnknownCodeError, "channel"),
        ({"locale": "fr"}, InvalidValueError, "not a locale of the channel"),
        ({"criteria": "title_length"}, InvalidTypeError, "criteria"),
        ({"criteria": [TitleLength, "x"]}, InvalidTypeError, "criteria"),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, match):
    arguments = {"channel": "web", "locale": "en"} | kwargs
    with pytest.raises(error, match=match):
        assess_quality(shirt(), SCHEMA, **arguments)


def test_a_product_of_an_unknown_type_or_not_a_product_is_refused():
    with pytest.raises(UnknownCodeError, match="product type"):
        assess_quality(shirt(product_type="sofa"), SCHEMA, channel="web", locale="en")
    with pytest.raises(InvalidTypeError, match="product"):
        assess_quality("SHIRT-1", SCHEMA, channel="web", locale="en")


def test_a_title_that_is_not_text_is_refused():
    odd = CatalogSchema(
        [AttributeDef("title", "number")],
        [ProductType("odd", ["title"], description_attribute=None)],
        [Channel("web", ["en"], ["EUR"])],
    )
    product = Product("ODD-1", "odd", values=Values({ValueKey("title"): Decimal(7)}))
    with pytest.raises(InvalidTypeError, match="title"):
        assess_quality(product, odd, channel="web", locale="en")


@pytest.mark.parametrize("weight", [0, -1, 1.5])
def test_a_weight_must_be_a_positive_integer(weight):
    with pytest.raises((InvalidTypeError, InvalidValueError), match="weight"):
        TitleLength(weight=weight)


# ---------------------------------------------------------------------------- serialization


@pytest.mark.parametrize(
    "criterion",
    [
        *DEFAULT_CRITERIA,
        TitleFormatting(promotional_words={"en": ("sale",)}, extra_symbols="•"),
        CapitalWords(maximum_share="0.25", allowed=("NASA",), weight=3),
        BrandName(placeholders=("n/a", "tbd")),
    ],
    ids=lambda criterion: criterion.id,
)
def test_every_criterion_round_trips_through_json(criterion):
    assert from_json(to_json(criterion), type(criterion)) == criterion


def test_a_criterion_read_from_json_behaves_like_the_original():
    criterion = TitleFormatting(promotional_words={"en": ("great deal",)})
    copy = from_json(to_json(criterion), TitleFormatting)
    product = shirt("Oxford shirt, a great   deal")
    assert codes(rate(copy, product)) == codes(rate(criterion, product))
    assert "title_promotional" in codes(rate(copy, product))


def test_a_report_round_trips_through_json():
    report = assess_quality(
        shirt(" Oxford shirt!!", media=(Image("a.jpg"),), brand="N/A", color="red"),
        SCHEMA,
        channel="web",
        locale="en",
    )
    assert report.findings
    assert report.skipped == ()
    assert from_json(to_json(report), QualityReport) == report


def test_results_refuse_rates_outside_0_to_100_and_values_of_the_wrong_type():
    with pytest.raises(InvalidValueError, match="rate"):
        CriterionResult("x", 101, 1)
    with pytest.raises(InvalidValueError, match="penalty"):
        Finding("x", "m", "f", penalty=120)
    with pytest.raises(InvalidTypeError, match="code"):
        Finding(1, "m", "f")
    with pytest.raises(InvalidTypeError, match="findings"):
        CriterionResult("x", 50, 1, ["not a finding"])


def test_a_criterion_id_must_be_a_code():
    with pytest.raises(InvalidValueError, match="id"):
        TitleLength(id="title length")


def test_a_list_of_mixed_criteria_round_trips_through_json():
    criteria = list(DEFAULT_CRITERIA)
    assert from_json(to_json(criteria), list[QualityCriterion]) == criteria
