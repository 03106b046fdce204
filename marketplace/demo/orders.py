"""A few cash-on-delivery orders for the demo seller, so its workspace shows orders, stock and money."""
from django.contrib.auth import get_user_model
from oscar.core.loading import get_class, get_model

from marketplace.order import statuses
from payments.models import Payment
from payments.services import payment_create_for_order
from vendors.models import Fulfilment
from vendors.services import fulfilment_set_status

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
Selector = get_class("partner.strategy", "Selector")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
OrderCreator = get_class("order.utils", "OrderCreator")

SHOPPER = ("khachhang@ocop-hatinh.local", "Khách hàng (demo)")
#: (quantity, how far the seller got). Not shipped: shipping consumes stock, and re-running the demo
#: (which sets stock from its rows) must change nothing.
ORDERS = [(2, Fulfilment.CONFIRMED), (1, Fulfilment.CONFIRMED), (3, Fulfilment.NEW)]


def load_orders(vendor):
    """Idempotent: does nothing once the demo shopper has orders."""
    User = get_user_model()
    shopper, _ = User.objects.get_or_create(email=SHOPPER[0], defaults={"username": "khachhang",
                                                                        "first_name": SHOPPER[1]})
    if shopper.orders.exists():
        return 0
    products = [sr.product for sr in vendor.partner.stockrecords.select_related("product").order_by("pk")
                if sr.num_in_stock - (sr.num_allocated or 0) >= 5][:3]
    created = 0
    if not products:
        return 0
    for index, (quantity, target) in enumerate(ORDERS):
        product = products[index % len(products)]
        basket = Basket.objects.create(owner=shopper)
        basket.strategy = Selector().strategy(user=shopper)
        basket.add_product(product, quantity)
        address = ShippingAddress.objects.create(first_name="Lan", last_name="Nguyễn", line1="12 Trần Phú",
                                  line4="Phường Thành Sen", country=Country.objects.get(pk="VN"),
                                  phone_number="0912345678")
        method = Repository().get_default_shipping_method(basket=basket, user=shopper, shipping_addr=address)
        charge = method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        order = OrderCreator().place_order(basket=basket, total=total, shipping_method=method,
                                           shipping_charge=charge, user=shopper, shipping_address=address,
                                           status=statuses.CASH_ON_DELIVERY)
        basket.submit()
        payment_create_for_order(order=order, method=Payment.COD)
        part = order.fulfilments.get()
        if target == Fulfilment.CONFIRMED:
            fulfilment_set_status(fulfilment=part, status=target, reason="demo")
        created += 1
    return created
