"""Oscar class loader that keeps haystack out of the process.

Oscar's default loader imports ``oscar.apps.<module>`` before the local override, so
``get_class("search.views", ...)`` (called by the catalogue app at start-up) would import
``oscar.apps.search.views`` and with it haystack, even though our own ``search`` app replaces it.

It also serves ``offer.applicator`` from ``marketplace.offers`` (discounts in whole đồng).
"""
from oscar.core.loading import _import_module, _pluck_classes, default_class_loader


#: Oscar modules replaced by one of ours without forking the whole app (no models involved).
REPLACED = {"offer.applicator": "marketplace.offers"}


def class_loader(module_label, classnames, module_prefix):
    if module_label in REPLACED:
        local = _import_module(REPLACED[module_label], classnames)
        return _pluck_classes([local], classnames)
    if module_label == "search" or module_label.startswith("search."):
        local = _import_module(module_label, classnames)
        return _pluck_classes([local], classnames)
    return default_class_loader(module_label, classnames, module_prefix)
