"""Hà Tĩnh's administrative units.

Vietnam abolished the district level on 1 July 2025: addresses are province → commune/ward (69 units).
The 13 former districts stay as a reporting dimension because the province's statistics count by
them, and the pre-2025 communes are kept so that certificates and spreadsheets that name an old
commune still resolve to today's unit.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from search.folding import fold


class FormerDistrict(models.Model):
    """One of the 13 district-level units that existed until 30/06/2025."""

    code = models.CharField(_("GSO code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=64)
    unit_type = models.CharField(_("unit type"), max_length=16)
    slug = models.SlugField(max_length=64, unique=True)
    #: 2025-01-01 for Lộc Hà (merged into Thạch Hà); empty for the others, which lasted until 2025-07-01.
    merged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("former district")
        verbose_name_plural = _("former districts")

    def __str__(self):
        return self.name

    @property
    def short_name(self):
        """'Huyện Hương Sơn' → 'Hương Sơn', 'Thị xã Kỳ Anh' → 'TX Kỳ Anh' (Kỳ Anh was both a district and a town)."""
        for prefix, short in (("Thành phố ", "TP "), ("Thị xã ", "TX "), ("Huyện ", "")):
            if self.name.startswith(prefix):
                return short + self.name[len(prefix):]
        return self.name


class Commune(models.Model):
    """A commune or ward valid since 01/07/2025 (60 xã + 9 phường)."""

    code = models.CharField(_("GSO code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=64)
    unit_type = models.CharField(_("unit type"), max_length=16)
    #: The former district that contributed most of the unit's predecessor communes (reporting only).
    former_district = models.ForeignKey(
        FormerDistrict, on_delete=models.PROTECT, related_name="communes", verbose_name=_("former district")
    )
    folded_name = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.folded_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def short_name(self):
        for prefix in ("Phường ", "Xã "):
            if self.name.startswith(prefix):
                return self.name[len(prefix):]
        return self.name


class OldCommune(models.Model):
    """A commune of the GSO list of 01/01/2025, with the unit it went into."""

    code = models.CharField(_("GSO code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=64)
    unit_type = models.CharField(_("unit type"), max_length=16)
    former_district = models.ForeignKey(FormerDistrict, on_delete=models.PROTECT, related_name="old_communes")
    #: Empty where the sources do not state a successor.
    successor = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="predecessors")
    folded_name = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("commune before 2025")
        verbose_name_plural = _("communes before 2025")

    def __str__(self):
        return f"{self.name} ({self.former_district.short_name})"

    def save(self, *args, **kwargs):
        self.folded_name = fold(self.name)
        super().save(*args, **kwargs)


class Province(models.Model):
    """One of the 34 provinces and centrally-run cities in force since 01/07/2025 (GSO code, e.g. "42")."""

    code = models.CharField(_("GSO code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    unit_type = models.CharField(_("unit type"), max_length=32)
    #: Folded name without "Thành phố": the pickers list "Hà Nội" next to "Hà Tĩnh", as shoppers expect.
    sort_key = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("province or city")
        verbose_name_plural = _("provinces and cities")

    def __str__(self):
        return self.name


class Ward(models.Model):
    """A ward (phường), commune (xã) or special zone (đặc khu) of the whole country since 01/07/2025.

    Codes stay when names change; orders keep both the code and the name the shopper chose."""

    code = models.CharField(_("GSO code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    unit_type = models.CharField(_("unit type"), max_length=32)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="wards",
                                 verbose_name=_("province or city"))
    sort_key = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        ordering = ["province", "sort_key"]
        verbose_name = _("ward or commune")
        verbose_name_plural = _("wards and communes")

    def __str__(self):
        return self.name
