import time

from django.core.management.base import BaseCommand, CommandError

from search.indexing import products_reindex


class Command(BaseCommand):
    help = "Rebuild the search index: the folded search columns of every product (database backend)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="recompute every product")

    def handle(self, *args, **options):
        if not options["rebuild"]:
            raise CommandError("Nothing to do: use --rebuild")
        started = time.monotonic()
        changed = products_reindex()
        self.stdout.write(self.style.SUCCESS(
            f"Search index rebuilt in {time.monotonic() - started:.1f}s: {changed} products changed."))
