import time

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.models import Product
from catalogue.selectors import with_card_data
from marketplace.demo.catalogue import _stem_of, load_catalogue
from marketplace.demo.images import draw_product_image
from marketplace.demo.orders import load_orders
from marketplace.demo.pages import load_pages
from marketplace.demo.trade import load_trade
from marketplace.demo.users import DEMO_USERS, load_users

ProductImage = get_model("catalogue", "ProductImage")


class Command(BaseCommand):
    help = ("Load the deterministic Hà Tĩnh demo data: 544 products (416 typical specialties), 140 sellers over "
            "the 13 former districts, pictures, CMS pages and demo logins. Running it again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--no-images", action="store_true", help="skip drawing product pictures")

    def handle(self, *args, **options):
        started = time.monotonic()
        today = timezone.localdate()
        try:
            with transaction.atomic():
                vendors, result, sellers_created = load_catalogue(today)
                featured = self._featured()
                home, pages_created = load_pages(featured)
                users_created = load_users(home, vendors["NB-0001"])
                orders_created = load_orders(vendors["NB-0001"])
        except Exception as exc:  # a half-loaded demo is worse than none
            raise CommandError(f"Demo data could not be loaded: {exc}") from exc
        trade_started = time.monotonic()
        try:
            trade = load_trade(today=today, vendors=vendors)
        except Exception as exc:
            raise CommandError(f"The demo's months of trade could not be generated: {exc}") from exc
        trade_seconds = time.monotonic() - trade_started
        images_created = 0 if options["no_images"] else self._images()
        seller = vendors["NB-0001"]
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready in {time.monotonic() - started:.1f}s: {len(vendors)} sellers ({sellers_created} new), "
            f"{result.rows} products ({result.created} new, {result.updated} updated, {result.unchanged} unchanged), "
            f"{images_created} new pictures, {pages_created} new pages, {users_created} new users, "
            f"{orders_created} new orders; months of trade: {trade['orders']} new orders "
            f"({trade['cancelled']} cancelled, {trade['refunds']} refunds), {trade['payouts']} payouts "
            f"in {trade_seconds:.1f}s."
        ))
        self.stdout.write("Logins (e-mail / password):")
        labels = {"admin": "administrator (/dashboard/, /cms/)",
                  "seller": f"seller of «{seller.name}» (/ban-hang/)",
                  "department": "department reviewer and editor (/so-cong-thuong/ho-so/, /cms/)",
                  "assistant": "community digital team (/ban-hang/dang-ky/ho-tro/)"}
        for key, (email, password, _name) in DEMO_USERS.items():
            self.stdout.write(f"  {labels[key]}: {email} / {password}")

    def _featured(self):
        products = with_card_data(Product.objects.filter(certificates__stars=4).distinct().order_by("upc"))
        chosen = [p for p in products if p.ocop_certificate][:8]
        return chosen

    def _images(self):
        created = 0
        missing = Product.objects.filter(images__isnull=True).order_by("pk")
        for product in missing.iterator(chunk_size=200):
            kind = _stem_of(product.title)
            data = draw_product_image(title=product.title, group_code=product.ocop_group_code,
                                      shape=kind.shape if kind else "box")
            image = ProductImage(product=product, caption=product.title, display_order=0)
            image.original.save(f"{product.upc.lower()}.jpg", ContentFile(data), save=False)
            image.save()
            created += 1
        return created
