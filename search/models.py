from django.db import models


class SearchWord(models.Model):
    """A folded word of the catalogue (4+ letters): the vocabulary typo tolerance corrects against.

    "buoii" is no word of any product, so it is read as the catalogue words one edit away ("buoi").
    Filled when products and sellers are saved; ``search_index --rebuild`` rebuilds it. A word left
    behind by a deleted product only costs a correction that matches nothing.
    """

    word = models.CharField(max_length=40, unique=True)
    length = models.PositiveSmallIntegerField(db_index=True)

    class Meta:
        app_label = "search"

    def __str__(self):
        return self.word
