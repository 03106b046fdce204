"""The catalogue's vocabulary and one-edit corrections of query words against it."""
import re

from django.db import connection
from django.db.models import Count, Q

from .backends.base import TYPO_MIN_LENGTH
from .folding import fold
from .models import SearchWord

_LETTERS = re.compile(r"[a-z]{4,40}")


def words_of(text):
    return set(_LETTERS.findall(fold(text)))


def lexicon_add(*texts):
    """Record the words of ``texts`` (one INSERT, known words ignored)."""
    words = set()
    for text in texts:
        words |= words_of(text)
    if words:
        SearchWord.objects.bulk_create([SearchWord(word=w, length=len(w)) for w in sorted(words)],
                                       ignore_conflicts=True, batch_size=1000)


def lexicon_rebuild(texts):
    SearchWord.objects.all().delete()
    words = set()
    for text in texts:
        words |= words_of(text)
    SearchWord.objects.bulk_create([SearchWord(word=w, length=len(w)) for w in sorted(words)], batch_size=2000)
    return len(words)


def one_edit_apart(a, b):
    """True when ``b`` is ``a`` with one letter inserted, deleted or replaced (Levenshtein distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


def corrections(words):
    """{word: [catalogue words one edit away]} for query words of 5+ letters that no catalogue word starts with.

    A word some catalogue word starts with is left alone (the shopper may still be typing it). On
    PostgreSQL the candidates come from pg_trgm's similarity; the edit distance is then checked exactly.
    """
    long_words = sorted({w for w in words if len(w) >= TYPO_MIN_LENGTH and w.isalpha()})
    if not long_words:
        return {}
    known = SearchWord.objects.aggregate(**{
        f"w{i}": Count("pk", filter=Q(word__startswith=w)) for i, w in enumerate(long_words)})
    unknown = [w for i, w in enumerate(long_words) if not known[f"w{i}"]]
    if not unknown:
        return {}
    condition = Q()
    for word in unknown:
        near = Q(length__gte=len(word) - 1, length__lte=len(word) + 1)
        if connection.vendor == "postgresql":  # pg_trgm's % operator (django.contrib.postgres is installed there)
            near &= Q(word__trigram_similar=word)
        condition |= near
    candidates = list(SearchWord.objects.filter(condition).values_list("word", flat=True)[:5000])
    found = {}
    for word in unknown:
        near = sorted(c for c in candidates if one_edit_apart(word, c))
        if near:
            found[word] = near[:5]
    return found
