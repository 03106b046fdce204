import time

from django.core.management.base import BaseCommand, CommandError

from search import backends


class Command(BaseCommand):
    help = ("Rebuild the search index: the folded columns and vocabulary of every product (database backend) "
            "and, with SEARCH_BACKEND=elasticsearch, a new index swapped in behind the alias (zero downtime).")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="reindex every product")

    def handle(self, *args, **options):
        if not options["rebuild"]:
            raise CommandError("Nothing to do: use --rebuild")
        started = time.monotonic()
        try:
            summary = backends.rebuild(stdout=self.stdout)
        except Exception as exc:  # a cluster down or refusing the mapping: say so, exit non-zero
            if isinstance(exc, CommandError):
                raise
            raise CommandError(f"Search index rebuild failed: {exc}") from exc
        extra = ""
        if "index" in summary:
            extra = (f"; Elasticsearch: {summary['documents']} documents in {summary['index']} behind alias "
                     f"{summary['alias']}, {summary['deleted']} old indices deleted")
        self.stdout.write(self.style.SUCCESS(
            f"Search index rebuilt in {time.monotonic() - started:.1f}s: {summary['changed']} products changed, "
            f"{summary['words']} words{extra}."))
