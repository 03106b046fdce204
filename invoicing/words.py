"""Vietnamese amount in words for ``TgTTTBChu`` (spec §5, the product convention).

Why our own converter: num2words 0.5.14 (``lang="vi"``) reads 1.050 as "một nghìn lẻ năm mươi" and
drops "không trăm" inside numbers (spec §5.4). The convention here: "linh" (not "lẻ"), "nghìn",
"tỷ", "lăm", "bốn" after "mươi", "mốt" after "mươi", a full "không trăm" in every non-leading non-zero
group, "Âm" for negative adjustments, " đồng" at the end and no "chẵn".
"""
DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu")


def _group(number, *, leading):
    """Read 0–999; a non-leading group reads all three places ("không trăm linh năm")."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(DIGITS[units])
        return words
    words.append("mười" if tens == 1 else f"{DIGITS[tens]} mươi")
    if units == 1:
        words.append("một" if tens == 1 else "mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _below_billion(number, *, leading):
    """Read 0–999 999 999 by groups of three; zero groups are skipped entirely."""
    groups = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words = []
    for scale in range(len(groups) - 1, -1, -1):
        group = groups[scale]
        if not group:
            continue
        words += _group(group, leading=leading and not words)
        if SCALES[scale]:
            words.append(SCALES[scale])
    return words


def _read(number, *, leading=True):
    """Above 10⁹ the part before "tỷ" is read recursively (10¹² = "một nghìn tỷ")."""
    billions, rest = divmod(number, 1_000_000_000)
    words = []
    if billions:
        words += _read(billions, leading=leading) + ["tỷ"]
    words += _below_billion(rest, leading=leading and not words)
    return words


def amount_in_words(amount):
    """Integer đồng → "Một triệu không trăm linh năm nghìn đồng"; 0 → "Không đồng"; −x → "Âm …"."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amount_in_words takes an integer number of đồng")
    if amount == 0:
        return "Không đồng"
    text = " ".join(_read(abs(amount))) + " đồng"
    if amount < 0:
        text = "âm " + text
    return text[0].upper() + text[1:]
