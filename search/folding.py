"""Vietnamese text folding shared by search, imports and lookups.

Shoppers and spreadsheets write "keo cu do", "Kẹo cu đơ" and "KẸO CU ĐƠ" for the same thing. Unicode
decomposition strips the tone and vowel marks but not đ, which is a letter of its own, so it is mapped
explicitly.
"""
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text):
    """Lower-case, diacritic-free, single-spaced form of ``text``."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text)).translate(_D_MAP)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()
