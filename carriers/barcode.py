"""Code 128 (set B) as an SVG, for tracking numbers on labels (no dependency for 40 lines)."""

PATTERNS = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 "
    "113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 "
    "212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 "
    "113123 113321 133121 313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 "
    "241211 221114 413111 241112 134111 111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 "
    "214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 114131 311141 411131 211412 211214 "
    "211232 2331112"
).split()
START_B, STOP = 104, 106


def code128_values(text):
    """The symbol values of ``text`` in set B with its start, check and stop symbols."""
    if not text or any(not 32 <= ord(ch) <= 126 for ch in text):
        raise ValueError("Code 128 B encodes printable ASCII only")
    values = [START_B] + [ord(ch) - 32 for ch in text]
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    return values + [check, STOP]


def code128_modules(text):
    """Bars and spaces as a string of 1 (bar) and 0 (space) modules."""
    modules = []
    for value in code128_values(text):
        for index, width in enumerate(PATTERNS[value]):
            modules.append(("1" if index % 2 == 0 else "0") * int(width))
    return "".join(modules)


def code128_svg(text, *, height=40):
    modules = code128_modules(text)
    quiet = 10
    bars = []
    for run_start, bit in enumerate(modules):
        if bit == "1":
            bars.append(f'<rect x="{quiet + run_start}" y="0" width="1" height="{height}"/>')
    width = len(modules) + 2 * quiet
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
            f'class="barcode" role="img" aria-label="{text}">{"".join(bars)}</svg>')
