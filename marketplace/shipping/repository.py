from oscar.apps.shipping import repository

from .methods import PerSellerShipping


class Repository(repository.Repository):
    methods = (PerSellerShipping(),)
