from django.core.management.base import BaseCommand

from places.country import load_country_units
from places.models import Province, Ward


class Command(BaseCommand):
    help = ("Create or update Vietnam's provinces and wards/communes from the vietnam-provinces package "
            "(by GSO code; orders keep the names shoppers chose).")

    def handle(self, *args, **options):
        import vietnam_provinces

        provinces, wards = load_country_units(Province, Ward)
        self.stdout.write(f"{provinces} provinces/cities, {wards} wards/communes "
                          f"(data version {vietnam_provinces.__data_version__}).")
