"""Vietnamese text folding shared by search, imports and lookups.

Shoppers and spreadsheets write "keo cu do", "Kẹo cu đơ" and "KẸO CU ĐƠ" for the same thing. Unicode
decomposition strips the tone and vowel marks but not đ, which is a letter of its own, so it is mapped
explicitly.
"""
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[a-z0-9]+")
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text):
    """Lower-case, diacritic-free, single-spaced form of ``text``."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text)).translate(_D_MAP)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def fold_words(text):
    """The folded words of ``text`` joined by single spaces, punctuation dropped.

    "Kẹo cu đơ Hà Tĩnh – Nguyễn Hằng" becomes "keo cu do ha tinh nguyen hang": the form queries are
    read in (``search.backends.query_words``), so a query can be compared with a whole name.
    """
    return " ".join(_WORDS.findall(fold(text)))
