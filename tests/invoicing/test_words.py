"""Amount in words: the spec's product convention (§5.2), including the numbers num2words gets wrong."""
import pytest

from invoicing.words import amount_in_words

SPEC_EXAMPLES = [
    (0, "Không đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi bốn đồng"),
    (25, "Hai mươi lăm đồng"),
    (31, "Ba mươi mốt đồng"),
    (101, "Một trăm linh một đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (115, "Một trăm mười lăm đồng"),
    (1_000, "Một nghìn đồng"),
    (1_001, "Một nghìn không trăm linh một đồng"),
    (1_010, "Một nghìn không trăm mười đồng"),
    (1_050, "Một nghìn không trăm năm mươi đồng"),
    (2_024, "Hai nghìn không trăm hai mươi bốn đồng"),
    (10_005, "Mười nghìn không trăm linh năm đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_000_001, "Một triệu không trăm linh một đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (1_492_500, "Một triệu bốn trăm chín mươi hai nghìn năm trăm đồng"),
    (5_056_000, "Năm triệu không trăm năm mươi sáu nghìn đồng"),
    (10_500_000, "Mười triệu năm trăm nghìn đồng"),
    (1_234_567_890,
     "Một tỷ hai trăm ba mươi bốn triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi đồng"),
    (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (-33_000_000, "Âm ba mươi ba triệu đồng"),
    (-470_250, "Âm bốn trăm bảy mươi nghìn hai trăm năm mươi đồng"),  # §4.4 adjustment
]


@pytest.mark.parametrize(("amount", "expected"), SPEC_EXAMPLES)
def test_spec_examples(amount, expected):
    assert amount_in_words(amount) == expected


def test_product_convention_never_uses_variants():
    text = " ".join(amount_in_words(n) for n in range(0, 3000, 7)).lower()
    for variant in (" lẻ ", "ngàn", "nhăm", " tư ", " tỉ", "chẵn"):
        assert variant not in text
    assert not amount_in_words(1_995_105).endswith(".")


def test_one_quadrillion_is_read_recursively():
    assert amount_in_words(10**15) == "Một triệu tỷ đồng"
    assert amount_in_words(2_000_050_000_000) == "Hai nghìn tỷ không trăm năm mươi triệu đồng"


def test_stays_under_255_characters_for_15_digits():
    assert len(amount_in_words(777_777_777_777_777)) <= 255


@pytest.mark.parametrize("bad", [1.5, "1000", None, True])
def test_refuses_non_integers(bad):
    with pytest.raises(TypeError):
        amount_in_words(bad)
