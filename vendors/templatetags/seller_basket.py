from django import template

from vendors.basket import basket_overview

register = template.Library()


@register.simple_tag
def seller_basket(basket, formset=None):
    """The basket grouped by seller (``vendors.basket``), each line paired with its form of the basket page."""
    overview = basket_overview(basket)
    if formset is not None:
        forms = {form.instance.pk: form for form in formset}
        for group in overview.groups:
            for entry in group.lines:
                entry.form = forms.get(entry.line.pk)
    return overview
